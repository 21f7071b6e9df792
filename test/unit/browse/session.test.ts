import { createHmac } from 'node:crypto';
import {
  createSession,
  isValidFileSignature,
  SESSION_SECONDS,
  sessionCookie,
  sessionKeyId,
  sessionOf,
  signedFilePath,
} from '../../../lib/browse/session';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const NOW = Date.parse('2026-11-26T08:00:00Z');
const KEY_ID = 'key-0a1b2c3d';
const IDS = [KEY_ID, 'key-99999999'];

describe('browse sessions', () => {
  it('given a fresh session, then it is valid for 12 hours and not a second longer', () => {
    const session = createSession(SECRET, NOW, KEY_ID);

    expect(sessionKeyId(session, SECRET, NOW + SESSION_SECONDS * 1000 - 1, IDS)).toBe(KEY_ID);
    expect(sessionKeyId(session, SECRET, NOW + SESSION_SECONDS * 1000 + 1, IDS)).toBeUndefined();
  });

  it('given a session signed with another secret, or with its expiry or key changed, then it is refused', () => {
    const session = createSession(SECRET, NOW, KEY_ID);
    const [version, , keyId, mac] = session.split('.');

    expect(sessionKeyId(session, Buffer.alloc(32, 8).toString('base64'), NOW, IDS)).toBeUndefined();
    expect(
      sessionKeyId(`${version}.${NOW + 10 ** 12}.${keyId}.${mac}`, SECRET, NOW, IDS),
    ).toBeUndefined();
    expect(
      sessionKeyId(`${version}.${NOW + 1000}.key-99999999.${mac}`, SECRET, NOW, IDS),
    ).toBeUndefined();
    expect(sessionKeyId(undefined, SECRET, NOW, IDS)).toBeUndefined();
  });

  it('given a session of a key no longer listed, then it is refused', () => {
    const session = createSession(SECRET, NOW, KEY_ID);

    expect(sessionKeyId(session, SECRET, NOW, ['key-99999999'])).toBeUndefined();
    expect(sessionKeyId(session, SECRET, NOW, [])).toBeUndefined();
  });

  it('given a v1 session (bound to no key) signed with the right secret, then it is refused', () => {
    const body = `v1.${NOW + 1000}`;
    const v1 = `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;

    expect(sessionKeyId(v1, SECRET, NOW, IDS)).toBeUndefined();
  });

  it('given the cookie, then it is HttpOnly, Secure and SameSite=Strict, and read back from the request', () => {
    const cookie = sessionCookie('v1.1.x');

    expect(cookie).toMatch(/; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=43200$/);
    expect(sessionOf(['other=1', 'vca_session=v1.1.x'])).toBe('v1.1.x');
  });

  it('given a signed file path, then it is good for its key until it expires, and for no other key', () => {
    const url = new URL(`http://x${signedFilePath(SECRET, '1/2019-06-14/c/recording.wav', NOW)}`);
    const expires = url.searchParams.get('expires') ?? undefined;
    const signature = url.searchParams.get('signature') ?? undefined;

    expect(
      isValidFileSignature(SECRET, '1/2019-06-14/c/recording.wav', expires, signature, NOW),
    ).toBe(true);
    expect(
      isValidFileSignature(SECRET, '1/2019-06-14/d/recording.wav', expires, signature, NOW),
    ).toBe(false);
    expect(
      isValidFileSignature(
        SECRET,
        '1/2019-06-14/c/recording.wav',
        expires,
        signature,
        NOW + 301_000,
      ),
    ).toBe(false);
  });
});
