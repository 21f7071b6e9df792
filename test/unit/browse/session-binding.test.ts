import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type BrowseDeps, handleBrowse } from '../../../lib/browse/browse-routes';
import { SESSION_COOKIE } from '../../../lib/browse/session';
import { apiKeyId } from '../../../lib/common/api-key-id';
import { memoryStore } from '../../support/memory-store';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const NOW = Date.parse('2026-11-26T08:00:00Z');
const OLD = 'old-key-0123456789abcdef';
const KEPT = 'kept-key-0123456789abcdef';
const NEW = 'new-key-0123456789abcdef';

const depsWith = (apiKeys: string[], now = NOW): BrowseDeps => ({
  store: memoryStore(),
  apiKeys,
  sessionSecret: SECRET,
  asset: () => undefined,
  now: () => now,
});

function request(
  method: string,
  path: string,
  extra: Partial<APIGatewayProxyEventV2> = {},
): APIGatewayProxyEventV2 {
  return {
    rawPath: path,
    headers: {},
    requestContext: { http: { method } },
    ...extra,
  } as unknown as APIGatewayProxyEventV2;
}

/** Signs in with `apiKey` and returns the session cookie (`name=value`) it was given. */
async function signIn(deps: BrowseDeps, apiKey: string): Promise<string> {
  const result = await handleBrowse(
    request('POST', '/app/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey }),
    }),
    deps,
  );
  expect(result.statusCode).toBe(204);
  const cookie = result.cookies?.[0] ?? '';
  return cookie.split(';')[0] ?? '';
}

/** A day's overview with that cookie: 200, or the status of the error it throws. */
async function dayWith(deps: BrowseDeps, cookie: string): Promise<number> {
  try {
    const result: APIGatewayProxyStructuredResultV2 = await handleBrowse(
      request('GET', '/archive/days/2019-06-14', { cookies: [cookie] }),
      deps,
    );
    return result.statusCode ?? 0;
  } catch (error: unknown) {
    return (error as { statusCode?: number }).statusCode ?? 500;
  }
}

describe('browse sessions, bound to the key that made them', () => {
  it('given a session made with a key, when that key leaves API_KEYS, then the session is refused at once, and sessions of the keys that stay still work', async () => {
    const before = depsWith([OLD, KEPT]);
    const oldSession = await signIn(before, OLD);
    const keptSession = await signIn(before, KEPT);
    const after = depsWith([KEPT, NEW], NOW + 60_000);

    expect(await dayWith(before, oldSession)).toBe(200);
    expect(await dayWith(after, oldSession)).toBe(401);
    expect(await dayWith(after, keptSession)).toBe(200);
  });

  it('given a session, then its cookie names the key by its id alone, never the key itself', async () => {
    const cookie = await signIn(depsWith([OLD]), OLD);

    expect(cookie).toContain(apiKeyId(OLD).replace(/^key-/, ''));
    expect(cookie).not.toContain(OLD);
  });

  it('given POST /app/session/end, then it answers 204 and clears the cookie', async () => {
    const deps = depsWith([OLD]);
    const cookie = await signIn(deps, OLD);

    const result = await handleBrowse(
      request('POST', '/app/session/end', { cookies: [cookie] }),
      deps,
    );

    expect(result.statusCode).toBe(204);
    expect(result.cookies).toEqual([
      `${SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0`,
    ]);
    expect(result.headers?.['Cache-Control']).toBe('no-store');
  });

  it('given POST /app/session/end without a session, then it still answers 204 (signing out twice is no error)', async () => {
    const result = await handleBrowse(request('POST', '/app/session/end'), depsWith([OLD]));

    expect(result.statusCode).toBe(204);
  });
});

describe('apiKeyId', () => {
  it('given a key, then its id is key- and the first 8 hex digits of its SHA-256', () => {
    // sha256("abc") = ba7816bf8f01cfea…
    expect(apiKeyId('abc')).toBe('key-ba7816bf');
  });
});
