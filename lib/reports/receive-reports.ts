import type { CallEndedJob } from '../archive/call-ended-job';
import { constantTimeEqual } from '../common/constant-time';
import { parseLenientJson } from '../common/lenient-json';
import { DispatchError, type Dispatcher } from '../dispatch/dispatcher';
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '../errors';
import { log } from '../log';
import { park } from '../parking/park';
import type { ObjectStore } from '../storage/object-store';
import { toCallEndedJob, type VoiceReportRecord } from './voice-report';

export const MAX_PUSH_BYTES = 1024 * 1024;
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

function readRecords(request: PushRequest): VoiceReportRecord[] {
  const raw = request.body ?? '';
  const text = request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_PUSH_BYTES)
    throw new PayloadTooLargeError(`body of ${size} bytes is over the 1 MiB limit`);
  let records: unknown;
  try {
    records = JSON.parse(text);
  } catch {
    throw new BadRequestError('body: not JSON (expected a JSON array of report records)');
  }
  if (!Array.isArray(records))
    throw new BadRequestError('body: expected a JSON array of report records');
  const notObject = records.findIndex(
    (r) => typeof r !== 'object' || r === null || Array.isArray(r),
  );
  if (notObject >= 0)
    throw new BadRequestError(`body[${notObject}]: expected a report record (a JSON object)`);
  // Ids beyond 2^53 (task_id, out_id as numbers) would be rounded: read them again, exactly.
  if (/\d{16,}/.test(text)) records = parseLenientJson(text);
  return records as VoiceReportRecord[];
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
  const records = readRecords(request);
  // The same call twice in one push is dispatched once; across pushes the archive dedupes.
  const jobs = new Map<string, CallEndedJob>();
  const rejected: Promise<string>[] = [];
  for (const record of records) {
    if (depthOf(record, MAX_RECORD_DEPTH) > MAX_RECORD_DEPTH) {
      const reason = `record: nested deeper than ${MAX_RECORD_DEPTH} levels (a report record is flat)`;
      const kept = clipDepth(record, MAX_RECORD_DEPTH);
      rejected.push(park(deps.store, 'record', kept, reason, deps.now?.()));
      continue;
    }
    const verdict = toCallEndedJob(record);
    if ('job' in verdict) jobs.set(JSON.stringify(verdict.job), verdict.job);
    else rejected.push(park(deps.store, 'record', record, verdict.reason, deps.now?.()));
  }
  const toDispatch = [...jobs.values()];
  const [dispatched, parked] = await Promise.allSettled([
    deps.dispatcher.dispatch(toDispatch),
    Promise.all(rejected),
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
