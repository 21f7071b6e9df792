import { createHash } from 'node:crypto';
import { loadConfig, requireHashSecret } from '../../../lib/config';

const CRM = 'crm-key-0000000000000001';
const BARE = 'bare-key-000000000000002';
const bareId = `key-${createHash('sha256').update(BARE).digest('hex').slice(0, 8)}`;

describe('named API keys', () => {
  it('given name:KEY entries and a bare key, then each key is known by its name or key-<8 hex>', () => {
    const { http } = loadConfig({ API_KEYS: `crm:${CRM}, ${BARE}` });

    expect(http.apiKeys).toEqual([CRM, BARE]);
    expect(http.namedKeys).toEqual([
      { name: 'crm', key: CRM },
      { name: bareId, key: BARE },
    ]);
  });

  it('given API_KEYS_SEE_NUMBERS by name and by key id, then only those keys see numbers; every key may export by default', () => {
    const { http } = loadConfig({
      API_KEYS: `crm:${CRM},alice:${CRM}x,${BARE}`,
      API_KEYS_SEE_NUMBERS: `alice,${bareId}`,
    });

    expect(http.seeNumbers).toEqual(['alice', bareId]);
    expect(http.exporters).toEqual(['crm', 'alice', bareId]);
  });

  it('given API_KEYS_EXPORT, then only the keys it names may export', () => {
    const { http } = loadConfig({ API_KEYS: `crm:${CRM},alice:${BARE}`, API_KEYS_EXPORT: 'alice' });

    expect(http.exporters).toEqual(['alice']);
  });

  it.each([
    ['API_KEYS_SEE_NUMBERS', { API_KEYS: `crm:${CRM}`, API_KEYS_SEE_NUMBERS: 'bob' }],
    ['API_KEYS_EXPORT', { API_KEYS: `crm:${CRM}`, API_KEYS_EXPORT: 'crm,eve' }],
    ['API_KEYS', { API_KEYS: `crm:${CRM},crm:${BARE}` }],
  ])('given %s naming no key (or a name twice), then start-up stops naming it', (name, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });
});

describe('lifecycle settings', () => {
  it('given no RETENTION_DAYS, then calls are kept forever; given one, it is a whole number of days', () => {
    expect(loadConfig({}).lifecycle.retentionDays).toBeUndefined();
    expect(loadConfig({ RETENTION_DAYS: '365' }).lifecycle.retentionDays).toBe(365);
    expect(() => loadConfig({ RETENTION_DAYS: '30d' })).toThrow(/RETENTION_DAYS/);
    expect(() => loadConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
  });

  it('given no or a short AUDIT_HASH_SECRET outside the sandbox, then erase and hold refuse to start', () => {
    expect(() => requireHashSecret(loadConfig({}))).toThrow(/AUDIT_HASH_SECRET is required/);
    expect(() => requireHashSecret(loadConfig({ AUDIT_HASH_SECRET: 'c2hvcnQ=' }))).toThrow(
      /fewer than 32 bytes/,
    );
    const strong = Buffer.alloc(32, 1).toString('base64');
    expect(requireHashSecret(loadConfig({ AUDIT_HASH_SECRET: strong }))).toBe(strong);
    expect(requireHashSecret(loadConfig({ AUDIT_HASH_SECRET: 'x', VMS_SANDBOX: '1' }))).toBe('x');
  });
});
