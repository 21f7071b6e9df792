import { isInteger, isSafeNumber, parse as parseExactJson } from 'lossless-json';
import { constantTimeEqual } from '../common/constant-time';
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '../errors';
import type { RejectedRecord } from '../layout/parked';
import { log } from '../log';
import type { CallEndedJob } from '../model/call-ended-job';
import { DispatchError, type Dispatcher } from '../model/dispatcher';
import { dateOf, toCallEndedJob, type VoiceReportRecord } from '../model/voice-report';
import { park } from '../parking/park';
import type { ObjectStore } from '../storage/object-store';
import { duplicateKeys } from './duplicate-keys';

export const MAX_PUSH_BYTES = 1024 * 1024;
/**
 * The most records one push may carry. The Voice Service sends small batches; a body of
 * thousands of tiny elements is not one, and would only cost time against its 700 ms.
 */
export const MAX_PUSH_RECORDS = 5_000;
/** A VoiceReport is flat; deeper than this is not one (and would overflow JSON.stringify). */
const MAX_RECORD_DEPTH = 16;

/** How deep `value` nests, counted without recursion and no further than `limit + 1`. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A copy of `value` cut at `limit` levels: what can be kept of a record too deep to keep. */
function clipDepth(value: unknown, limit: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (limit <= 1) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => clipDepth(item, limit - 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, clipDepth(item, limit - 1)]),
  );
}

function rejectedReason(rejected: readonly RejectedRecord[]): string {
  const first = rejected[0];
  const more = rejected.length > 1 ? ` (and ${rejected.length - 1} more)` : '';
  return `${rejected.length} record${rejected.length === 1 ? '' : 's'} of a push could not become jobs: body[${first?.index}]: ${first?.reason}${more}`;
}

export interface PushRequest {
  token: string | undefined;
  body: string | undefined;
  isBase64Encoded: boolean;
}

export interface ReceiveDeps {
  reportsToken: string;
  dispatcher: Dispatcher;
  store: ObjectStore;
  now?: () => number;
}

export interface ReceiveResult {
  code: 0;
  msg: 'received';
  accepted: number;
  rejected: number;
}

/** A wrong token is a 404: the route does not admit it exists. Constant-time compare. */
function checkToken(presented: string | undefined, expected: string): void {
  if (!constantTimeEqual(presented, expected)) throw new NotFoundError();
}

/** An integer beyond 2^53 stays a string, digit for digit; every other number is a number. */
const exactNumber = (value: string): unknown =>
  isSafeNumber(value) || !isInteger(value) ? Number(value) : value;

/**
 * The body as strict JSON (never the lenient repair, which is for the upstream's `Data`
 * alone): any valid JSON array is read, and ids of any length keep every digit.
 */
function readBody(request: PushRequest): { records: unknown[]; duplicates: Map<number, string> } {
  const raw = request.body ?? '';
  const text = request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_PUSH_BYTES)
    throw new PayloadTooLargeError(`body of ${size} bytes is over the 1 MiB limit`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequestError('body: not JSON (expected a JSON array of report records)');
  }
  if (!Array.isArray(body))
    throw new BadRequestError('body: expected a JSON array of report records');
  if (body.length > MAX_PUSH_RECORDS) {
    throw new PayloadTooLargeError(
      `body: ${body.length} records is over the limit of ${MAX_PUSH_RECORDS} per push`,
    );
  }
  const duplicates = duplicateKeys(text, body);
  // JSON.parse rounds integers beyond 2^53: read such a body again, exactly, as JSON, where
  // a duplicate key too lets the last value win (its record is parked either way).
  if (!/\d{16,}/.test(text)) return { records: body, duplicates };
  try {
    const exact = parseExactJson(text, undefined, {
      parseNumber: exactNumber,
      onDuplicateKey: ({ newValue }) => newValue,
    }) as unknown[];
    return { records: exact, duplicates };
  } catch (error: unknown) {
    if (error instanceof RangeError)
      throw new BadRequestError('body: nested too deep to read its long numbers exactly');
    throw new BadRequestError(`body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const isRecord = (value: unknown): value is VoiceReportRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function verdictOf(
  element: unknown,
  index: number,
  duplicated: string | undefined,
): { job: CallEndedJob } | RejectedRecord {
  if (!isRecord(element))
    return {
      index,
      reason: 'expected a report record (a JSON object)',
      record: clipDepth(element, MAX_RECORD_DEPTH),
    };
  if (depthOf(element, MAX_RECORD_DEPTH) > MAX_RECORD_DEPTH) {
    return {
      index,
      reason: `record: nested deeper than ${MAX_RECORD_DEPTH} levels (a report record is flat)`,
      record: clipDepth(element, MAX_RECORD_DEPTH),
    };
  }
  if (duplicated !== undefined) {
    return {
      index,
      reason: `record: the key ${JSON.stringify(duplicated)} appears twice in one object (which value is meant?)`,
      record: element,
    };
  }
  const verdict = toCallEndedJob(element);
  return 'job' in verdict ? verdict : { index, reason: verdict.reason, record: element };
}

/**
 * A push's rejected records, one object per call day (`_rejected/{date}/`, so a day's
 * overview counts its own calls; a record with no readable day goes under today): a write
 * or two, however many records there are.
 */
async function parkRejected(rejected: readonly RejectedRecord[], deps: ReceiveDeps) {
  const byDay = new Map<string | undefined, RejectedRecord[]>();
  for (const entry of rejected) {
    const day = isRecord(entry.record) ? dateOf(entry.record) : undefined;
    const entries = byDay.get(day) ?? [];
    entries.push(entry);
    byDay.set(day, entries);
  }
  await Promise.all(
    [...byDay].map(([day, entries]) =>
      park(deps.store, 'records', entries, rejectedReason(entries), deps.now?.(), { day }),
    ),
  );
}

/**
 * The push receiver's work (docs/design.md "HTTP contracts"): turn each record into a CallEnded
 * job, park the ones that cannot be, dispatch the rest. No slow work: the Voice Service
 * gives up after 700 ms.
 */
export async function receiveReports(
  request: PushRequest,
  deps: ReceiveDeps,
): Promise<ReceiveResult> {
  checkToken(request.token, deps.reportsToken);
  const { records, duplicates } = readBody(request);
  // The same call twice in one push is dispatched once; across pushes the archive dedupes.
  const jobs = new Map<string, CallEndedJob>();
  const rejected: RejectedRecord[] = [];
  records.forEach((element, index) => {
    const verdict = verdictOf(element, index, duplicates.get(index));
    if ('job' in verdict) jobs.set(JSON.stringify(verdict.job), verdict.job);
    else rejected.push(verdict);
  });
  const toDispatch = [...jobs.values()];
  const [dispatched, parked] = await Promise.allSettled([
    deps.dispatcher.dispatch(toDispatch),
    parkRejected(rejected, deps),
  ]);
  if (dispatched.status === 'rejected') {
    throw dispatched.reason instanceof DispatchError
      ? dispatched.reason
      : new DispatchError(`dispatch to ${deps.dispatcher.describe} failed`, dispatched.reason);
  }
  if (parked.status === 'rejected') {
    throw new DispatchError('cannot keep the rejected records in _rejected/', parked.reason);
  }
  log('info', 'push received', {
    event: 'push-received',
    records: records.length,
    accepted: records.length - rejected.length,
    rejected: rejected.length,
    dispatchedJobs: toDispatch.length,
    dispatch: deps.dispatcher.describe,
  });
  return {
    code: 0,
    msg: 'received',
    accepted: records.length - rejected.length,
    rejected: rejected.length,
  };
}
