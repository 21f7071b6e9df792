import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Handler,
} from 'aws-lambda';
import { createHandler as lookupHandler } from '../../functions/lookup/handler';
import { createHandler as reportsHandler } from '../../functions/reports/handler';
import { archiveJobOrPark } from '../../lib/archive/archive-job';
import { lookupServices, reportsServices } from '../../lib/platform/wiring';
import { lambdaContext, loadEvent } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';
import { type Harness, startHarness } from '../support/harness';
import { logsInto, stopLogs } from '../support/logs';
import { recordFigures } from '../support/resilience';

type HttpHandler = Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
const API_KEYS = ['first-api-key-0123456789', 'second-api-key-abcdef'];
const TOKEN = 'security-token-0123456789';

jest.setTimeout(60_000);

/** An HTTP server on a loopback address that counts what reaches it. */
async function startServer(
  answer: (res: import('node:http').ServerResponse) => void,
  address = '127.0.0.1',
): Promise<{ url: string; hits: () => number; stop: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    url: `http://${address}:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const figures: Record<string, unknown> = {};
afterAll(() => recordFigures('security', figures));

describe('authentication', () => {
  let h: Harness;
  let lookup: HttpHandler;
  let reports: HttpHandler;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    logsInto();
    h = await startHarness({
      env: { API_KEYS: API_KEYS.join(','), REPORTS_TOKEN: TOKEN, DISPATCH: 'local' },
    });
    lookup = handlerWith(lookupHandler, lookupServices, h.env);
    reports = handlerWith(reportsHandler, reportsServices, h.env);
  });
  afterAll(async () => {
    await drainHandlers();
    process.env = { ...savedEnv };
    jest.restoreAllMocks();
    stopLogs();
    await h.stop();
  });

  it('given no key, a wrong key, a key of another length or one character off, then 401 alike, through the same constant-time comparisons', async () => {
    // The module object itself (an `import * as` namespace would be a copy under swc).
    const compare = jest.spyOn(
      require('node:crypto') as typeof import('node:crypto'),
      'timingSafeEqual',
    );
    const cases: [string, string | undefined][] = [
      ['no key', undefined],
      ['a wrong key of the same length', 'first-api-key-XXXXXXXXXX'],
      ['a key of another length', 'x'],
      ['a very long key', 'k'.repeat(10_000)],
      ['one character off', `${API_KEYS[0]?.slice(0, -1)}8`],
    ];
    const answers: Record<string, unknown> = {};
    for (const [name, key] of cases) {
      const event = loadEvent('http/lookup');
      event.headers = { ...event.headers };
      delete event.headers['X-Api-Key'];
      if (key !== undefined) event.headers['X-Api-Key'] = key;
      compare.mockClear();
      const result = (await lookup(
        event,
        lambdaContext('lookup'),
        () => undefined,
      )) as APIGatewayProxyStructuredResultV2;
      const { error } = JSON.parse(String(result.body)) as { error: Record<string, string> };
      answers[name] = {
        status: result.statusCode,
        code: error.code,
        message: error.message,
        comparisons: compare.mock.calls.length,
        comparedBytes: compare.mock.calls.map(([a]) => (a as Buffer).length),
      };
    }
    figures.unauthorizedLookups = answers;
    const expected = {
      status: 401,
      code: 'Unauthorized',
      message: expect.any(String),
      comparisons: API_KEYS.length,
      comparedBytes: [32, 32],
    };
    expect(answers).toEqual(Object.fromEntries(cases.map(([name]) => [name, expected])));
    const messages = new Set(Object.values(answers).map((a) => (a as { message: string }).message));
    expect(messages.size).toBe(1);
  });

  it('given a wrong push token of any length, then 404 as if the route did not exist, and nothing is kept', async () => {
    const statuses: number[] = [];
    for (const token of ['', 'x', `${TOKEN.slice(0, -1)}x`, TOKEN.repeat(20), '../reports']) {
      const event = loadEvent('http/reports');
      event.pathParameters = { token };
      const result = (await reports(
        event,
        lambdaContext('reports'),
        () => undefined,
      )) as APIGatewayProxyStructuredResultV2;
      statuses.push(result.statusCode ?? 0);
    }
    await drainHandlers();
    figures.wrongPushTokens = statuses;
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    expect(await h.store.list('')).toEqual([]);
  });
});

describe('a hostile upstream', () => {
  let h: Harness;
  let canary: Awaited<ReturnType<typeof startServer>>;
  let redirector: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    logsInto();
    // The internal service nobody may reach, on a loopback address not on the list.
    canary = await startServer((res) => res.end('secret internal data'), '127.0.0.2');
    // An allow-listed host (127.0.0.1) that answers with a redirect to the canary.
    redirector = await startServer((res) => {
      res.writeHead(302, { location: `${canary.url}/latest/meta-data/` });
      res.end();
    });
    h = await startHarness({ env: { RECORDING_HOSTS: '.aliyuncs.com,127.0.0.1' } });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    stopLogs();
    await h.stop();
    await canary.stop();
    await redirector.stop();
  });

  it('given recordFile pointing at internal addresses, other schemes, a look-alike host or a redirect, then every job is parked with the reason and nothing internal is fetched', async () => {
    const hostile: [string, string][] = [
      ['loopback', `${canary.url}/r.wav`],
      ['cloud metadata', 'http://169.254.169.254/latest/meta-data/iam/r.wav'],
      ['a file URL', 'file:///etc/passwd'],
      ['an allow-listed suffix inside another host', 'http://x.aliyuncs.com.evil.test/r.wav'],
      ['a redirect to a host off the list', `${redirector.url}/r.wav`],
    ];
    const reasons: Record<string, string> = {};
    for (const [i, [name, url]] of hostile.entries()) {
      const callee = `1380000000${i}`;
      h.dyvms.addCall({
        taskId: '3001',
        callee,
        date: '2019-06-14',
        data: {
          taskId: 3001,
          called: callee,
          callId: `3001${i}^1`,
          recordStatus: 1,
          recordFile: url,
        },
      });
      const outcome = await archiveJobOrPark(
        { taskId: '3001', callee, date: '2019-06-14' },
        h.deps,
      );
      reasons[name] =
        outcome.status === 'parked' ? outcome.reason : `NOT PARKED: ${outcome.status}`;
    }
    figures.hostileRecordFiles = reasons;

    expect(reasons).toEqual({
      loopback: expect.stringMatching(/RecordingRefused: .*127\.0\.0\.2 is not in RECORDING_HOSTS/),
      'cloud metadata': expect.stringMatching(/RecordingRefused: .*169\.254\.169\.254 is not in/),
      'a file URL': expect.stringMatching(/RecordingRefused: .*scheme file: is not http/),
      'an allow-listed suffix inside another host': expect.stringMatching(
        /RecordingRefused: .*x\.aliyuncs\.com\.evil\.test is not in/,
      ),
      'a redirect to a host off the list': expect.stringMatching(/RecordingRefused: .*redirect/),
    });
    expect(canary.hits()).toBe(0);
    expect(redirector.hits()).toBe(1);
    const parked = (await h.store.list('_rejected/')).length;
    expect(parked).toBe(hostile.length);
    expect(await h.store.list('3001/')).toEqual([]);
  });
});
