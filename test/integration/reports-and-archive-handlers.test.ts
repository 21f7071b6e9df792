import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Handler,
  SQSBatchResponse,
} from 'aws-lambda';
import { recordingBytes, recordingSha256 } from '../../emulators/recording-host/server';
import { createHandler as archiveHandler } from '../../functions/archive/handler';
import { createHandler as reportsHandler } from '../../functions/reports/handler';
import { archiveServices, reportsServices } from '../../lib/platform/wiring';
import { lambdaContext, loadEvent, pushEvent } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';
import { type Harness, startHarness, startS3 } from '../support/harness';
import { logsInto, stopLogs } from '../support/logs';
import { waitUntil } from '../support/wait';

const TOKEN = 'push-token-0123456789';
const RECORDING = { size: 300_001, seed: 7 };
const SEED_DIR = '1045001/2019-06-14/116950320375_103750100375';
const NO_REC_DIR = '1045001/2019-06-14/116950320376_103750100376';

let h: Harness;
let logs: string[];

type HttpHandler = Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
type ArchiveHandler = Handler<unknown, unknown>;

const envWith = (env: Record<string, string>): NodeJS.ProcessEnv => ({
  ...h.env,
  REPORTS_TOKEN: TOKEN,
  LOCAL_RETRY_DELAYS_MS: '50,100',
  DISPATCH: 'local',
  ...env,
});
const loadReports = (env: Record<string, string> = {}): HttpHandler =>
  handlerWith(reportsHandler, reportsServices, envWith(env));
const loadArchive = (env: Record<string, string> = {}): ArchiveHandler =>
  handlerWith(archiveHandler, archiveServices, envWith(env));

const savedEnv = { ...process.env };

beforeEach(async () => {
  h = await startHarness({ recording: RECORDING });
  logs = [];
  logsInto(logs);
});
afterEach(async () => {
  await drainHandlers();
  process.env = { ...savedEnv };
  jest.restoreAllMocks();
  stopLogs();
  await h.stop();
});

const push = (body: string, token = TOKEN, base64 = false) => pushEvent(token, body, base64);

async function invoke(handler: HttpHandler, event: APIGatewayProxyEventV2) {
  const result = (await handler(
    event,
    lambdaContext('reports'),
    () => undefined,
  )) as APIGatewayProxyStructuredResultV2;
  return { ...result, json: JSON.parse(String(result.body)) as Record<string, unknown> };
}

interface Parked {
  kind: string;
  reason: string;
  record?: unknown;
  records?: { index: number; reason: string; record: unknown }[];
  job?: unknown;
}

const rejectedFiles = () => {
  const dir = join(h.archiveDir, '_rejected');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Parked);
};

describe('POST /reports/{token} with DISPATCH=local', () => {
  it('given the sample push, then good records are archived and the bad one is kept in _rejected/ with its reason', async () => {
    const handler = loadReports();
    const body = JSON.stringify(loadEvent('http/reports-body'));

    const result = await invoke(handler, push(body));

    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual({ code: 0, msg: 'received', accepted: 2, rejected: 1 });
    await waitUntil(
      () =>
        existsSync(join(h.archiveDir, SEED_DIR, 'detail.json')) &&
        existsSync(join(h.archiveDir, NO_REC_DIR, 'detail.json')),
      'both calls archived',
    );
    expect(
      readFileSync(join(h.archiveDir, SEED_DIR, 'recording.wav')).equals(recordingBytes(RECORDING)),
    ).toBe(true);
    expect(rejectedFiles()).toEqual([
      expect.objectContaining({
        kind: 'records',
        reason: expect.stringContaining('task id'),
        records: [
          {
            index: 2,
            reason: expect.stringContaining('task id'),
            record: expect.objectContaining({ out_id: 'campaign-a' }),
          },
        ],
      }),
    ]);
  });

  it('given an array with elements that are not objects, then the good record goes on and each bad one is kept with its index', async () => {
    const handler = loadReports();
    const good = loadEvent('http/reports-body')[0];
    const body = JSON.stringify([good, 1, null, 'x', [good]]);

    const result = await invoke(handler, push(body));

    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual({ code: 0, msg: 'received', accepted: 1, rejected: 4 });
    await waitUntil(() => existsSync(join(h.archiveDir, SEED_DIR, 'detail.json')), 'archived');
    const [parked, ...others] = rejectedFiles();
    expect(others).toEqual([]);
    expect(parked?.records?.map((r) => [r.index, r.record])).toEqual([
      [1, 1],
      [2, null],
      [3, 'x'],
      [4, [good]],
    ]);
    expect(parked?.records?.every((r) => r.reason.includes('JSON object'))).toBe(true);
  });

  it('given 5,000 bad records in one push, then one object in _rejected/ keeps them all, and a push of more records is a 413', async () => {
    const handler = loadReports();
    const bad = Array.from({ length: 5_000 }, (_, i) => ({ callee: 'x', n: i }));

    const result = await invoke(handler, push(JSON.stringify(bad)));
    const tooMany = await invoke(handler, push(JSON.stringify([...bad, {}])));

    expect(result.json).toEqual({ code: 0, msg: 'received', accepted: 0, rejected: 5_000 });
    const parked = rejectedFiles();
    expect(parked).toHaveLength(1);
    expect(parked[0]?.records).toHaveLength(5_000);
    expect(tooMany.statusCode).toBe(413);
    expect((tooMany.json.error as { message: string }).message).toMatch(/5001 records.*5000/);
  });

  it('given the same push twice, then each call is archived once and no error is logged', async () => {
    const handler = loadReports();
    const body = JSON.stringify(loadEvent('http/reports-body').slice(0, 1));

    await invoke(handler, push(body));
    await waitUntil(() => existsSync(join(h.archiveDir, SEED_DIR, 'detail.json')), 'first archive');
    const second = await invoke(handler, push(body));
    await waitUntil(() => logs.some((l) => l.includes('already archived')), 'second job done');

    expect(second.json).toMatchObject({ accepted: 1, rejected: 0 });
    expect(readdirSync(join(h.archiveDir, SEED_DIR)).sort()).toEqual([
      'detail.json',
      'recording.wav',
    ]);
    expect(h.host.requests).toHaveLength(1);
    expect(logs.filter((l) => l.includes('"level":"ERROR"'))).toEqual([]);
  });

  it('given a base64 body, then it is decoded', async () => {
    const handler = loadReports();

    const result = await invoke(
      handler,
      push(JSON.stringify(loadEvent('http/reports-body')), TOKEN, true),
    );

    expect(result.json).toMatchObject({ accepted: 2, rejected: 1 });
  });

  it('given a wrong token, then 404 and nothing is dispatched', async () => {
    const handler = loadReports();

    const result = await invoke(handler, push('[]', 'wrong-token'));

    expect(result.statusCode).toBe(404);
    expect(result.json).toMatchObject({ error: { code: 'NotFound' } });
  });

  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['an object', '{"callee":"13000000000"}', /JSON array/],
  ])('given a body that is %s, then 400 with a message', async (_name, body, message) => {
    const handler = loadReports();

    const result = await invoke(handler, push(body));

    expect(result.statusCode).toBe(400);
    expect((result.json.error as { message: string }).message).toMatch(message);
  });

  it('given a body over 1 MiB, then 413', async () => {
    const handler = loadReports();

    const result = await invoke(handler, push(`[${'{"a":"x"},'.repeat(110_000)}{}]`));

    expect(result.statusCode).toBe(413);
  });

  it('given dispatch fails, then 503 so the Voice Service retries', async () => {
    // The Lambda client's endpoint, region, keys and attempts are the SDK's to read.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_MAX_ATTEMPTS: '1',
    });
    const handler = loadReports({ DISPATCH: 'lambda:archive' });

    const result = await invoke(handler, push(JSON.stringify(loadEvent('http/reports-body'))));

    expect(result.statusCode).toBe(503);
    expect(result.json).toMatchObject({ error: { code: 'DispatchFailed' } });
  });

  it('given a job that fails every time, then the local dispatcher retries it and parks it with the reason', async () => {
    h.dyvms.injectFaults(...Array.from({ length: 3 }, () => ({ kind: 'not-ready' as const })));
    const handler = loadReports();

    await invoke(handler, push(JSON.stringify(loadEvent('http/reports-body').slice(0, 1))));
    await waitUntil(() => rejectedFiles().length === 1, 'job parked');

    expect(rejectedFiles()[0]).toMatchObject({
      kind: 'job',
      reason: expect.stringMatching(/after 3 attempts: CallNotFound/),
      job: { taskId: '1045001', callee: '13000000000', date: '2019-06-14' },
    });
    // "Not ready" is the platform's to retry (1 + LOCAL_RETRY_DELAYS_MS), not the client's.
    expect(h.dyvms.requests).toHaveLength(3);
    for (const line of logs) expect(line).not.toContain('13000000000');
  });
});

describe('archive function', () => {
  it('given an async-invocation payload, then the call is archived', async () => {
    const handler = loadArchive();

    const outcome = await handler(
      loadEvent('archive/async'),
      lambdaContext('archive'),
      () => undefined,
    );

    expect(outcome).toMatchObject({ status: 'archived', detailKey: `${SEED_DIR}/detail.json` });
  });

  it('given an async payload whose lookup keeps failing, then it throws so the platform retries', async () => {
    h.dyvms.injectFaults(
      { kind: 'server-error' },
      { kind: 'server-error' },
      { kind: 'server-error' },
    );
    const handler = loadArchive();

    await expect(
      handler(loadEvent('archive/async'), lambdaContext('archive'), () => undefined),
    ).rejects.toMatchObject({
      code: 'UpstreamError',
    });
  });

  it('given an invalid async payload, then it is parked, not retried', async () => {
    const handler = loadArchive();

    const outcome = await handler(
      { taskId: '../../etc', callee: '1', date: '2019-06-14' },
      lambdaContext('archive'),
      () => undefined,
    );

    expect(outcome).toMatchObject({ status: 'parked', reason: expect.stringContaining('taskId') });
    expect(rejectedFiles()).toHaveLength(1);
  });

  it('given recordFile on a host outside RECORDING_HOSTS, then the job is parked with the reason and nothing fetched', async () => {
    h.dyvms.useRecordingHost(() => 'http://x.aliyuncs.com.evil.test/r.wav?Expires=9999999999');
    const handler = loadArchive({
      RECORDING_HOSTS: '.aliyuncs.com',
    });

    const outcome = await handler(
      loadEvent('archive/async'),
      lambdaContext('archive'),
      () => undefined,
    );

    expect(outcome).toMatchObject({
      status: 'parked',
      reason: expect.stringContaining('not in RECORDING_HOSTS'),
    });
    expect(rejectedFiles()).toEqual([
      expect.objectContaining({
        kind: 'job',
        reason: expect.stringContaining('RecordingRefused'),
        job: loadEvent('archive/async'),
      }),
    ]);
    expect(h.host.requests).toHaveLength(0);
  });

  it('given an SQS batch with one failing record, then only that record is reported in batchItemFailures', async () => {
    const handler = loadArchive();
    const event = loadEvent('archive/sqs');
    // The second record's lookup answers "not ready" on all three tries; the first is served.
    h.dyvms.useRecordingHost((name) => h.host.signedUrl(name));
    const failing = event.Records[1];
    if (!failing) throw new Error('sample has two records');
    failing.body = JSON.stringify({ taskId: '1045001', callee: '13999999999', date: '2019-06-14' });

    const response = (await handler(
      event,
      lambdaContext('archive'),
      () => undefined,
    )) as SQSBatchResponse;

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: failing.messageId }] });
    expect(existsSync(join(h.archiveDir, SEED_DIR, 'detail.json'))).toBe(true);
  });

  it('given an SQS batch whose every record fails, then each is reported in batchItemFailures and none thrown', async () => {
    const handler = loadArchive();
    const event = loadEvent('archive/sqs');
    for (const record of event.Records) {
      record.body = JSON.stringify({
        taskId: '1045001',
        callee: '13999999999',
        date: '2019-06-14',
      });
    }

    const response = (await handler(
      event,
      lambdaContext('archive'),
      () => undefined,
    )) as SQSBatchResponse;

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      event.Records.map((r) => r.messageId),
    );
    expect(event.Records).toHaveLength(2);
  });

  it('given an SQS batch with a message that is not JSON, then it is parked and its batch-mates archive, with no failure reported', async () => {
    const handler = loadArchive();
    const event = loadEvent('archive/sqs');
    const poisoned = event.Records[1];
    if (!poisoned) throw new Error('sample has two records');
    poisoned.body = '{not json';

    const response = (await handler(
      event,
      lambdaContext('archive'),
      () => undefined,
    )) as SQSBatchResponse;

    expect(response).toEqual({ batchItemFailures: [] });
    expect(existsSync(join(h.archiveDir, SEED_DIR, 'detail.json'))).toBe(true);
    expect(rejectedFiles()).toEqual([
      expect.objectContaining({
        kind: 'job',
        job: '{not json',
        reason: expect.stringContaining('not JSON'),
      }),
    ]);
  });
});

describe('POST /reports/{token} into s3rver', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(() => s3.stop());

  it('given the sample push, then every recording is stored byte-identical with its detail.json in S3', async () => {
    await h.stop();
    h = await startHarness({ recording: RECORDING, s3Endpoint: s3.endpoint });
    const handler = loadReports();

    const result = await invoke(handler, push(JSON.stringify(loadEvent('http/reports-body'))));
    await drainHandlers();

    expect(result.json).toMatchObject({ accepted: 2, rejected: 1 });
    const keys = await h.store.list('');
    // Each archived call also has its index row (docs/design.md "The call index").
    expect(keys.filter((k) => k.startsWith('index/pending/'))).toHaveLength(2);
    expect(keys.filter((k) => !k.startsWith('_rejected/') && !k.startsWith('index/'))).toEqual([
      `${SEED_DIR}/detail.json`,
      `${SEED_DIR}/recording.wav`,
      `${NO_REC_DIR}/detail.json`,
    ]);
    expect(keys.filter((k) => k.startsWith('_rejected/'))).toHaveLength(1);
    expect(
      (await h.store.get(`${SEED_DIR}/recording.wav`))?.equals(recordingBytes(RECORDING)),
    ).toBe(true);
    const detail = JSON.parse(String(await h.store.get(`${SEED_DIR}/detail.json`)));
    expect(detail.recording).toMatchObject({
      bytes: RECORDING.size,
      sha256: recordingSha256(RECORDING),
    });
  });
});
