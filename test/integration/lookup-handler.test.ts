import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Handler,
} from 'aws-lambda';
import { sampleCalls } from '../../emulators/dyvms/sample-calls';
import { DyvmsEmulator } from '../../emulators/dyvms/server';
import { createHandler } from '../../functions/lookup/handler';
import { CallDetailSchema } from '../../lib/call-detail/schema';
import { lookupServices } from '../../lib/platform/wiring';
import { lambdaContext, loadEvent } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';
import { logsInto, stopLogs } from '../support/logs';

const KEY_ID = 'LTAIlookupTest0001';
const SECRET = 'lookup-test-secret';
const API_KEY = 'test-api-key-0123456789';

type LookupHandler = Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

let emulator: DyvmsEmulator;
let handler: LookupHandler;
let logs: string[];

beforeEach(async () => {
  emulator = new DyvmsEmulator({ calls: sampleCalls(), credentials: { [KEY_ID]: SECRET } });
  await emulator.start();
  logs = [];
  logsInto(logs);
  const env = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
    DYVMS_ENDPOINT: emulator.url,
    DYVMS_READ_TIMEOUT_MS: '300',
    API_KEYS: `other-key-0123456789,${API_KEY}`,
  };
  handler = handlerWith(createHandler, lookupServices, env);
});

afterEach(async () => {
  await drainHandlers();
  jest.restoreAllMocks();
  stopLogs();
  await emulator.stop();
});

function lookupEvent(
  path: { taskId?: string; callee?: string },
  query: Record<string, string> | undefined = { date: '2019-06-14' },
  /** null: send no key at all */
  apiKey: string | null = API_KEY,
): APIGatewayProxyEventV2 {
  const event = loadEvent('http/lookup');
  event.pathParameters = { taskId: '1045001', callee: '13000000000', ...path };
  event.queryStringParameters = query;
  event.headers = { ...event.headers };
  delete event.headers['X-Api-Key'];
  if (apiKey !== null) event.headers['X-Api-Key'] = apiKey;
  return event;
}

async function invoke(event: APIGatewayProxyEventV2) {
  const result = (await handler(
    event,
    lambdaContext('lookup'),
    () => undefined,
  )) as APIGatewayProxyStructuredResultV2;
  return { ...result, json: JSON.parse(String(result.body)) as Record<string, unknown> };
}

const errorOf = (json: Record<string, unknown>) =>
  json.error as { code: string; message: string; requestId: string };

describe('GET /calls/{taskId}/{callee}', () => {
  it('given the seed call, when looked up with a valid key, then it answers the normalized CallDetail', async () => {
    const result = await invoke(lookupEvent({}));

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toMatch(/^application\/json/);
    const detail = CallDetailSchema.parse(result.json);
    expect(detail).toMatchObject({
      taskId: '1045001',
      callId: '116950320375^103750100375',
      callee: '13000000000',
      durationSeconds: 60,
      labels: ['邀约', '有房', '无车'],
      hangupBy: 'robot',
      startedAt: '2019-06-14T15:22:23+08:00',
      recording: { status: 'available', expiresAt: '2019-07-10T06:29:46Z' },
    });
    expect(result.headers?.['x-upstream-request-id']).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('given date as epoch milliseconds, then the same call is found', async () => {
    const result = await invoke(
      lookupEvent({}, { date: String(Date.parse('2019-06-14T23:59:00+08:00')) }),
    );

    expect(result.statusCode).toBe(200);
    expect(result.json.callId).toBe('116950320375^103750100375');
  });

  it.each([
    ['taskId', { taskId: '10450x1' }, undefined],
    ['taskId', { taskId: '../1045001' }, undefined],
    ['callee', { callee: '1300000000012345678901234567890123' }, undefined],
    ['callee', { callee: '130abc' }, undefined],
    ['date', {}, { date: '2019-02-30' }],
    ['date', {}, { date: 'yesterday' }],
  ])('given a bad %s, then it answers 400 naming it', async (name, path, query) => {
    const result = await invoke(lookupEvent(path, query ?? { date: '2019-06-14' }));

    expect(result.statusCode).toBe(400);
    expect(errorOf(result.json)).toMatchObject({
      code: 'BadRequest',
      message: expect.stringContaining(name),
    });
    expect(emulator.requests).toHaveLength(0);
  });

  it.each([
    ['no key', null],
    ['a wrong key', 'test-api-key-0123456788'],
    ['a key of another length', 'x'],
    ['an empty key', ''],
  ])('given %s, then it answers 401 without calling upstream', async (_case, key) => {
    const result = await invoke(lookupEvent({}, undefined, key));

    expect(result.statusCode).toBe(401);
    expect(errorOf(result.json).code).toBe('Unauthorized');
    expect(emulator.requests).toHaveLength(0);
  });

  it('given an unknown call, then it answers 404 with the upstream request id', async () => {
    const result = await invoke(lookupEvent({ callee: '13999999999' }));

    expect(result.statusCode).toBe(404);
    expect(errorOf(result.json)).toMatchObject({
      code: 'CallNotFound',
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
    });
  });

  it('given upstream throttling on every try, then it answers 429 with Retry-After', async () => {
    emulator.injectFaults({ kind: 'throttle' }, { kind: 'throttle' }, { kind: 'throttle' });

    const result = await invoke(lookupEvent({}));

    expect(result.statusCode).toBe(429);
    expect(result.headers?.['Retry-After']).toBe('1');
    expect(errorOf(result.json).code).toBe('Throttled');
  });

  it('given upstream 5xx on every try, then it answers 502 without upstream details', async () => {
    emulator.injectFaults({ kind: 'server-error' }, { kind: 'html' }, { kind: 'server-error' });

    const result = await invoke(lookupEvent({}));

    expect(result.statusCode).toBe(502);
    expect(errorOf(result.json).code).toBe('UpstreamError');
    expect(result.body).not.toMatch(/ServiceUnavailable|Bad Gateway|html/i);
  });

  it('given a signature the upstream refuses on every attempt, then it answers 502 and says nothing of it', async () => {
    const refused = {
      kind: 'code',
      code: 'SignatureDoesNotMatch',
      message: 'Specified signature is not matched',
      status: 400,
    } as const;
    // Signature, timestamp and nonce refusals are clock or transient faults: retried, bounded.
    emulator.injectFaults(refused, refused, refused);

    const result = await invoke(lookupEvent({}));

    expect(result.statusCode).toBe(502);
    expect(result.body).not.toContain('Signature');
  });

  it('given a signature refused once, then the retry answers the call', async () => {
    emulator.injectFaults({
      kind: 'code',
      code: 'SignatureDoesNotMatch',
      message: 'Specified signature is not matched',
      status: 400,
    });

    const result = await invoke(lookupEvent({}));

    expect(result.statusCode).toBe(200);
  });

  it('given the upstream stalls past the read time-out, then it answers 504', async () => {
    emulator.injectFaults(
      { kind: 'stall', ms: 5_000 },
      { kind: 'stall', ms: 5_000 },
      { kind: 'stall', ms: 5_000 },
    );

    const result = await invoke(lookupEvent({}));

    expect(result.statusCode).toBe(504);
    expect(errorOf(result.json).code).toBe('UpstreamTimeout');
  });

  it('given no API_KEYS, then the first invocation fails with the configuration error, not an answer', async () => {
    const unkeyed = handlerWith(createHandler, lookupServices, { DYVMS_ENDPOINT: emulator.url });

    const failure = await Promise.resolve(unkeyed(lookupEvent({}), lambdaContext('lookup'))).then(
      () => 'answered',
      (error: unknown) => String(error),
    );

    expect(failure).toMatch(/ConfigError: .*API_KEYS is required/);
  });

  it('given two requests, then every log line carries its request id and the cold-start flag (false once warm)', async () => {
    const first = lambdaContext('lookup');
    const second = lambdaContext('lookup');

    await handler(lookupEvent({}), first, () => undefined);
    await handler(lookupEvent({}), second, () => undefined);

    const lines = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((r) => [r.message, r.function_request_id, typeof r.cold_start])).toEqual([
      ['call looked up', first.awsRequestId, 'boolean'],
      ['call looked up', second.awsRequestId, 'boolean'],
    ]);
    expect(lines[1]?.cold_start).toBe(false);
  });

  it('given a call looked up, then no log line holds the full phone number or the secret', async () => {
    emulator.injectFaults(
      { kind: 'server-error' },
      { kind: 'server-error' },
      { kind: 'server-error' },
    );
    await invoke(lookupEvent({}));
    await invoke(lookupEvent({ callee: '13999999999' }));

    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).not.toContain('13000000000');
      expect(line).not.toContain('13999999999');
      expect(line).not.toContain(SECRET);
    }
  });
});
