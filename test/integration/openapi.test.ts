import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Handler,
} from 'aws-lambda';
import { parse } from 'yaml';
import { createHandler as lookupHandler } from '../../functions/lookup/handler';
import { createHandler as reportsHandler } from '../../functions/reports/handler';
import { lookupServices, reportsServices } from '../../lib/platform/wiring';
import { lambdaContext, loadEvent } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';
import { type Harness, startHarness } from '../support/harness';
import { logsInto } from '../support/logs';

const root = join(__dirname, '..', '..');
const spec = parse(readFileSync(join(root, 'openapi.yaml'), 'utf8')) as Record<string, unknown>;
// OpenAPI 3.1 schemas are JSON Schema 2020-12; the rest of the document is not, hence strict off.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(spec, 'openapi');

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Asserts a real response against the schema openapi.yaml gives for that route and status. */
function expectConforms(
  path: string,
  method: string,
  result: APIGatewayProxyStructuredResultV2,
): void {
  const paths = spec.paths as Record<
    string,
    Record<string, { responses: Record<string, { $ref?: string }> }>
  >;
  const response = paths[path]?.[method]?.responses[String(result.statusCode)];
  if (!response)
    throw new Error(`openapi.yaml documents no ${result.statusCode} for ${method} ${path}`);
  // A response given by $ref (#/components/responses/…) or inline under the operation.
  const base =
    response.$ref ?? `#/paths/${pointer(path, method, 'responses', String(result.statusCode))}`;
  const validate = ajv.getSchema(`openapi${base}/content/application~1json/schema`);
  if (!validate) throw new Error(`no schema for ${result.statusCode} of ${method} ${path}`);
  const body = JSON.parse(String(result.body));
  if (!validate(body))
    throw new Error(`${method} ${path} ${result.statusCode}: ${ajv.errorsText(validate.errors)}`);
}

type HttpHandler = Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  logsInto();
});
afterAll(async () => {
  await drainHandlers();
  await h.stop();
});

const env = (): NodeJS.ProcessEnv => ({
  ...h.env,
  API_KEYS: 'sandbox-key',
  VMS_SANDBOX: '1',
  REPORTS_TOKEN: 'sandbox-token',
  DISPATCH: 'local',
  LOCAL_RETRY_DELAYS_MS: '50,100',
  DYVMS_READ_TIMEOUT_MS: '300',
  DYVMS_CONNECT_TIMEOUT_MS: '200',
});

const call = async (handler: HttpHandler, event: APIGatewayProxyEventV2) =>
  (await handler(
    event,
    lambdaContext('openapi'),
    () => undefined,
  )) as APIGatewayProxyStructuredResultV2;

describe('openapi.yaml against real handler responses', () => {
  it('GET /calls/{taskId}/{callee}: every status the handler answers conforms', async () => {
    const lookup = handlerWith(lookupHandler, lookupServices, env());
    const event = (path: Record<string, string>, key = 'sandbox-key', date = '2019-06-14') => {
      const e = loadEvent('http/lookup');
      e.pathParameters = { taskId: '1045001', callee: '13000000000', ...path };
      e.headers = { ...e.headers, 'X-Api-Key': key };
      e.queryStringParameters = { date };
      return e;
    };
    const seen: number[] = [];
    const check = async (e: APIGatewayProxyEventV2) => {
      const result = await call(lookup, e);
      seen.push(result.statusCode ?? 0);
      expectConforms('/calls/{taskId}/{callee}', 'get', result);
    };

    await check(event({}));
    await check(event({ callee: '13000000001' }));
    await check(event({ taskId: '90071992547409931234', callee: '13000000002' }));
    await check(event({ taskId: 'x' }));
    await check(event({}, 'wrong'));
    await check(event({ callee: '13999999999' }));
    h.dyvms.injectFaults({ kind: 'throttle' }, { kind: 'throttle' }, { kind: 'throttle' });
    await check(event({}));
    h.dyvms.injectFaults({ kind: 'html' }, { kind: 'html' }, { kind: 'html' });
    await check(event({}));
    h.dyvms.injectFaults(
      { kind: 'stall', ms: 2000 },
      { kind: 'stall', ms: 2000 },
      { kind: 'stall', ms: 2000 },
    );
    await check(event({}));

    expect(seen).toEqual([200, 200, 200, 400, 401, 404, 429, 502, 504]);
  });

  it('POST /reports/{token}: every status the handler answers conforms', async () => {
    const reports = handlerWith(reportsHandler, reportsServices, env());
    const event = (body: string, token = 'sandbox-token') => {
      const e = loadEvent('http/reports');
      e.pathParameters = { token };
      e.body = body;
      return e;
    };
    const seen: number[] = [];
    for (const e of [
      event(JSON.stringify(loadEvent('http/reports-body'))),
      event('{'),
      event('[]', 'wrong'),
      event(`[${'{"a":"x"},'.repeat(110_000)}{}]`),
    ]) {
      const result = await call(reports, e);
      seen.push(result.statusCode ?? 0);
      expectConforms('/reports/{token}', 'post', result);
    }

    expect(seen).toEqual([200, 400, 404, 413]);
  });

  it('documents a status the handler cannot answer as a failure of this check', () => {
    expect(() =>
      expectConforms('/calls/{taskId}/{callee}', 'get', { statusCode: 418, body: '{}' }),
    ).toThrow(/documents no 418/);
    expect(() =>
      expectConforms('/calls/{taskId}/{callee}', 'get', { statusCode: 200, body: '{"taskId":1}' }),
    ).toThrow(/must/);
  });
});
