import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as archiveFc from '../../functions/archive/fc';
import * as browseFc from '../../functions/browse/fc';
import * as lookupFc from '../../functions/lookup/fc';
import * as reconcileFc from '../../functions/reconcile/fc';
import * as reportsFc from '../../functions/reports/fc';
import type { FcContext, FcHttpResponse } from '../../lib/platform/fc';
import {
  archiveServices,
  browseServices,
  lookupServices,
  reconcileServices,
  reportsServices,
} from '../../lib/platform/wiring';
import { buildFc } from '../../scripts/build-fc';
import { drainHandlers, handlerWith } from '../support/handlers';
import { type Harness, KEY_ID, SECRET, startHarness } from '../support/harness';
import { logsInto, stopLogs } from '../support/logs';

const root = join(__dirname, '..', '..');
type FcHandler = (event: Buffer, context: FcContext) => Promise<unknown>;

let h: Harness;
const savedEnv = { ...process.env };

beforeEach(async () => {
  h = await startHarness();
  logsInto();
});
afterEach(async () => {
  await drainHandlers();
  process.env = { ...savedEnv };
  jest.restoreAllMocks();
  stopLogs();
  await h.stop();
});

/** The harness's environment minus the keys: FC gives them per call. */
function fcEnv(): NodeJS.ProcessEnv {
  const {
    ALIBABA_CLOUD_ACCESS_KEY_ID: _id,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: _secret,
    ...env
  } = h.env;
  return {
    ...env,
    API_KEYS: 'sandbox-key',
    VMS_SANDBOX: '1',
    REPORTS_TOKEN: 'sandbox-token',
    BROWSE_SESSION_SECRET: Buffer.alloc(32, 3).toString('base64'),
    DISPATCH: 'local',
    LOCAL_RETRY_DELAYS_MS: '50,100',
  };
}

/** Each FC entry as its module builds it, with services built from fcEnv(). */
const loadFc = {
  archive: () => handlerWith(archiveFc.createHandler, archiveServices, fcEnv()),
  browse: () => handlerWith(browseFc.createHandler, browseServices, fcEnv()),
  lookup: () => handlerWith(lookupFc.createHandler, lookupServices, fcEnv()),
  reconcile: () => handlerWith(reconcileFc.createHandler, reconcileServices, fcEnv()),
  reports: () => handlerWith(reportsFc.createHandler, reportsServices, fcEnv()),
};

const fcContext = (): FcContext => ({
  requestId: '1-6764f0a2-15a3b7e4-0f2c3d4e5a6b',
  credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET, securityToken: 'sts-token-1' },
  function: { name: 'vms-call-archive-lookup', handler: 'index.handler', memory: 256, timeout: 29 },
  region: 'cn-hangzhou',
  accountId: '1234567890123456',
});

const fcEvent = (name: string) =>
  JSON.parse(readFileSync(join(root, 'events', 'fc', `${name}.json`), 'utf8'));
const asBuffer = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('Function Compute 3.0 adapter', () => {
  it('given a recorded HTTP-trigger event, then lookup answers an FC response with the role credentials from the context', async () => {
    const handler = loadFc.lookup();

    const response = (await handler(
      asBuffer(fcEvent('lookup-http')),
      fcContext(),
    )) as FcHttpResponse;

    expect(response).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(response.headers['Content-Type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body)).toMatchObject({
      taskId: '1045001',
      callId: '116950320375^103750100375',
    });
    expect(h.dyvms.requests).toEqual([expect.objectContaining({ status: 200 })]);
  });

  it('given comma-joined multi-valued headers and a wrong key, then 401', async () => {
    const handler = loadFc.lookup();
    const event = fcEvent('lookup-http');
    event.headers['X-Api-Key'] = 'sandbox-key,other';

    const response = (await handler(asBuffer(event), fcContext())) as FcHttpResponse;

    expect(response.statusCode).toBe(401);
  });

  it('given a path that is no route, then 404 without calling the handler', async () => {
    const handler = loadFc.lookup();
    const event = fcEvent('lookup-http');
    event.rawPath = '/calls/1045001';

    const response = (await handler(asBuffer(event), fcContext())) as FcHttpResponse;

    expect(response.statusCode).toBe(404);
    expect(h.dyvms.requests).toHaveLength(0);
  });

  it('given a base64 push body, then reports decodes it and counts the records', async () => {
    const handler = loadFc.reports();

    const response = (await handler(
      asBuffer(fcEvent('reports-http-base64')),
      fcContext(),
    )) as FcHttpResponse;

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      code: 0,
      msg: 'received',
      accepted: 2,
      rejected: 1,
    });
  });

  it('given an async-invocation payload as a Buffer, then archive archives the call', async () => {
    const handler = loadFc.archive();

    const outcome = await handler(asBuffer(fcEvent('archive-async')), fcContext());

    expect(outcome).toMatchObject({ status: 'archived' });
  });

  it('given a payload that is not JSON, then archive parks it instead of retrying forever', async () => {
    const handler = loadFc.archive();

    const outcome = await handler(Buffer.from('not json'), fcContext());

    expect(outcome).toMatchObject({ status: 'parked' });
  });

  it('given an HTTP trigger, then browse signs in with a cookie FC passes back, and answers the API with it', async () => {
    const handler = loadFc.browse();
    const http = (method: string, rawPath: string, headers: Record<string, string>, body = '') =>
      Buffer.from(
        JSON.stringify({
          ...fcEvent('lookup-http'),
          rawPath,
          headers,
          body,
          queryParameters: {},
          requestContext: { requestId: 'r', http: { method, path: rawPath } },
        }),
      );

    const signIn = (await handler(
      http(
        'POST',
        '/app/session',
        { 'Content-Type': 'application/json' },
        '{"apiKey":"sandbox-key"}',
      ),
      fcContext(),
    )) as { statusCode: number; headers: Record<string, string> };
    const cookie = signIn.headers['set-cookie']?.split(';')[0] ?? '';
    const day = (await handler(
      http('GET', '/archive/days/2019-06-14', { Cookie: cookie }),
      fcContext(),
    )) as { statusCode: number; body: string };
    const without = (await handler(http('GET', '/archive/days/2019-06-14', {}), fcContext())) as {
      statusCode: number;
    };

    expect(signIn.statusCode).toBe(204);
    expect(cookie).toMatch(/^vca_session=v2\./);
    expect(day.statusCode).toBe(200);
    expect(JSON.parse(day.body)).toMatchObject({ date: '2019-06-14', archived: 0 });
    expect(without.statusCode).toBe(401);
  });

  it('given a timer trigger event, then reconcile runs and answers its summary', async () => {
    const handler = loadFc.reconcile();
    const timer = { triggerTime: '2026-11-26T00:00:00Z', triggerName: 'hourly', payload: '' };

    const summary = await handler(Buffer.from(JSON.stringify(timer)), fcContext());

    // The sample tasks are from 2019: listed upstream, none within the lookback.
    expect(summary).toMatchObject({ tasksSeen: 0, complete: true, failed: [] });
    expect((summary as { tasksListed: number }).tasksListed).toBeGreaterThan(0);
  });
});

describe('s.yaml and the FC bundles', () => {
  // Eight bundles (esbuild): ~30 s on a quiet machine, twice that on a busy one.
  jest.setTimeout(240_000);
  beforeAll(() => buildFc());

  it('names only code the build produces, with the handler it exports', async () => {
    const spec = parse(readFileSync(join(root, 's.yaml'), 'utf8')) as {
      resources: Record<
        string,
        {
          component: string;
          props: {
            code: string;
            handler: string;
            runtime: string;
            environmentVariables?: Record<string, string>;
          };
        }
      >;
    };

    expect(Object.keys(spec.resources).sort()).toEqual([
      'archive',
      'browse',
      'index-compact',
      'lookup',
      'park',
      'reconcile',
      'reports',
      'retention',
    ]);
    expect(existsSync(join(root, 'dist/fc/browse/web/dist/index.html'))).toBe(true);
    const reconcile = spec.resources.reconcile?.props as unknown as
      | { triggers: { triggerType: string }[] }
      | undefined;
    expect(reconcile?.triggers).toEqual([expect.objectContaining({ triggerType: 'timer' })]);
    for (const [name, resource] of Object.entries(spec.resources)) {
      expect(resource.component).toBe('fc3');
      // FC reserves FC_* (it sets FC_ACCOUNT_ID and FC_REGION itself) and refuses to deploy them
      expect(
        Object.keys(resource.props.environmentVariables ?? {}).filter((k) => k.startsWith('FC_')),
      ).toEqual([]);
      expect(resource.props.runtime).toBe('nodejs20');
      const [file, exported] = resource.props.handler.split('.');
      const bundle = join(root, resource.props.code, `${file}.js`);
      expect(existsSync(bundle)).toBe(true);
      process.env = {
        ...savedEnv,
        ...h.env,
        API_KEYS: 'k',
        REPORTS_TOKEN: 't',
        BROWSE_SESSION_SECRET: 's',
        // as s.yaml dispatches: a deployed bundle has no DISPATCH=local
        DISPATCH: 'fc:vms-call-archive-archive',
        FC_ACCOUNT_ID: '1234567890123456',
        FC_REGION: 'cn-hangzhou',
      };
      try {
        jest.isolateModules(() => {
          expect(typeof require(bundle)[exported as string]).toBe('function');
        });
      } finally {
        process.env = { ...savedEnv };
      }
      expect(resource.props.code).toBe(`./dist/fc/${name}`);
    }
  });

  it("sends what the archive's async retries give up on to the park function, whose bundle keeps it in _rejected/", async () => {
    const spec = parse(readFileSync(join(root, 's.yaml'), 'utf8')) as {
      resources: Record<string, { props: Record<string, unknown> }>;
    };
    const onFailure = JSON.stringify(spec.resources.archive?.props.asyncInvokeConfig);
    expect(onFailure).toContain(':functions/vms-call-archive-park');
    expect(onFailure).not.toContain('mns');
    expect(spec.resources.park?.props.functionName).toBe('vms-call-archive-park');
    process.env = { ...savedEnv, ...h.env };
    const job = { taskId: '1045001', callee: '13000000000', date: '2019-06-14' };
    try {
      let handler: FcHandler | undefined;
      jest.isolateModules(() => {
        handler = require(join(root, 'dist/fc/park/index.js')).handler;
      });
      await handler?.(
        asBuffer({
          timestamp: '2019-06-14T08:00:00.000Z',
          requestContext: {
            requestId: 'r',
            condition: 'UnhandledInvocationError',
            approximateInvokeCount: 3,
          },
          requestPayload: JSON.stringify(job),
          responseContext: { statusCode: 200, functionError: 'UnhandledInvocationError' },
          responsePayload: JSON.stringify({ errorMessage: 'upstream 503' }),
        }),
        fcContext(),
      );
    } finally {
      process.env = { ...savedEnv };
    }
    const [key] = await h.store.list('_rejected/2019-06-14/');
    expect(JSON.parse(String(await h.store.get(key ?? '')))).toMatchObject({
      kind: 'job',
      job,
      attempts: 3,
      reason: expect.stringContaining('upstream 503'),
    });
  });

  /** A push through dist/fc/reports, with DISPATCH as given, into a local FC endpoint. */
  async function pushThroughBundle(dispatch: string) {
    const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
    const fc = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      req.resume().on('end', () => res.writeHead(202, { 'x-fc-request-id': 'r1' }).end());
    });
    await new Promise<void>((resolve) => fc.listen(0, '127.0.0.1', resolve));
    process.env = {
      ...savedEnv,
      ...h.env,
      REPORTS_TOKEN: 'sandbox-token',
      VMS_SANDBOX: '1',
      DISPATCH: dispatch,
      FC_ACCOUNT_ID: '1234567890123456',
      FC_REGION: 'cn-hangzhou',
      FC_ENDPOINT: `http://127.0.0.1:${(fc.address() as AddressInfo).port}`,
    };
    try {
      let handler: FcHandler | undefined;
      jest.isolateModules(() => {
        handler = require(join(root, 'dist/fc/reports/index.js')).handler;
      });
      const response = (await handler?.(
        asBuffer(fcEvent('reports-http-base64')),
        fcContext(),
      )) as FcHttpResponse;
      return { response, seen };
    } finally {
      process.env = { ...savedEnv };
      fc.closeAllConnections();
      await new Promise((resolve) => fc.close(resolve));
    }
  }

  it('given fc:<service>/<function>, then fc2 (without its upload and WebSocket parts) invokes FC 2.0 asynchronously', async () => {
    const { response, seen } = await pushThroughBundle('fc:vms/archive');

    expect(response.statusCode).toBe(200);
    expect(seen.length).toBeGreaterThan(0);
    for (const request of seen) {
      expect(request.url).toBe('/2016-08-15/services/vms/functions/archive/invocations');
      expect(request.headers['x-fc-invocation-type']).toBe('Async');
      expect(request.headers.authorization).toMatch(new RegExp(`^FC ${KEY_ID}:`));
    }
  });

  it('given DISPATCH=local, then the deployed bundle refuses to start and says why', async () => {
    const failure = await pushThroughBundle('local').catch((error: unknown) => error);

    expect(String(failure)).toMatch(/DISPATCH=local archives in the process that takes the push/);
  });

  it('given fc:<function>, then it invokes FC 3.0 asynchronously, ACS3-signed', async () => {
    const { response, seen } = await pushThroughBundle('fc:archive');

    expect(response.statusCode).toBe(200);
    expect(seen.length).toBeGreaterThan(0);
    for (const request of seen) {
      expect(request.url).toBe('/2023-03-30/functions/archive/invocations');
      expect(request.headers['x-fc-invocation-type']).toBe('Async');
      expect(request.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=/);
    }
  });
});
