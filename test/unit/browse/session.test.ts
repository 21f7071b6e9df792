import {
  createSession,
  isValidFileSignature,
  isValidSession,
  SESSION_SECONDS,
  sessionCookie,
  sessionOf,
  signedFilePath,
} from '../../../lib/browse/session';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const NOW = Date.parse('2026-11-26T08:00:00Z');

describe('browse sessions', () => {
  it('given a fresh session, then it is valid for 12 hours and not a second longer', () => {
    const session = createSession(SECRET, NOW);

    expect(isValidSession(session, SECRET, NOW + SESSION_SECONDS * 1000 - 1)).toBe(true);
    expect(isValidSession(session, SECRET, NOW + SESSION_SECONDS * 1000 + 1)).toBe(false);
  });

  it('given a session signed with another secret or with its expiry changed, then it is refused', () => {
    const session = createSession(SECRET, NOW);
    const [version, , mac] = session.split('.');

    expect(isValidSession(session, Buffer.alloc(32, 8).toString('base64'), NOW)).toBe(false);
    expect(isValidSession(`${version}.${NOW + 10 ** 12}.${mac}`, SECRET, NOW)).toBe(false);
    expect(isValidSession(undefined, SECRET, NOW)).toBe(false);
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
