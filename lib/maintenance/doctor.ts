import { randomBytes } from 'node:crypto';
import { DyvmsError } from '../dyvms/dyvms-error';
import type { UpstreamPing } from '../dyvms/ping';
import { reasonOf } from '../errors';
import { DoctorProbeSchema, doctorProbeKey } from '../layout/doctor';
import { parseDocument, readDocument } from '../layout/document';
import {
  dayOfFolder,
  LAST_COMPACTION_KEY,
  LastCompactionSchema,
  PENDING_PREFIX,
  parsePendingKey,
} from '../layout/index-rows';
import type { ObjectStore } from '../storage/object-store';

/**
 * `vms-call-archive doctor` (docs/design.md "Operating it"): is this configuration one that
 * will archive the first call that ends? Each check is a small function of the services it
 * looks at, answering ok, FAIL with the one-line fix, or skip (nothing to check here).
 */
export type CheckStatus = 'ok' | 'FAIL' | 'skip';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** One line: what to change. Only on FAIL. */
  fix?: string;
}

const ok = (check: string, detail: string): CheckResult => ({ check, status: 'ok', detail });
const skip = (check: string, detail: string): CheckResult => ({ check, status: 'skip', detail });
const fail = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'FAIL',
  detail,
  fix,
});

/** The upstream refuses a signature whose timestamp is 15 minutes off; a third of that fails here. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
/** The Voice Service waits 700 ms for the push's answer (docs/design.md "HTTP contracts"). */
const PUSH_DEADLINE_MS = 700;

/** What `doctor` is handed: every service it looks at, built by the CLI's wiring. */
export interface DoctorDeps {
  /** One cheap Dyvmsapi call (lib/dyvms/ping.ts); its answer serves two checks. */
  pingUpstream(): Promise<UpstreamPing>;
  archive: { url: string; store: ObjectStore };
  /** DISPATCH's target: what it is, and a look at it that sends nothing. */
  dispatch: { describe: string; probe(): Promise<string> };
  /** The push URL the Voice Service is given, if one is to be checked. */
  pushUrl?: string;
  index: { compactEveryMinutes: number };
  /** ALERT_WEBHOOK_*: its kind and a way to send one message; undefined when unset. */
  webhook?: { kind: string; send(text: string): Promise<void> };
  /** `--notify`: send one test message through the webhook. */
  notify?: boolean;
  now?: () => number;
  /** Names this run's probe; random by default. */
  runId?: string;
  fetch?: typeof fetch;
}

/**
 * Every check, in a fixed order, run side by side; the exit code is 1 when any is FAIL.
 * @example const results = await runDoctor(deps); process.exitCode = failed(results) ? 1 : 0;
 */
export async function runDoctor(deps: DoctorDeps): Promise<CheckResult[]> {
  const now = deps.now ?? Date.now;
  const ping = deps.pingUpstream();
  return Promise.all([
    ping.then(checkCredentials),
    ping.then((answer) => checkClock(answer)),
    checkArchive(deps.archive, deps.runId ?? randomBytes(8).toString('hex'), now),
    checkDispatch(deps.dispatch),
    checkPush(deps.pushUrl, deps.fetch ?? fetch, now),
    checkIndex(deps.archive.store, deps.index.compactEveryMinutes, now),
    checkNotifications(deps.webhook, deps.notify ?? false, now),
  ]);
}

export const failed = (results: readonly CheckResult[]): boolean =>
  results.some((result) => result.status === 'FAIL');

/** The upstream's answer to one signed call: the AccessKey (or role) and the endpoint work. */
export function checkCredentials(ping: UpstreamPing): CheckResult {
  const check = 'credentials';
  if (ping.error === undefined)
    return ok(
      check,
      `Dyvmsapi at ${ping.host} answered QueryRobotTaskList${ping.requestId ? ` (request ${ping.requestId})` : ''}`,
    );
  const error = ping.error;
  const detail = `Dyvmsapi at ${ping.host}: ${reasonOf(error)}`;
  return fail(check, detail, credentialsFix(error, ping.host));
}

function credentialsFix(error: unknown, host: string): string {
  if (!(error instanceof DyvmsError))
    return 'see the error above; DYVMS_ENDPOINT and the credentials are what it used';
  const code = error.upstreamCode;
  if (/^InvalidAccessKeyId/.test(code))
    return 'ALIBABA_CLOUD_ACCESS_KEY_ID is not an active AccessKey of the account: set one from the RAM console (AccessKey management)';
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature')
    return 'ALIBABA_CLOUD_ACCESS_KEY_SECRET is not the secret of ALIBABA_CLOUD_ACCESS_KEY_ID: set the pair as the RAM console issued it';
  if (/^InvalidTimeStamp/.test(code))
    return "this machine's clock is off: sync it (NTP), then run doctor again";
  if (/^(Forbidden|NoPermission)/.test(code))
    return 'the key may not call Dyvmsapi: grant its RAM user dyvms:QueryRobotTaskList, QueryRobotTaskCallList and QueryRobotTaskCallDetail (ram/archive.json)';
  if (error.kind === 'network' || error.kind === 'timeout')
    return `${host} did not answer from here: check DYVMS_ENDPOINT, DNS and any proxy`;
  if (error.kind === 'throttled')
    return 'the account is throttled right now: run doctor again in a minute; lower DYVMS_MAX_RPS if it lasts';
  return `the upstream refused the call (${code}): see its message above`;
}

/**
 * This machine's clock against the upstream's `Date` (whole seconds) at the middle of the
 * call: signatures, the recording URLs' `Expires` and the index's lag all read the clock.
 */
export function checkClock(
  ping: UpstreamPing,
  maxSkewSeconds = MAX_CLOCK_SKEW_SECONDS,
): CheckResult {
  const check = 'clock';
  const upstreamMs = ping.date === undefined ? Number.NaN : Date.parse(ping.date);
  if (!Number.isFinite(upstreamMs))
    return skip(check, 'Dyvmsapi gave no Date header to compare with (see credentials)');
  const localMs = (ping.sentAtMs + ping.answeredAtMs) / 2;
  // Date has whole seconds: the upstream's instant was somewhere in that second, its middle on average.
  const skewSeconds = Math.round((localMs - (upstreamMs + 500)) / 1000);
  const roundTrip = ping.answeredAtMs - ping.sentAtMs;
  const detail = `${Math.abs(skewSeconds)} s ${skewSeconds >= 0 ? 'ahead of' : 'behind'} Dyvmsapi's Date (±${Math.ceil(roundTrip / 1000) + 1} s)`;
  if (Math.abs(skewSeconds) <= maxSkewSeconds) return ok(check, detail);
  return fail(
    check,
    `${detail}, more than ${maxSkewSeconds} s`,
    'sync the clock with NTP (timedatectl set-ntp true, or chronyc makestep): the upstream refuses signatures 15 minutes off',
  );
}

/** A probe under `_doctor/` written, read back and deleted: the archive takes writes. */
export async function checkArchive(
  archive: { url: string; store: ObjectStore },
  runId: string,
  now: () => number,
): Promise<CheckResult> {
  const check = 'archive';
  const key = doctorProbeKey(runId);
  const probe = {
    probe: 'vms-call-archive doctor',
    runId,
    writtenAt: new Date(now()).toISOString(),
  };
  let step = 'write';
  try {
    await archive.store.put(key, `${JSON.stringify(probe)}\n`, { contentType: 'application/json' });
    step = 'read back';
    const bytes = await archive.store.get(key);
    if (bytes === undefined) throw new Error(`${key} was written but is not there`);
    const read = parseDocument(DoctorProbeSchema, key, bytes.toString('utf8'));
    if (read.runId !== runId) throw new Error(`${key} holds another run's probe`);
    step = 'delete';
    await archive.store.delete(key);
    if ((await archive.store.head(key)) !== undefined)
      throw new Error(`${key} is still there after its delete`);
  } catch (error: unknown) {
    return fail(
      check,
      `${archive.url}: cannot ${step} ${key}: ${reasonOf(error)}`,
      archiveFix(archive.url, error),
    );
  }
  return ok(check, `${archive.url}: wrote, read and deleted ${key}`);
}

function archiveFix(url: string, error: unknown): string {
  const parsed = new URL(url);
  const bucket = parsed.hostname;
  const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
  const objects = `${bucket}/${prefix ? `${prefix}/` : ''}*`;
  if (parsed.protocol === 's3:')
    return `let these AWS credentials s3:PutObject, s3:GetObject and s3:DeleteObject on arn:aws:s3:::${objects} (and check the bucket exists, AWS_REGION, S3_ENDPOINT)`;
  if (parsed.protocol === 'oss:')
    return `let the key oss:PutObject, oss:GetObject and oss:DeleteObject on acs:oss:*:*:${objects} (and check the bucket exists in OSS_REGION)`;
  const code = errnoOf(error);
  const dir = decodeURIComponent(parsed.pathname);
  if (code === 'ENOTDIR' || code === 'EEXIST')
    return `${dir} (or a folder above it) is a file: set ARCHIVE_URL to a directory`;
  if (code === 'ENOSPC') return `the disk under ${dir} is full: free space or move ARCHIVE_URL`;
  return `make ${dir} a directory this user may write (chown/chmod), or set ARCHIVE_URL to one`;
}

/** The errno code of an error or of any cause it chains. */
function errnoOf(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

/** DISPATCH's target exists and may be sent to (nothing is sent). */
export async function checkDispatch(dispatch: DoctorDeps['dispatch']): Promise<CheckResult> {
  const check = 'dispatch';
  try {
    return ok(check, await dispatch.probe());
  } catch (error: unknown) {
    const name = error instanceof Error ? error.name : '';
    return fail(
      check,
      `${dispatch.describe}: ${reasonOf(error)}`,
      dispatchFix(dispatch.describe, name, reasonOf(error)),
    );
  }
}

function dispatchFix(describe: string, name: string, message: string): string {
  const kind = describe.split(':')[0];
  if (/QueueDoesNotExist|NonExistentQueue/.test(name))
    return `no such queue: set DISPATCH to sqs: and the jobs queue's URL (the stack's JobsQueue; aws sqs get-queue-url --queue-name …)`;
  if (name === 'ResourceNotFoundException' || /FunctionNotFound|ServiceNotFound/.test(name))
    return 'no such function: set DISPATCH to the deployed archive function (lambda:<name>, fc:<name>)';
  if (
    /AccessDenied|Forbidden|NoPermission|NotAuthorized|InvalidClientTokenId|SignatureDoesNotMatch/.test(
      name,
    )
  )
    return kind === 'fc'
      ? 'the key may not reach the function: grant fc:InvokeFunction and fc:GetFunction on it (ram/reports.json)'
      : `these AWS credentials may not use it: grant ${kind === 'sqs' ? 'sqs:GetQueueAttributes and sqs:SendMessage on the queue' : 'lambda:InvokeFunction on the function'}`;
  if (name === 'ConfigError') return 'set the variables the error names';
  if (/Region/.test(message)) return 'set AWS_REGION to the region of the stack';
  return `check DISPATCH (${describe}) and that the platform's endpoint answers from here`;
}

/** The push URL answers an empty push `[]` with `{"code":0,…}`, as the Voice Service wants. */
export async function checkPush(
  pushUrl: string | undefined,
  post: typeof fetch,
  now: () => number,
): Promise<CheckResult> {
  const check = 'push';
  if (!pushUrl)
    return skip(
      check,
      'no --push-url given (the URL the Voice Service pushes to, /reports/{token})',
    );
  const shown = maskToken(pushUrl);
  const started = now();
  let status: number;
  let text: string;
  try {
    const response = await post(pushUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    status = response.status;
    text = (await response.text()).slice(0, 300);
  } catch (error: unknown) {
    return fail(
      check,
      `${shown}: no answer (${reasonOf(error instanceof Error && error.cause ? error.cause : error)})`,
      'the URL is not reachable from here: check its host, the stage and that the stack is deployed',
    );
  }
  const ms = now() - started;
  if (status === 404)
    return fail(
      check,
      `${shown} answered 404`,
      'the last path segment is not REPORTS_TOKEN: use …/reports/{the REPORTS_TOKEN of this deployment}',
    );
  let code: unknown;
  try {
    code = (JSON.parse(text) as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  if (status !== 200 || code !== 0)
    return fail(
      check,
      `${shown} answered ${status}: ${text}`,
      status === 503
        ? 'the push receiver cannot dispatch: see the dispatch check and its log'
        : 'this is not the reports function: the URL must be POST {the stack’s HTTP API}/reports/{REPORTS_TOKEN}',
    );
  const slow =
    ms > PUSH_DEADLINE_MS
      ? ` (over the ${PUSH_DEADLINE_MS} ms the Voice Service waits: a cold start? run again)`
      : '';
  return ok(check, `${shown} answered {"code":0} in ${ms} ms${slow}`);
}

/** The token is a secret: shown as `/reports/****`. */
const maskToken = (url: string): string => url.replace(/\/reports\/[^/?#]+/, '/reports/****');

/**
 * The index's pending rows against its compaction: it lags when a pending row is older
 * than two compaction intervals (the index-lagging alarm's threshold). Reads the listing of
 * `index/pending/` and the last run's note, no row.
 */
export async function checkIndex(
  store: ObjectStore,
  compactEveryMinutes: number,
  now: () => number,
): Promise<CheckResult> {
  const check = 'index';
  let oldestMs = Number.POSITIVE_INFINITY;
  let pending = 0;
  let last: Awaited<ReturnType<typeof readLastCompaction>>;
  try {
    for (const folder of await store.listDirs(PENDING_PREFIX)) {
      const day = dayOfFolder(folder);
      if (!day) continue;
      for (const key of await store.list(`${PENDING_PREFIX}${folder}/`)) {
        const row = parsePendingKey(key);
        if (!row) continue;
        pending++;
        oldestMs = Math.min(oldestMs, row.archivedAtMs);
      }
    }
    last = await readLastCompaction(store);
  } catch (error: unknown) {
    return fail(check, `cannot read index/: ${reasonOf(error)}`, 'see the archive check');
  }
  const lastRun = last
    ? `last compaction ${ago(now() - Date.parse(last.finishedAt))} ago${last.ok ? '' : ` failed: ${last.error ?? 'no reason kept'}`}`
    : 'no compaction recorded yet';
  const limitMs = 2 * compactEveryMinutes * 60_000;
  const ageMs = pending > 0 ? now() - oldestMs : 0;
  const detail = `${pending} pending rows${pending > 0 ? `, the oldest ${ago(ageMs)} old` : ''}; ${lastRun}`;
  if (ageMs > limitMs)
    return fail(
      check,
      `${detail}: lagging (over 2 × ${compactEveryMinutes} min)`,
      'the index-compact function is not running or fails: check its schedule and log, or run `vms-call-archive index compact`',
    );
  if (last && !last.ok)
    return fail(
      check,
      detail,
      "the last compaction failed: see the index-compact function's log, then run `vms-call-archive index compact`",
    );
  return ok(check, detail);
}

async function readLastCompaction(store: ObjectStore) {
  return readDocument(store, LastCompactionSchema, LAST_COMPACTION_KEY);
}

/** `1 h 5 min`, `3 min`, `12 s`. */
function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** ALERT_WEBHOOK_*: set or not; with `--notify`, one test message sent through it. */
export async function checkNotifications(
  webhook: DoctorDeps['webhook'],
  notify: boolean,
  now: () => number,
): Promise<CheckResult> {
  const check = 'notifications';
  if (!webhook)
    return notify
      ? fail(
          check,
          'ALERT_WEBHOOK_URL is not set: nothing to send through',
          'set ALERT_WEBHOOK_URL and ALERT_WEBHOOK_KIND (dingtalk, feishu, wecom or slack; README "Operate it")',
        )
      : skip(check, 'no ALERT_WEBHOOK_URL: parked jobs and reconcile misses notify no one');
  if (!notify) return ok(check, `${webhook.kind} webhook set (--notify sends a test message)`);
  try {
    await webhook.send(
      `vms-call-archive doctor: a test message, ${new Date(now()).toISOString()}. Parked jobs and reconcile misses will be told here.`,
    );
  } catch (error: unknown) {
    return fail(
      check,
      `the ${webhook.kind} webhook refused the test message: ${reasonOf(error)}`,
      webhook.kind === 'dingtalk' || webhook.kind === 'feishu'
        ? 'check ALERT_WEBHOOK_URL, ALERT_WEBHOOK_KIND and, if the robot signs, ALERT_WEBHOOK_SECRET'
        : 'check ALERT_WEBHOOK_URL and ALERT_WEBHOOK_KIND',
    );
  }
  return ok(check, `test message taken by the ${webhook.kind} webhook`);
}
