import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { sampleCalls } from '../../emulators/dyvms/sample-calls';
import { DyvmsEmulator } from '../../emulators/dyvms/server';
import { SsmEmulator } from '../../emulators/ssm/server';
import { createHandler } from '../../functions/lookup/handler';
import { readParametersByPath, SecretsUnavailableError } from '../../lib/platform/ssm-parameters';
import { lookupServices } from '../../lib/platform/wiring';
import { lambdaContext, loadEvent } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';

const REGION = 'ap-southeast-1';
const ROLE = { accessKeyId: 'ASIAROLETEST', secretAccessKey: 'role-secret', sessionToken: 'tok' };
const PATH = '/vms-call-archive/test/';
const API_KEY = 'ssm-api-key-0123456789';

let ssm: SsmEmulator;

beforeEach(async () => {
  ssm = new SsmEmulator({
    region: REGION,
    credentials: { [ROLE.accessKeyId]: ROLE.secretAccessKey },
    pageSize: 2,
    parameters: {
      [`${PATH}API_KEYS`]: `other-key-0123456789,${API_KEY}`,
      [`${PATH}REPORTS_TOKEN`]: 'reports-token-0123456789',
      [`${PATH}ALIBABA_CLOUD_ACCESS_KEY_ID`]: 'LTAIssmTest0001',
      [`${PATH}ALIBABA_CLOUD_ACCESS_KEY_SECRET`]: 'ssm-dyvms-secret',
      [`${PATH}nested/IGNORED`]: 'not directly under the path',
      '/another/API_KEYS': 'not ours',
    },
  });
  await ssm.start();
});
afterEach(() => ssm.stop());

const read = (over: Partial<Parameters<typeof readParametersByPath>[0]> = {}) =>
  readParametersByPath({
    path: PATH,
    region: REGION,
    endpoint: ssm.url,
    credentials: async () => ROLE,
    sleep: async () => undefined,
    ...over,
  });

describe('readParametersByPath against the SSM emulator', () => {
  it('given 4 parameters served 2 a page, then it reads every page, signed, decrypted, by name', async () => {
    const values = await read();

    expect(values).toEqual({
      API_KEYS: `other-key-0123456789,${API_KEY}`,
      REPORTS_TOKEN: 'reports-token-0123456789',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIssmTest0001',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ssm-dyvms-secret',
    });
    expect(ssm.requests.map((r) => r.body.NextToken ?? null)).toEqual([null, '2']);
    expect(ssm.requests.every((r) => r.signatureValid && r.body.WithDecryption === true)).toBe(
      true,
    );
    expect(ssm.requests[0]?.target).toBe('AmazonSSM.GetParametersByPath');
  });

  it('given SSM throttles twice, then the third try reads the secrets', async () => {
    ssm.options.throttleNext = 2;

    const values = await read();

    expect(values.REPORTS_TOKEN).toBe('reports-token-0123456789');
    expect(ssm.requests).toHaveLength(4);
  });

  it('given a wrong secret key, then the error names SSM’s answer and no value, without retrying', async () => {
    const error = await read({
      credentials: async () => ({ ...ROLE, secretAccessKey: 'wrong' }),
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecretsUnavailableError);
    expect((error as Error).message).toBe(
      `SSM GetParametersByPath ${PATH} answered 400 InvalidSignatureException`,
    );
    expect(ssm.requests).toHaveLength(1);
  });

  it('given nothing listens, then the error says SSM did not answer', async () => {
    const error = await read({ endpoint: 'http://127.0.0.1:9' }).catch((e: unknown) => e);

    expect((error as Error).message).toBe('SSM at 127.0.0.1:9 did not answer');
  });
});

describe('a function with SECRETS_SSM_PATH', () => {
  const savedEnv = process.env;
  let dyvms: DyvmsEmulator;
  let logs: string[];
  beforeEach(async () => {
    logs = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => logs.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => logs.push(line));
    dyvms = new DyvmsEmulator({
      calls: sampleCalls(),
      credentials: { LTAIssmTest0001: 'ssm-dyvms-secret' },
    });
    await dyvms.start();
  });
  afterEach(async () => {
    await drainHandlers();
    process.env = savedEnv;
    jest.restoreAllMocks();
    await dyvms.stop();
  });

  it('given its secrets only in SSM, then lookup accepts the key from SSM and signs Dyvmsapi with the keys from SSM, reading SSM once', async () => {
    // The role's credentials are the runtime's environment, read by the SDK's chain as it signs.
    process.env = {
      ...savedEnv,
      AWS_ACCESS_KEY_ID: ROLE.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ROLE.secretAccessKey,
      AWS_SESSION_TOKEN: ROLE.sessionToken,
    };
    const handler = handlerWith(createHandler, lookupServices, {
      SECRETS_SSM_PATH: PATH,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_SSM: ssm.url,
      DYVMS_ENDPOINT: dyvms.url,
    });
    const event = (key: string) => {
      const e = loadEvent('http/lookup');
      e.headers = { ...e.headers, 'X-Api-Key': key };
      return e;
    };

    const ok = (await handler(
      event(API_KEY),
      lambdaContext('lookup'),
    )) as APIGatewayProxyStructuredResultV2;
    const refused = (await handler(
      event('not-a-key-0123456789'),
      lambdaContext('lookup'),
    )) as APIGatewayProxyStructuredResultV2;

    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(String(ok.body)).callId).toBe('116950320375^103750100375');
    expect(refused.statusCode).toBe(401);
    // two pages, once for the process
    expect(ssm.requests).toHaveLength(2);
    expect(logs.join('\n')).not.toMatch(/ssm-dyvms-secret|reports-token|ssm-api-key/);
  });
});
