import { createHash } from 'node:crypto';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Handler,
} from 'aws-lambda';
import { recordingSha256 } from '../../emulators/recording-host/server';
import { createHandler as reportsHandler } from '../../functions/reports/handler';
import type { ArchivedDetail } from '../../lib/archive/archive-call';
import type { ParkedItem } from '../../lib/parking/park';
import { reportsServices } from '../../lib/platform/wiring';
import { lambdaContext, pushEvent } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';
import { type Harness, type S3Server, SECRET, startHarness, startS3 } from '../support/harness';
import { logsInto, stopLogs } from '../support/logs';
import { leaksIn, recordFigures, type SyntheticCall, syntheticCalls } from '../support/resilience';

/**
 * Resilience: one fault at a time, injected into real servers on 127.0.0.1, while a push
 * of CALLS reports goes through the real reports handler (DISPATCH=local: the archive runs
 * in-process with the sandbox's retry-then-park). Each run ends with every call archived
 * and verified byte for byte, or parked with a reason; never lost.
 */
const CALLS = 20;
const TOKEN = 'fault-token';
type HttpHandler = Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

jest.setTimeout(60_000);

interface Outcome {
  archived: number;
  parked: { reason: string }[];
  lost: number;
}

/** Every call: archived with the served bytes, or parked with a reason; else lost. */
async function outcome(h: Harness, calls: SyntheticCall[]): Promise<Outcome> {
  const parkedJobs = await Promise.all(
    (await h.store.list('_rejected/')).map(
      async (key) => JSON.parse(String(await h.store.get(key))) as ParkedItem,
    ),
  );
  const result: Outcome = { archived: 0, parked: [], lost: 0 };
  for (const c of calls) {
    const dir = `2001/2019-06-14/${c.callId.replace('^', '_')}`;
    const detailBytes = await h.store.get(`${dir}/detail.json`);
    const detail = detailBytes && (JSON.parse(String(detailBytes)) as ArchivedDetail);
    const bytes = detail?.recording && (await h.store.get(detail.recording.key));
    const stored = bytes && {
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    const parked = parkedJobs.find(
      (p) => (p.job as { callee?: string } | undefined)?.callee === c.call.callee,
    );
    if (
      stored &&
      stored.sha256 === recordingSha256(c.recording) &&
      stored.size === c.recording.size &&
      detail?.recording?.sha256 === stored.sha256
    )
      result.archived++;
    else if (parked?.reason) result.parked.push({ reason: parked.reason });
    else result.lost++;
  }
  return result;
}

const survived: Record<string, Outcome & { injected: string }> = {};

async function pushAll(handler: HttpHandler, calls: SyntheticCall[]): Promise<number> {
  const result = (await handler(
    pushEvent(TOKEN, JSON.stringify(calls.map((c) => c.report))),
    lambdaContext('reports'),
    () => undefined,
  )) as APIGatewayProxyStructuredResultV2;
  return result.statusCode ?? 0;
}

describe('faults, one at a time, during a push of 20 calls', () => {
  let h: Harness;
  let s3: S3Server | undefined;
  let calls: SyntheticCall[];
  const savedEnv = { ...process.env };

  async function start(options: { s3?: boolean; env?: Record<string, string> } = {}) {
    if (options.s3) s3 = await startS3();
    h = await startHarness({
      ...(s3 ? { s3Endpoint: s3.endpoint } : {}),
      env: {
        REPORTS_TOKEN: TOKEN,
        DISPATCH: 'local',
        // The platform's retries (Lambda's 1 and 2 minutes), shortened for the test.
        LOCAL_RETRY_DELAYS_MS: '200,600,1500',
        DYVMS_READ_TIMEOUT_MS: '400',
        DYVMS_MAX_RPS: '400',
        ...options.env,
      },
    });
    calls = syntheticCalls(CALLS);
    for (const c of calls) {
      h.dyvms.addCall(c.call);
      h.host.addRecording(c.recordingName, c.recording);
    }
    return handlerWith(reportsHandler, reportsServices, h.env);
  }

  async function run(name: string, injected: string, handler: HttpHandler): Promise<Outcome> {
    expect(await pushAll(handler, calls)).toBe(200);
    await drainHandlers();
    // Every injected fault was met, or the test proved nothing.
    expect(h.dyvms.faultsLeft + h.host.faultsLeft).toBe(0);
    const result = await outcome(h, calls);
    survived[name] = { ...result, injected };
    return result;
  }

  let logs: string[];
  const everyLine: string[] = [];
  beforeEach(() => {
    logs = everyLine;
    logsInto(logs);
  });
  afterEach(async () => {
    await drainHandlers();
    process.env = { ...savedEnv };
    jest.restoreAllMocks();
    stopLogs();
    await h.stop();
    await s3?.stop();
    s3 = undefined;
  });
  afterAll(() => recordFigures('faults', survived));

  const times = <T>(n: number, fault: T): T[] => Array.from({ length: n }, () => fault);
  // [behaviour, short name, what was injected, how]: each run must archive all 20 calls.
  const transientFaults: [string, string, string, (h: Harness) => void][] = [
    [
      'bursts of upstream throttling',
      'throttling',
      '12 Throttling.User / isv.BUSINESS_LIMIT_CONTROL',
      (h) =>
        h.dyvms.injectFaults(
          ...times(6, { kind: 'throttle' as const }),
          ...times(6, { kind: 'business-limit' as const }),
        ),
    ],
    [
      'recording host 5xx answers',
      'host-5xx',
      '6 × 503 from the recording host',
      (h) => h.host.injectFaults(...times(6, { kind: 'status' as const, status: 503 })),
    ],
    [
      'upstream 503s and HTML 502 pages',
      'upstream-5xx',
      '6 × 503 JSON, 6 × 502 HTML',
      (h) =>
        h.dyvms.injectFaults(
          ...times(6, { kind: 'server-error' as const }),
          ...times(6, { kind: 'html' as const }),
        ),
    ],
    [
      'upstream stalls past the read time-out',
      'upstream-stall',
      '4 × 3 s stall, read time-out 400 ms',
      (h) => h.dyvms.injectFaults(...times(4, { kind: 'stall' as const, ms: 3_000 })),
    ],
    [
      '"not ready yet" for the first lookups',
      'not-ready',
      '10 × Code OK without Data',
      (h) => h.dyvms.injectFaults(...times(10, { kind: 'not-ready' as const })),
    ],
    [
      'recording URLs that have expired on arrival',
      'expired-on-arrival',
      '10 URLs expired a minute ago',
      (h) => {
        let expiredLeft = 10;
        h.dyvms.useRecordingHost((name) => h.host.signedUrl(name, expiredLeft-- > 0 ? -60 : 3600));
      },
    ],
    [
      'the recording host answering 403 AccessDenied mid-run',
      'host-403',
      '5 × 403 Request has expired',
      (h) => h.host.injectFaults(...times(5, { kind: 'expired' as const })),
    ],
    [
      'bodies cut short',
      'body-cut-short',
      '6 bodies cut after 500 bytes',
      (h) => h.host.injectFaults(...times(6, { kind: 'truncate' as const, afterBytes: 500 })),
    ],
    [
      'connections reset mid-body',
      'connection-reset',
      '6 resets after 700 bytes',
      (h) => h.host.injectFaults(...times(6, { kind: 'reset' as const, afterBytes: 700 })),
    ],
  ];

  it.each(transientFaults)(
    'given %s, then every call is archived and verified',
    async (_behaviour, name, injected, inject) => {
      const handler = await start();
      inject(h);
      expect(await run(name, injected, handler)).toEqual({ archived: CALLS, parked: [], lost: 0 });
    },
  );

  it('given the S3 store goes down for two seconds mid-run, then every call is archived once it is back', async () => {
    const handler = await start({ s3: true });
    const server = s3 as S3Server;
    expect(await pushAll(handler, calls)).toBe(200);
    await server.pause();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await server.resume();
    await drainHandlers();
    const result = await outcome(h, calls);
    survived['storage-down'] = { ...result, injected: 's3rver stopped for 2 s, then restarted' };
    expect(result).toEqual({ archived: CALLS, parked: [], lost: 0 });
    expect(logs.filter((line) => line.includes('"job failed, will retry"')).length).toBeGreaterThan(
      0,
    );
    expect(await h.store.list('_pending/')).toEqual([]);
  });

  it('given the S3 store is down when a push arrives, then 503 so the Voice Service retries, and the retried push archives every call', async () => {
    const handler = await start({ s3: true });
    const server = s3 as S3Server;
    await server.pause();
    const whileDown = await pushAll(handler, calls);
    await server.resume();
    const retried = await pushAll(handler, calls);
    await drainHandlers();
    const result = await outcome(h, calls);
    survived['storage-down-at-push'] = {
      ...result,
      injected: 's3rver stopped while a push arrives; the push sent again',
    };
    expect([whileDown, retried]).toEqual([503, 200]);
    expect(result).toEqual({ archived: CALLS, parked: [], lost: 0 });
  });

  it('given a fault that outlasts every retry, then the calls it hit are parked with the reason and none is lost', async () => {
    const handler = await start({ env: { RECORDING_DOWNLOAD_ATTEMPTS: '1' } });
    const [first] = calls;
    // One call's recording is gone from the host for good (404 on every try).
    h.host.removeRecording((first as SyntheticCall).recordingName);
    const result = await run('outlasts-retries', 'one recording answering 404 for good', handler);
    expect(result.archived).toBe(CALLS - 1);
    expect(result.lost).toBe(0);
    expect(result.parked).toEqual([{ reason: expect.stringMatching(/^after 4 attempts: .*404/) }]);
  });

  // Last in the file: every log line the faults above produced, searched for leaks.
  it('given every log line of the fault runs, then none holds a phone number, the secret or a URL signature', () => {
    const leaks = leaksIn(everyLine, SECRET);
    recordFigures('faults-log-scan', {
      logLinesScanned: everyLine.length,
      leaks: Object.fromEntries(Object.entries(leaks).map(([k, v]) => [k, v.length])),
    });
    expect(everyLine.length).toBeGreaterThan(100);
    expect(leaks).toEqual({ phone: [], secret: [], signedUrl: [] });
  });
});
