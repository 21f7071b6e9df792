import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import * as $Util from '@alicloud/tea-util';
import { sampleCalls } from '../../emulators/dyvms/sample-calls';
import { DyvmsEmulator } from '../../emulators/dyvms/server';
import { loadConfig } from '../../lib/config';
import { createDyvmsClient } from '../../lib/dyvms/client';
import { DyvmsError } from '../../lib/dyvms/dyvms-error';
import { QueryRobotTaskCallDetailRequest } from '../../lib/dyvms/models';

const KEY_ID = 'LTAItestKeyId0001';
const SECRET = 'test-secret-0001';
const QUERY_DATE = Date.parse('2019-06-14T12:00:00+08:00');

let emulator: DyvmsEmulator;

beforeEach(async () => {
  emulator = new DyvmsEmulator({ calls: sampleCalls(), credentials: { [KEY_ID]: SECRET } });
  await emulator.start();
});
afterEach(() => emulator.stop());

function client(env: Record<string, string> = {}) {
  const config = loadConfig({
    ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
    DYVMS_ENDPOINT: emulator.url,
    ...env,
  });
  const delays: number[] = [];
  const dyvms = createDyvmsClient(config.dyvms, {
    sleep: async (ms) => {
      delays.push(ms);
    },
  });
  return { dyvms, delays };
}

const seedRequest = (overrides: Partial<QueryRobotTaskCallDetailRequest> = {}) =>
  new QueryRobotTaskCallDetailRequest({
    taskId: '1045001',
    callee: '13000000000',
    queryDate: QUERY_DATE,
    ...overrides,
  });

async function failure(promise: Promise<unknown>): Promise<DyvmsError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof DyvmsError))
    throw new Error(`expected a DyvmsError, got ${String(outcome)}`);
  return outcome;
}

describe('Dyvmsapi client against the emulator', () => {
  it('given valid keys, when it queries the seed call, then the ACS3-signed request is accepted and Data comes back', async () => {
    const { dyvms } = client();

    const body = await dyvms.queryRobotTaskCallDetail(seedRequest());

    expect(body.code).toBe('OK');
    expect(typeof body.data).toBe('string');
    expect(String(body.data)).toContain('116950320375^103750100375');
    expect(emulator.requests).toEqual([
      expect.objectContaining({ scheme: 'ACS3-HMAC-SHA256', status: 200 }),
    ]);
  });

  it('given a task id beyond 2^53, then it reaches the upstream digit for digit', async () => {
    const { dyvms } = client();

    const body = await dyvms.queryRobotTaskCallDetail(
      seedRequest({ taskId: '90071992547409931234', callee: '13000000002' }),
    );

    expect(String(body.data)).toContain('90071992547409931234^18014398509481984123');
  });

  it('given a wrong secret, then SignatureDoesNotMatch is retried a bounded number of times (a clock or transient fault looks the same), then a retryable 502', async () => {
    const { dyvms } = client({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong' });

    const error = await failure(dyvms.queryRobotTaskCallDetail(seedRequest()));

    expect(error).toMatchObject({
      upstreamCode: 'SignatureDoesNotMatch',
      retryable: true,
      httpStatus: 400,
      statusCode: 502,
    });
    expect(emulator.requests).toHaveLength(3);
  });

  it.each([
    ['SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.'],
    ['InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'],
    ['SignatureNonceUsed', 'Specified signature nonce was used already.'],
  ])('given %s once, then the retry succeeds', async (code, message) => {
    emulator.injectFaults({ kind: 'code', code, message, status: 400 });
    const { dyvms } = client();

    const body = await dyvms.queryRobotTaskCallDetail(seedRequest());

    expect(body.code).toBe('OK');
    expect(emulator.requests.map((r) => r.code)).toEqual([code, 'OK']);
  });

  it('given an unknown AccessKeyId, then InvalidAccessKeyId.NotFound is not retried', async () => {
    const { dyvms } = client({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIunknown' });

    const error = await failure(dyvms.queryRobotTaskCallDetail(seedRequest()));

    expect(error.upstreamCode).toBe('InvalidAccessKeyId.NotFound');
    expect(emulator.requests).toHaveLength(1);
  });

  it('given throttling then success, then it retries with jittered backoff and succeeds', async () => {
    emulator.injectFaults({ kind: 'throttle' }, { kind: 'business-limit' });
    const { dyvms, delays } = client();

    const body = await dyvms.queryRobotTaskCallDetail(seedRequest());

    expect(body.code).toBe('OK');
    expect(emulator.requests.map((r) => r.code)).toEqual([
      'Throttling.User',
      'isv.BUSINESS_LIMIT_CONTROL',
      'OK',
    ]);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeLessThan(200);
    expect(delays[1]).toBeLessThan(400);
  });

  it('given throttling on every attempt, then it gives up after the bounded attempts with a 429', async () => {
    emulator.injectFaults(
      { kind: 'business-limit' },
      { kind: 'business-limit' },
      { kind: 'business-limit' },
    );
    const { dyvms } = client();

    const error = await failure(dyvms.queryRobotTaskCallDetail(seedRequest()));

    expect(error).toMatchObject({ kind: 'throttled', statusCode: 429, retryable: true });
    expect(emulator.requests).toHaveLength(3);
  });

  it('given a 503 then success, then the retry succeeds', async () => {
    emulator.injectFaults({ kind: 'server-error' });
    const { dyvms } = client();

    await expect(dyvms.queryRobotTaskCallDetail(seedRequest())).resolves.toMatchObject({
      code: 'OK',
    });
    expect(emulator.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('given an HTML 502 page every time, then the error keeps HTTP 502', async () => {
    emulator.injectFaults({ kind: 'html' }, { kind: 'html' }, { kind: 'html' });
    const { dyvms } = client();

    const error = await failure(dyvms.queryRobotTaskCallDetail(seedRequest()));

    expect(error).toMatchObject({
      upstreamCode: 'InvalidResponse',
      httpStatus: 502,
      statusCode: 502,
      retryable: true,
    });
    expect(emulator.requests).toHaveLength(3);
  });

  it('given a stall past the read time-out, then it fails as a time-out (504)', async () => {
    emulator.injectFaults({ kind: 'stall', ms: 2_000 }, { kind: 'stall', ms: 2_000 });
    const { dyvms } = client({ DYVMS_READ_TIMEOUT_MS: '200', DYVMS_MAX_ATTEMPTS: '2' });

    const error = await failure(dyvms.queryRobotTaskCallDetail(seedRequest()));

    expect(error).toMatchObject({ kind: 'timeout', statusCode: 504, code: 'UpstreamTimeout' });
  });

  it('given a stall on a reused keep-alive connection, then the attempt still times out (504)', async () => {
    const { dyvms } = client({
      DYVMS_READ_TIMEOUT_MS: '200',
      DYVMS_CONNECT_TIMEOUT_MS: '100',
      DYVMS_MAX_ATTEMPTS: '2',
    });
    await dyvms.queryRobotTaskCallDetail(seedRequest());
    emulator.injectFaults({ kind: 'stall', ms: 3_000 }, { kind: 'stall', ms: 3_000 });
    const started = Date.now();

    const error = await failure(dyvms.queryRobotTaskCallDetail(seedRequest()));

    expect(error).toMatchObject({ kind: 'timeout', statusCode: 504 });
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('given HTTP 200 with Code isv.INVALID_PARAMETERS, then it is an error and not retried', async () => {
    emulator.injectFaults({ kind: 'code', code: 'isv.INVALID_PARAMETERS', message: '参数错误' });
    const { dyvms } = client();

    const error = await failure(dyvms.queryRobotTaskCallDetail(seedRequest()));

    expect(error).toMatchObject({
      upstreamCode: 'isv.INVALID_PARAMETERS',
      httpStatus: 200,
      retryable: false,
    });
    expect(emulator.requests).toHaveLength(1);
  });

  it('given nothing listens at the endpoint, then it is a retryable network error', async () => {
    await emulator.stop();
    const { dyvms } = client();

    const error = await failure(dyvms.queryRobotTaskCallDetail(seedRequest()));

    expect(error).toMatchObject({ kind: 'network', upstreamCode: 'ECONNREFUSED', retryable: true });
  });
});

describe('Dyvmsapi emulator signature checks', () => {
  const v1Client = (secret: string) =>
    new OpenApi(
      new $OpenApi.Config({
        credential: new Credential(
          new CredentialConfig({
            type: 'access_key',
            accessKeyId: KEY_ID,
            accessKeySecret: secret,
          }),
        ),
        endpoint: emulator.url.replace('http://', ''),
        protocol: 'http',
        signatureAlgorithm: 'v2',
      }),
    );
  const v1Params = new $OpenApi.Params({
    action: 'QueryRobotTaskCallDetail',
    version: '2017-05-25',
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const query = { TaskId: '1045001', Callee: '13000000000', QueryDate: String(QUERY_DATE) };

  it('given the HMAC-SHA1 v1 query form with the right secret, then the call is served', async () => {
    const result = await v1Client(SECRET).callApi(
      v1Params,
      new $OpenApi.OpenApiRequest({ query }),
      new $Util.RuntimeOptions({}),
    );

    expect(result.body.Code).toBe('OK');
    expect(emulator.requests[0]?.scheme).toBe('HMAC-SHA1');
  });

  it('given the v1 form with a wrong secret, then it answers SignatureDoesNotMatch', async () => {
    await expect(
      v1Client('wrong').callApi(
        v1Params,
        new $OpenApi.OpenApiRequest({ query }),
        new $Util.RuntimeOptions({}),
      ),
    ).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('given a signed request sent twice with the same nonce, then the second is refused', async () => {
    const params: Record<string, string> = {
      ...query,
      Action: 'QueryRobotTaskCallDetail',
      Version: '2017-05-25',
      Format: 'JSON',
      AccessKeyId: KEY_ID,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'nonce-used-twice',
      Timestamp: OpenApiUtil.getTimestamp(),
    };
    params.Signature = OpenApiUtil.getRPCSignature(params, 'GET', SECRET);
    const url = `${emulator.url}/?${new URLSearchParams(params).toString().replace(/\+/g, '%20')}`;

    const first = await fetch(url);
    const second = await fetch(url);

    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ Code: 'SignatureNonceUsed' });
  });

  it('given a query tampered with after v1 signing, then verification fails', async () => {
    const params: Record<string, string> = {
      ...query,
      Action: 'QueryRobotTaskCallDetail',
      Version: '2017-05-25',
      AccessKeyId: KEY_ID,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'nonce-tampered',
      Timestamp: OpenApiUtil.getTimestamp(),
    };
    params.Signature = OpenApiUtil.getRPCSignature(params, 'GET', SECRET);
    params.Callee = '13000000001';

    const response = await fetch(`${emulator.url}/?${new URLSearchParams(params).toString()}`);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ Code: 'SignatureDoesNotMatch' });
  });
});
