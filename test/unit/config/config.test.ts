import { loadConfig, requireApiKeys } from '../../../lib/config';
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

  it('given no API_KEYS, when a function requires them, then the error names API_KEYS', () => {
    expect(() => requireApiKeys(loadConfig({}))).toThrow(/API_KEYS is required/);
  });
});
