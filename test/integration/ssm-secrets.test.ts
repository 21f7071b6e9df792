import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { sampleCalls } from '../../emulators/dyvms/sample-calls';
import { DyvmsEmulator } from '../../emulators/dyvms/server';
import { SsmEmulator } from '../../emulators/ssm/server';
import { createHandler } from '../../functions/lookup/handler';
import { readParameters, SecretsUnavailableError } from '../../lib/platform/ssm-parameters';
import { lookupServices } from '../../lib/platform/wiring';
import { lambdaContext, loadEvent } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';
import { logsInto, stopLogs } from '../support/logs';

const REGION = 'ap-southeast-1';
const ROLE = { accessKeyId: 'ASIAROLETEST', secretAccessKey: 'role-secret', sessionToken: 'tok' };
const PATH = '/vms-call-archive/test/';
const API_KEY = 'ssm-api-key-0123456789';
const LOOKUP_SECRETS = [
  'API_KEYS',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
];

let ssm: SsmEmulator;

beforeEach(async () => {
  ssm = new SsmEmulator({
    region: REGION,
    credentials: { [ROLE.accessKeyId]: ROLE.secretAccessKey },
    parameters: {
      [`${PATH}API_KEYS`]: `other-key-0123456789,${API_KEY}`,
      [`${PATH}REPORTS_TOKEN`]: 'reports-token-0123456789',
      [`${PATH}ALIBABA_CLOUD_ACCESS_KEY_ID`]: 'LTAIssmTest0001',
      [`${PATH}ALIBABA_CLOUD_ACCESS_KEY_SECRET`]: 'ssm-dyvms-secret',
      [`${PATH}BROWSE_SESSION_SECRET`]: 'ssm-session-secret',
      '/another/API_KEYS': 'not ours',
    },
  });
  await ssm.start();
});
afterEach(() => ssm.stop());

const FOUR = [
  'API_KEYS',
  'REPORTS_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
];

const read = (over: Partial<Parameters<typeof readParameters>[0]> = {}) =>
  readParameters({
    path: PATH,
    names: FOUR,
    region: REGION,
    endpoint: ssm.url,
    credentials: async () => ROLE,
    sleep: async () => undefined,
    ...over,
  });

describe('readParameters against the SSM emulator', () => {
  it('given 4 names, then it reads exactly those, signed, decrypted, by name, and nothing else under the path', async () => {
    const values = await read();

    expect(values).toEqual({
      API_KEYS: `other-key-0123456789,${API_KEY}`,
      REPORTS_TOKEN: 'reports-token-0123456789',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIssmTest0001',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ssm-dyvms-secret',
    });
    expect(ssm.requests).toHaveLength(1);
    expect(ssm.requests[0]?.target).toBe('AmazonSSM.GetParameters');
    expect(ssm.requests[0]?.body.Names).toEqual(FOUR.map((name) => PATH + name));
    expect(ssm.requests.every((r) => r.signatureValid && r.body.WithDecryption === true)).toBe(
      true,
    );
  });

  it('given 12 names, then it asks 10 and then 2 (GetParameters takes at most 10), and a name SSM lacks is left out', async () => {
    const names = [...FOUR, ...Array.from({ length: 8 }, (_, i) => `MISSING_${i}`)];

    const values = await read({ names });

    expect(Object.keys(values).sort()).toEqual([...FOUR].sort());
    expect(ssm.requests.map((r) => r.body.Names?.length)).toEqual([10, 2]);
  });

  it('given a role granted only its own names, then asking for another is refused by SSM and not retried', async () => {
    ssm.options.grants = { [ROLE.accessKeyId]: [`${PATH}API_KEYS`] };

    const error = await read({ names: ['API_KEYS', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'] }).catch(
      (e: unknown) => e,
    );

    expect((error as Error).message).toBe(
      `SSM GetParameters under ${PATH} answered 400 AccessDeniedException`,
    );
    expect(ssm.requests).toHaveLength(1);
  });

  it('given SSM throttles twice, then the third try reads the secrets', async () => {
    ssm.options.throttleNext = 2;

    const values = await read();

    expect(values.REPORTS_TOKEN).toBe('reports-token-0123456789');
    expect(ssm.requests).toHaveLength(3);
  });

  it('given a wrong secret key, then the error names SSM’s answer and no value, without retrying', async () => {
    const error = await read({
      credentials: async () => ({ ...ROLE, secretAccessKey: 'wrong' }),
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecretsUnavailableError);
    expect((error as Error).message).toBe(
      `SSM GetParameters under ${PATH} answered 400 InvalidSignatureException`,
    );
    expect(ssm.requests).toHaveLength(1);
  });

  it('given nothing listens, then the error says SSM did not answer', async () => {
    const error = await read({ endpoint: 'http://127.0.0.1:9' }).catch((e: unknown) => e);

    expect((error as Error).message).toBe('SSM at 127.0.0.1:9 did not answer');
  });
});

describe('a function with SECRETS_SSM_PATH and SECRETS_SSM_NAMES', () => {
  const savedEnv = process.env;
  let dyvms: DyvmsEmulator;
  let logs: string[];
  beforeEach(async () => {
    logs = [];
    logsInto(logs);
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
    stopLogs();
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
    ssm.options.grants = {
      [ROLE.accessKeyId]: LOOKUP_SECRETS.map((name) => PATH + name),
    };
    const handler = handlerWith(createHandler, lookupServices, {
      SECRETS_SSM_PATH: PATH,
      SECRETS_SSM_NAMES: LOOKUP_SECRETS.join(','),
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
    // once for the process, for lookup's own three secrets: no push token, no session secret
    expect(ssm.requests).toHaveLength(1);
    expect(ssm.requests[0]?.body.Names).toEqual(LOOKUP_SECRETS.map((name) => PATH + name));
    expect(logs.join('\n')).not.toMatch(/ssm-dyvms-secret|reports-token|ssm-api-key/);
  });
});
