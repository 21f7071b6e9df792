import { loadConfig, requireApiKeys, requireReportsToken } from '../../../lib/config';
import { ConfigError } from '../../../lib/errors';

describe('loadConfig', () => {
  it('given an empty environment, then it applies the documented defaults', () => {
    const config = loadConfig({});

    expect(config.dyvms.endpoint).toEqual({ protocol: 'https', host: 'dyvmsapi.aliyuncs.com' });
    expect(config.dyvms.maxRps).toBe(80);
    expect(config.dyvms.credentials).toBeUndefined();
    expect(config.recording.hosts).toEqual(['.aliyuncs.com', '.aliyun-inc.com']);
    expect(config.platform.port).toBe(3000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('given an emulator URL, then protocol and host:port are split for openapi-client', () => {
    expect(loadConfig({ DYVMS_ENDPOINT: 'http://127.0.0.1:4010' }).dyvms.endpoint).toEqual({
      protocol: 'http',
      host: '127.0.0.1:4010',
    });
  });

  it('given POWERTOOLS_LOG_LEVEL, then the level is validated and defaults to INFO', () => {
    expect(loadConfig({}).log.level).toBe('INFO');
    expect(loadConfig({ POWERTOOLS_LOG_LEVEL: 'debug' }).log.level).toBe('DEBUG');
    expect(() => loadConfig({ POWERTOOLS_LOG_LEVEL: 'LOUD' })).toThrow(/POWERTOOLS_LOG_LEVEL/);
  });

  it('given comma-separated API_KEYS with blanks, then it keeps the non-empty keys', () => {
    expect(loadConfig({ API_KEYS: ' a, ,b ' }).http.apiKeys).toEqual(['a', 'b']);
  });

  it.each([
    ['DYVMS_MAX_RPS', { DYVMS_MAX_RPS: 'fast' }],
    ['DYVMS_READ_TIMEOUT_MS', { DYVMS_READ_TIMEOUT_MS: '0' }],
    ['DYVMS_ENDPOINT', { DYVMS_ENDPOINT: 'ftp://example' }],
    ['PORT', { PORT: '-1' }],
    ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIonly' }],
  ])('given a bad %s, then start-up stops with an error naming it', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it.each([
    ['API_KEYS', () => requireApiKeys(loadConfig({ API_KEYS: 'long-enough-key-0001,short' }))],
    ['REPORTS_TOKEN', () => requireReportsToken(loadConfig({ REPORTS_TOKEN: 'tiny' }))],
    ['RECORDING_HOSTS', () => loadConfig({ RECORDING_HOSTS: '.com' })],
    ['RECORDING_HOSTS', () => loadConfig({ RECORDING_HOSTS: '.aliyuncs.com,.' })],
  ])('given a weak %s outside the sandbox, then start-up stops naming it', (name, start) => {
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(name);
  });

  it('given short secrets in the sandbox, then they are accepted', () => {
    const config = loadConfig({ VMS_SANDBOX: '1', API_KEYS: 'k', REPORTS_TOKEN: 't' });

    expect(requireApiKeys(config)).toEqual(['k']);
    expect(requireReportsToken(config)).toBe('t');
  });

  it('given API_KEYS of only blanks, when lookup requires keys, then start-up stops', () => {
    expect(() => requireApiKeys(loadConfig({ API_KEYS: ' ' }))).toThrow(/API_KEYS is required/);
  });

  it('given fc:<function> or fc:<service>/<function>, then FC 3.0 (no service) or FC 2.0', () => {
    expect(loadConfig({ DISPATCH: 'fc:vca-archive' }).dispatch.target).toMatchObject({
      kind: 'fc',
      service: undefined,
      functionName: 'vca-archive',
    });
    expect(loadConfig({ DISPATCH: 'fc:svc/vca-archive' }).dispatch.target).toMatchObject({
      kind: 'fc',
      service: 'svc',
      functionName: 'vca-archive',
    });
    expect(() => loadConfig({ DISPATCH: 'fc:a/b/c' })).toThrow(/DISPATCH/);
  });

  it('given no API_KEYS, when a function requires them, then the error names API_KEYS', () => {
    expect(() => requireApiKeys(loadConfig({}))).toThrow(/API_KEYS is required/);
  });
});
