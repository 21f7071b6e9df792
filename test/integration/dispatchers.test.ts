import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { checkAcs3 } from '../../emulators/dyvms/signature';
import { fcDispatcher } from '../../lib/dispatch/fc-dispatcher';
import { fc3Dispatcher } from '../../lib/dispatch/fc3-dispatcher';
import { lambdaDispatcher } from '../../lib/dispatch/lambda-dispatcher';
import { sqsDispatcher } from '../../lib/dispatch/sqs-dispatcher';
import type { CallEndedJob } from '../../lib/model/call-ended-job';
import { DispatchError } from '../../lib/model/dispatcher';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let endpoint: string;
let received: Received[];
let answer: (request: Received, res: ServerResponse) => void;

beforeEach(async () => {
  received = [];
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    received.push(request);
    answer(request, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const jobs = (n: number): CallEndedJob[] =>
  Array.from({ length: n }, (_, i) => ({
    taskId: '1045001',
    callee: `1300000${String(i).padStart(4, '0')}`,
    date: '2019-06-14',
  }));

const aws = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
  maxAttempts: 1,
};

describe('lambda: dispatcher', () => {
  it('given jobs, then each is an Event (asynchronous) invocation signed with SigV4', async () => {
    answer = (_req, res) => {
      res.writeHead(202);
      res.end();
    };
    const dispatcher = lambdaDispatcher('archive-fn', new LambdaClient({ ...aws, endpoint }));

    await dispatcher.dispatch(jobs(3));

    expect(received).toHaveLength(3);
    for (const request of received) {
      expect(request.url).toBe('/2015-03-31/functions/archive-fn/invocations');
      expect(request.headers['x-amz-invocation-type']).toBe('Event');
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\//);
    }
    expect(received.map((r) => JSON.parse(r.body).callee).sort()).toEqual(
      jobs(3).map((j) => j.callee),
    );
  });

  it('given Lambda refuses, then a DispatchError (the push answers 503)', async () => {
    answer = (_req, res) => {
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'TooManyRequestsException',
      });
      res.end(JSON.stringify({ message: 'Rate exceeded' }));
    };
    const dispatcher = lambdaDispatcher('archive-fn', new LambdaClient({ ...aws, endpoint }));

    await expect(dispatcher.dispatch(jobs(1))).rejects.toBeInstanceOf(DispatchError);
  });
});

describe('sqs: dispatcher', () => {
  it('given 25 jobs, then they go in batches of at most 10', async () => {
    answer = (req, res) => {
      const body = JSON.parse(req.body) as { Entries: { Id: string; MessageBody: string }[] };
      const md5 = (text: string) => createHash('md5').update(text).digest('hex');
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          Successful: body.Entries.map((e) => ({
            Id: e.Id,
            MessageId: `m-${e.Id}`,
            MD5OfMessageBody: md5(e.MessageBody),
          })),
          Failed: [],
        }),
      );
    };
    const dispatcher = sqsDispatcher(
      `${endpoint}/123456789012/jobs`,
      new SQSClient({ ...aws, endpoint }),
    );

    await dispatcher.dispatch(jobs(25));

    expect(received.map((r) => r.headers['x-amz-target'])).toEqual(
      Array(3).fill('AmazonSQS.SendMessageBatch'),
    );
    expect(received.map((r) => JSON.parse(r.body).Entries.length).sort()).toEqual([10, 10, 5]);
    const bodies = received.flatMap((r) =>
      JSON.parse(r.body).Entries.map((e: { MessageBody: string }) => JSON.parse(e.MessageBody)),
    );
    expect(bodies).toHaveLength(25);
  });

  it('given SQS fails one entry of a batch, then a DispatchError names it', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          Successful: [],
          Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
        }),
      );
    };
    const dispatcher = sqsDispatcher(
      `${endpoint}/123456789012/jobs`,
      new SQSClient({ ...aws, endpoint }),
    );

    await expect(dispatcher.dispatch(jobs(1))).rejects.toThrow(
      /SQS refused 1 jobs: 0: InternalError/,
    );
  });
});

describe('fc: dispatcher', () => {
  const SECRET = 'fc-secret';

  /** FC's signature, computed here from its documentation, not with fc2's code. */
  function expectedAuthorization(req: Received): string {
    const h = req.headers;
    const fcHeaders = Object.keys(h)
      .filter((k) => k.startsWith('x-fc-'))
      .sort()
      .map((k) => `${k}:${h[k]}\n`)
      .join('');
    const stringToSign = `${req.method}\n${h['content-md5'] ?? ''}\n${h['content-type'] ?? ''}\n${h.date}\n${fcHeaders}${req.url}`;
    return `FC LTAIfc:${createHmac('sha256', SECRET).update(stringToSign).digest('base64')}`;
  }

  const localFc = (secret: string) =>
    fcDispatcher({
      service: 'vms',
      functionName: 'archive',
      accountId: '1234567890',
      region: 'cn-hangzhou',
      endpoint,
      credentials: { accessKeyId: 'LTAIfc', accessKeySecret: secret, securityToken: undefined },
    });

  it('given jobs, then each is an Async invocation with a valid FC signature', async () => {
    answer = (req, res) => {
      const md5 = Buffer.from(createHash('md5').update(req.body).digest('hex')).toString('base64');
      const valid =
        req.headers.authorization === expectedAuthorization(req) &&
        req.headers['content-md5'] === md5;
      // FC answers an accepted async invocation 202 with an empty body.
      if (valid) res.writeHead(202, { 'x-fc-request-id': 'r' }).end();
      else
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ErrorCode: 'SignatureNotMatch' }));
    };
    const dispatcher = localFc(SECRET);

    await dispatcher.dispatch(jobs(2));

    expect(received).toHaveLength(2);
    for (const request of received) {
      expect(request.url).toBe('/2016-08-15/services/vms/functions/archive/invocations');
      expect(request.headers['x-fc-invocation-type']).toBe('Async');
    }
  });

  it('given a wrong secret, then the local FC refuses it and the dispatcher throws', async () => {
    answer = (req, res) => {
      const valid = req.headers.authorization === expectedAuthorization(req);
      res.writeHead(valid ? 202 : 403, { 'content-type': 'application/json' });
      res.end(
        valid
          ? ''
          : JSON.stringify({ ErrorCode: 'SignatureNotMatch', ErrorMessage: 'bad signature' }),
      );
    };
    const dispatcher = localFc('wrong');

    await expect(dispatcher.dispatch(jobs(1))).rejects.toBeInstanceOf(DispatchError);
  });

  it('given FC answers an error that echoes the job and a signed URL, then the DispatchError carries neither', async () => {
    answer = (req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ErrorCode: 'InvalidArgument',
          ErrorMessage: `bad payload ${req.body} see https://fc.example/x?Signature=abc&Expires=1`,
        }),
      );
    };
    // a mobile number, and a landline that no pattern tells from any other digits
    for (const callee of ['13912345678', '057188996676']) {
      const job: CallEndedJob = { taskId: '1045001', callee, date: '2019-06-14' };

      const refused = localFc(SECRET).dispatch([job]);

      await expect(refused).rejects.toBeInstanceOf(DispatchError);
      const message = await refused.catch((error: Error) => error.message);
      expect(message).toContain('failed with 400');
      expect(message).toContain(`${callee.slice(0, 3)}****${callee.slice(-4)}`);
      expect(message).not.toContain(callee);
      expect(message).not.toContain('Signature=abc');
    }
  });
});

describe('fc:<function> dispatcher (Function Compute 3.0)', () => {
  const KEYS = { accessKeyId: 'LTAIfc3', accessKeySecret: 'fc3-secret', securityToken: undefined };
  const local = (now = () => Date.parse('2026-11-26T14:05:00Z')) =>
    fc3Dispatcher(
      {
        functionName: 'vca-archive',
        accountId: '1234567890',
        region: 'cn-hangzhou',
        endpoint,
        credentials: KEYS,
      },
      now,
    );
  /** The request as the ACS3 check wants it, checked with the emulator's own verifier. */
  const signed = (req: Received) =>
    checkAcs3(
      {
        method: req.method,
        path: req.url.split('?')[0] ?? '',
        query: {},
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.from(req.body),
      },
      (id) => (id === KEYS.accessKeyId ? KEYS.accessKeySecret : undefined),
    ).ok;

  it('given jobs, then each is an Async InvokeFunction of FC 3.0, ACS3-signed, with a task id named after the call', async () => {
    answer = (req, res) => res.writeHead(signed(req) ? 202 : 403, { 'x-fc-request-id': 'r' }).end();
    const job = { ...jobs(1)[0], callId: '116950320375^103750100375' } as CallEndedJob;

    await local().dispatch([job, ...jobs(1)]);

    expect(received).toHaveLength(2);
    for (const request of received) {
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/2023-03-30/functions/vca-archive/invocations');
      expect(request.headers['x-fc-invocation-type']).toBe('Async');
      expect(signed(request)).toBe(true);
    }
    expect(received[0]?.headers['x-fc-async-task-id']).toMatch(
      /^vca_1045001_20190614_[0-9a-f]{40}_2026112614$/,
    );
    expect(received[1]?.headers['x-fc-async-task-id']).toMatch(
      /^vca_\d+_\d{8}_[0-9a-f]{40}_2026112614$/,
    );
    expect(received[0]?.headers['x-fc-async-task-id']).not.toBe(
      received[1]?.headers['x-fc-async-task-id'],
    );
    expect(received.map((r) => JSON.parse(r.body))).toEqual([job, jobs(1)[0]]);
    expect(received.some((r) => /1300000/.test(String(r.headers['x-fc-async-task-id'])))).toBe(
      false,
    );
  });

  it('given a task FC already has (409), then the job counts as dispatched; a wrong key is a DispatchError', async () => {
    answer = (req, res) => {
      if (!signed(req))
        return res
          .writeHead(403, { 'content-type': 'application/json' })
          .end('{"Code":"SignatureNotMatch"}');
      res
        .writeHead(409, { 'content-type': 'application/json' })
        .end('{"Code":"AsyncTaskExists","Message":"task exists"}');
    };

    await expect(local().dispatch(jobs(1))).resolves.toBeUndefined();
    const wrong = fc3Dispatcher({
      functionName: 'vca-archive',
      accountId: '1234567890',
      region: 'cn-hangzhou',
      endpoint,
      credentials: { ...KEYS, accessKeySecret: 'wrong' },
    });
    await expect(wrong.dispatch(jobs(1))).rejects.toBeInstanceOf(DispatchError);
  });
});
