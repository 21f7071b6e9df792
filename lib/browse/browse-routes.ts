import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CALL_DAY, CALL_ID, isCallDay, TASK_ID } from '../call-detail/identity';
import { audioTypeOfKey } from '../common/audio-types';
import { decodePathSegment } from '../common/path-segment';
import { BadRequestError, NotFoundError, UnauthorizedError } from '../errors';
import type { AccessAudit } from '../layout/access-audit';
import { loadHoldSet } from '../layout/hold-set';
import { callKeyOf } from '../layout/lifecycle';
import { archivedCall, dayOverview } from './archive-view';
import type { BrowseDeps } from './browse-deps';
import { auditOf, type BrowseCaller, callerOf } from './caller';
import { COMMON } from './common-headers';
import { fileNameOf, signedFile } from './file-route';
import { withCalleeMasked } from './number-view';
import { dayCalls, exportSearch, type SearchContext, searchCalls } from './search-routes';
import { signedFilePath } from './session';
import { signIn, signOut } from './session-routes';

export type { BrowseDeps } from './browse-deps';

type Result = APIGatewayProxyStructuredResultV2;

/**
 * The page runs only its own script; recordings may come from the store's presigned
 * URLs (https) or browse's own signed route; nothing may frame it.
 */
export const CONTENT_SECURITY_POLICY = policy("style-src 'self'");

/**
 * The page's own policy: styles from its stylesheet, and the one `<style>` element the
 * waveform (wavesurfer.js) writes into its shadow root, which carries this response's nonce
 * (its `cspNonce` option). Without it the waveform's layout rules are refused and its regions
 * overlay covers the page, swallowing every click. `'unsafe-inline'` is never allowed.
 */
export function contentSecurityPolicy(nonce: string): string {
  return policy(`style-src 'self' 'nonce-${nonce}'`);
}

/** A fresh nonce per page, handed to the script in `<meta name="csp-nonce">`. */
function pageWithNonce(html: string): { html: string; nonce: string } {
  const nonce = randomBytes(18).toString('base64');
  return { html: html.replace('__CSP_NONCE__', nonce), nonce };
}

function policy(styleSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    styleSrc,
    "img-src 'self' data: blob:",
    "media-src 'self' blob: https:",
    "connect-src 'self' https:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const json = (statusCode: number, body: unknown): Result => ({
  statusCode,
  headers: {
    ...COMMON,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  },
  body: JSON.stringify(body),
});

function dateOf(value: string | undefined): string {
  if (!value || !isCallDay(value)) throw new BadRequestError('date: a day, YYYY-MM-DD');
  return value;
}

/**
 * The URLs that play and download a call's recording for 5 minutes: presigned by the store
 * (answering with the stored audio type; the download as an attachment), else browse's own
 * signed route, which does the same.
 */
async function recordingUrls(
  recording: { key: string; contentType: string } | null,
  deps: BrowseDeps,
  now: number,
): Promise<{ recordingUrl: string | null; recordingDownloadUrl: string | null }> {
  if (!recording) return { recordingUrl: null, recordingDownloadUrl: null };
  const { key } = recording;
  const contentType = audioTypeOfKey(key) ?? recording.contentType;
  const play = await deps.store.readUrl(key, 300, { contentType });
  const download = await deps.store.readUrl(key, 300, { contentType, attachment: fileNameOf(key) });
  return {
    recordingUrl: play ?? signedFilePath(deps.sessionSecret, key, now),
    recordingDownloadUrl: download ?? signedFilePath(deps.sessionSecret, key, now, 300, true),
  };
}

/**
 * Every route of browse (docs/design.md "HTTP contracts": `/app`, `/archive/…`): the page
 * and its files, sign-in, and the JSON API, which takes the session cookie or `x-api-key`.
 * What a caller does is audited (docs/design.md "Access audit"): the rows of one request
 * are written together before it is answered.
 */
export async function handleBrowse(
  event: APIGatewayProxyEventV2,
  deps: BrowseDeps,
): Promise<Result> {
  const audit = auditOf(event, deps);
  try {
    return await route(event, deps, audit);
  } finally {
    await audit.flush();
  }
}

/** `/app` (with this answer's CSP nonce) and its script and stylesheet. */
function pageFile(path: string, deps: BrowseDeps): Result {
  const asset = deps.asset(path === '/app' ? 'index.html' : path.slice('/app/'.length));
  if (!asset) throw new NotFoundError();
  const page = path === '/app' ? pageWithNonce(asset.body.toString('utf8')) : undefined;
  return {
    statusCode: 200,
    headers: {
      ...COMMON,
      'Content-Type': asset.contentType,
      'Content-Security-Policy': page ? contentSecurityPolicy(page.nonce) : CONTENT_SECURITY_POLICY,
      'Cache-Control': page ? 'no-store' : 'private, max-age=300',
    },
    body: page ? page.html : asset.body.toString('utf8'),
  };
}

async function route(
  event: APIGatewayProxyEventV2,
  deps: BrowseDeps,
  audit: AccessAudit,
): Promise<Result> {
  const now = (deps.now ?? Date.now)();
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath.replace(/\/+$/, '') || '/';
  const open = await openRoute(event, deps, { method, path, now, audit });
  if (open) return open;

  const caller = callerOf(event, deps, now);
  if (!caller) throw new UnauthorizedError('Sign in, or send a known API key in x-api-key');

  // Who the page is signed in as, and what its key may do (the page hides what it may not).
  if (method === 'GET' && path === '/app/session') return json(200, caller);
  const context: SearchContext = { caller, audit, now, query: event.queryStringParameters ?? {} };
  if (method === 'GET') return archiveRoute(path, deps, context);
  throw new NotFoundError();
}

/** What needs no caller: the bare address, the page and its files, sign-in, signed files. */
async function openRoute(
  event: APIGatewayProxyEventV2,
  deps: BrowseDeps,
  asked: { method: string; path: string; now: number; audit: AccessAudit },
): Promise<Result | undefined> {
  const { method, path, now, audit } = asked;
  // A person who opens the service's bare address wants the page.
  if (method === 'GET' && path === '/')
    return { statusCode: 302, headers: { ...COMMON, Location: '/app' }, body: '' };
  if (method === 'GET' && (path === '/app' || /^\/app\/[a-z]+\.(js|css)$/.test(path)))
    return pageFile(path, deps);
  if (method === 'POST' && path === '/app/session') return signIn(event, deps, now, audit);
  if (method === 'POST' && path === '/app/session/end') return signOut(event, deps, now, audit);
  if (method === 'GET' && path.startsWith('/archive/files/')) {
    return signedFile(event, deps, decodePathSegment(path.slice('/archive/files/'.length)), now);
  }
  return undefined;
}

/** The JSON API's GETs, for a known caller: a day, a search, its export, one call. */
async function archiveRoute(
  path: string,
  deps: BrowseDeps,
  context: SearchContext,
): Promise<Result> {
  const { caller, audit, now } = context;
  const day = /^\/archive\/days\/([^/]+)(\/calls)?$/.exec(path);
  if (day) {
    const date = dateOf(decodePathSegment(day[1] ?? ''));
    if (day[2]) return json(200, await dayCalls(deps, date, context));
    audit.record(caller.name, 'view', `date=${date}`);
    return json(200, await dayOverview(deps.store, date));
  }
  if (path === '/archive/calls') return json(200, await searchCalls(deps, context));
  if (path === '/archive/export.csv') {
    const url = await exportSearch(deps, context);
    return {
      statusCode: 303,
      headers: { ...COMMON, Location: url, 'Cache-Control': 'no-store' },
      body: '',
    };
  }
  const call = /^\/archive\/calls\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (call) {
    const [taskId, date, callId] = call.slice(1).map((part) => decodePathSegment(part ?? ''));
    return oneCall({ taskId, date, callId }, deps, { caller, audit, now });
  }
  throw new NotFoundError();
}

/** One archived call: its `detail.json`, recording URLs and `held`; audited `view` and `play`. */
async function oneCall(
  asked: { taskId?: string; date?: string; callId?: string },
  deps: BrowseDeps,
  { caller, audit, now }: { caller: BrowseCaller; audit: AccessAudit; now: number },
): Promise<Result> {
  const { taskId, date, callId } = asked;
  if (!taskId || !TASK_ID.test(taskId)) throw new BadRequestError('taskId: 1 to 20 digits');
  if (!date || !CALL_DAY.test(date)) throw new BadRequestError('date: a day, YYYY-MM-DD');
  if (!callId || !CALL_ID.test(callId))
    throw new BadRequestError('callId: digits, letters, ^ and - only');
  const target = callKeyOf(taskId, date, callId);
  audit.record(caller.name, 'view', target);
  const detail = await archivedCall(deps.store, taskId, date, callId);
  if (!detail) throw new NotFoundError('No such archived call');
  const urls = await recordingUrls(detail.recording, deps, now);
  if (urls.recordingUrl) audit.record(caller.name, 'play', target);
  if (urls.recordingDownloadUrl) audit.record(caller.name, 'download', target);
  const holds = await loadHoldSet(deps.store, deps.hashSecret);
  const held = holds.isHeld({ taskId, date, callId, callee: detail.call.callee });
  const shown = caller.seesNumbers ? detail : withCalleeMasked(detail, detail.call.callee);
  return json(200, { ...shown, ...urls, held });
}
