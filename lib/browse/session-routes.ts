import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { apiKeyId } from '../common/api-key-id';
import { acceptedKey } from '../common/constant-time';
import { BadRequestError, UnauthorizedError } from '../errors';
import type { AccessAudit } from '../layout/access-audit';
import { type CallerDeps, callerOf, callerOfKey } from './caller';
import { COMMON } from './common-headers';
import {
  clearedSessionCookie,
  createSession,
  sessionCookie,
  sessionKeyId,
  sessionOf,
} from './session';

/** What signing in and out needs of browse's collaborators. */
type SessionDeps = CallerDeps;

type Result = APIGatewayProxyStructuredResultV2;

/** The key sent to `POST /app/session`: JSON `{"apiKey":"…"}` or the form field `apiKey`. */
function apiKeyOf(event: APIGatewayProxyEventV2): string | undefined {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString()
      : event.body
    : '';
  const type = event.headers?.['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      const body = SignInBodySchema.safeParse(JSON.parse(raw));
      return body.success ? body.data.apiKey : undefined;
    } catch {
      throw new BadRequestError('body: not JSON (expected {"apiKey":"…"})');
    }
  }
  return new URLSearchParams(raw).get('apiKey') ?? undefined;
}

/**
 * `POST /app/session`: a known key → 204 and a session cookie bound to that key. Audited
 * as `sign-in` under the key's name, or `sign-in-failed` (who: `unknown`).
 */
/** `POST /app/session` as JSON: `{"apiKey":"…"}`. */
const SignInBodySchema = z.object({ apiKey: z.string() });

export function signIn(
  event: APIGatewayProxyEventV2,
  deps: SessionDeps,
  now: number,
  audit: AccessAudit,
): Result {
  const key = acceptedKey(apiKeyOf(event), deps.apiKeys);
  if (key === undefined) {
    audit.record('unknown', 'sign-in-failed', '/app/session');
    throw new UnauthorizedError('Unknown API key');
  }
  audit.record(callerOfKey(key, deps).name, 'sign-in', '/app/session');
  return {
    statusCode: 204,
    headers: { ...COMMON, 'Cache-Control': 'no-store' },
    cookies: [sessionCookie(createSession(deps.sessionSecret, now, apiKeyId(key)))],
  };
}

/**
 * `POST /app/session/end`: 204 and the cookie cleared, signed in or not. The session is
 * stateless: a copy of the cookie taken elsewhere lives until it expires or its key leaves
 * API_KEYS, which is how a leaked session is ended.
 */
export function signOut(
  event: APIGatewayProxyEventV2,
  deps: SessionDeps,
  now: number,
  audit: AccessAudit,
): Result {
  audit.record(callerOf(event, deps, now)?.name ?? 'unknown', 'sign-out', '/app/session/end');
  return {
    statusCode: 204,
    headers: { ...COMMON, 'Cache-Control': 'no-store' },
    cookies: [clearedSessionCookie()],
  };
}

/** Whether the request carries a valid session of a key still in API_KEYS. */
export function isSignedIn(event: APIGatewayProxyEventV2, deps: SessionDeps, now: number): boolean {
  const keyIds = deps.apiKeys.map(apiKeyId);
  return sessionKeyId(sessionOf(event.cookies), deps.sessionSecret, now, keyIds) !== undefined;
}
