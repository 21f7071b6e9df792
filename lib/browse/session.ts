import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../common/constant-time';

/** Twelve hours: a reviewer's working day, then sign in again. */
export const SESSION_SECONDS = 12 * 3600;
export const SESSION_COOKIE = 'vca_session';

const mac = (secret: string, text: string) =>
  createHmac('sha256', secret).update(text).digest('base64url');

/**
 * `v2.<expires ms>.<key id>.<HMAC>`: when it ends and which key made it (apiKeyId, never
 * the key), signed with BROWSE_SESSION_SECRET. A `v1` cookie named no key and is refused.
 */
export function createSession(secret: string, nowMs: number, keyId: string): string {
  const body = `v2.${nowMs + SESSION_SECONDS * 1000}.${keyId}`;
  return `${body}.${mac(secret, body)}`;
}

/**
 * The id of the key that made `value`, when the session is ours, unexpired, and that key
 * is still among `keyIds` (the ids of API_KEYS now): a key taken out of API_KEYS ends
 * every session it made (docs/design.md "Finding calls").
 */
export function sessionKeyId(
  value: string | undefined,
  secret: string,
  nowMs: number,
  keyIds: readonly string[],
): string | undefined {
  const match = /^(v2\.(\d{1,16})\.(key-[0-9a-f]{8}))\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) return undefined;
  if (!constantTimeEqual(match[4], mac(secret, match[1])) || Number(match[2]) <= nowMs)
    return undefined;
  return keyIds.includes(match[3]) ? match[3] : undefined;
}

/** The Set-Cookie header of a new session: not readable by scripts, never sent cross-site. */
export function sessionCookie(value: string): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=${SESSION_SECONDS}`;
}

/** The Set-Cookie header that signs out: the same cookie, empty, expired now. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0`;
}

/** The session cookie's value among an API Gateway v2 event's cookies. */
export function sessionOf(cookies: readonly string[] | undefined): string | undefined {
  for (const cookie of cookies ?? []) {
    const [name, ...rest] = cookie.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** What the signature covers: the key, the expiry and whether it is a download. */
const fileClaim = (key: string, expires: string | number, download: boolean) =>
  `${key}\n${expires}${download ? '\nattachment' : ''}`;

/**
 * A signed, short-lived path to a stored object (the `file://` archive's recording route);
 * `download` (signed too) makes it answer as an attachment.
 */
export function signedFilePath(
  secret: string,
  key: string,
  nowMs: number,
  seconds = 300,
  download = false,
): string {
  const expires = nowMs + seconds * 1000;
  const signature = mac(secret, fileClaim(key, expires, download));
  return `/archive/files/${key}?expires=${expires}${download ? '&download=1' : ''}&signature=${signature}`;
}

export function isValidFileSignature(
  secret: string,
  key: string,
  expires: string | undefined,
  signature: string | undefined,
  nowMs: number,
  download = false,
): boolean {
  if (!expires || !/^\d{1,16}$/.test(expires) || Number(expires) < nowMs) return false;
  return constantTimeEqual(signature, mac(secret, fileClaim(key, expires, download)));
}
