import { createHash } from 'node:crypto';
import { chinaDate } from '../call-detail/china-time';
import { isCallDay } from '../call-detail/identity';
import { readDocument } from '../layout/document';
import { StoredDocumentError } from '../layout/errors';
import { type ParkedItem, ParkedItemSchema, type ParkedKind, rejectedKey } from '../layout/parked';
import { PREFIXES } from '../layout/prefixes';
import { errorFields, log } from '../log';
import { recordMetric } from '../metrics';
import type { ObjectStore } from '../storage/object-store';

export type { ParkedItem, ParkedKind } from '../layout/parked';

/**
 * The `{date}` of a parked item: the call's day when the payload names one (so a day's
 * overview counts its own calls, however late they were parked), else the day it was parked.
 */
function parkedDay(payload: unknown, nowMs: number): string {
  const date =
    typeof payload === 'object' && payload !== null && 'date' in payload ? payload.date : undefined;
  return typeof date === 'string' && isCallDay(date) ? date : chinaDate(nowMs);
}

export interface ParkOptions extends Pick<ParkedItem, 'attempts'> {
  /** The `Reason` dimension of its ParkedByReason metric (an error's name); not stored. */
  reasonCode?: string;
  /** The day it is filed under (a push's records, grouped by their call's day). */
  day?: string;
  /** The object's name; default: a hash of the payload. */
  id?: string;
}

/**
 * What could not be processed, kept where `replay` can find it (docs/design.md "Nothing lost"):
 * `_rejected/{date}/{id}.json` with the reason. The id is a hash of the payload, so the
 * same bad record pushed three times is parked once, and no phone number is in the key.
 */
export async function park(
  store: ObjectStore,
  kind: ParkedKind,
  payload: unknown,
  reason: string,
  nowMs = Date.now(),
  { day, id: named, ...extra }: ParkOptions = {},
): Promise<string> {
  const id =
    named ??
    createHash('sha256')
      .update(JSON.stringify(payload) ?? 'undefined')
      .digest('hex')
      .slice(0, 32);
  const key = rejectedKey(day ?? parkedDay(payload, nowMs), id);
  const item: ParkedItem = {
    kind,
    reason,
    parkedAt: new Date(nowMs).toISOString(),
    [kind]: payload,
    ...(extra.attempts === undefined ? {} : { attempts: extra.attempts }),
  };
  await store.put(key, `${JSON.stringify(item, null, 2)}\n`, {
    contentType: 'application/json; charset=utf-8',
  });
  const count = kind === 'records' && Array.isArray(payload) ? payload.length : 1;
  recordMetric('Parked', count);
  recordMetric('ParkedByReason', count, { Reason: extra.reasonCode ?? defaultReasonCode[kind] });
  return key;
}

/** The `Reason` dimension of a park that names no error: what kind of thing was kept. */
const defaultReasonCode: Record<ParkedKind, string> = {
  record: 'RejectedRecord',
  records: 'RejectedRecord',
  job: 'RetriesExhausted',
};

/** What a parked job names, as far as it names anything (it was parked for a reason). */
function namesOf(job: unknown): {
  taskId?: unknown;
  callId?: unknown;
  callee?: unknown;
  date?: unknown;
} {
  return typeof job === 'object' && job !== null ? job : {};
}

/**
 * What `_rejected/` holds, by call (`{taskId}/{callId}`, and `{taskId}/{date}/{callee}` for
 * a job without a call id): the reason each was parked. Reads every parked object, so it is
 * for people (`status`), not for the hot path; one that does not read is logged and skipped.
 */
export async function parkedCalls(store: ObjectStore): Promise<Map<string, string>> {
  const parked = new Map<string, string>();
  for (const key of await store.list(PREFIXES.rejected)) {
    let item: ParkedItem | undefined;
    try {
      item = await readDocument(store, ParkedItemSchema, key);
    } catch (error: unknown) {
      if (!(error instanceof StoredDocumentError)) throw error;
      log('warn', 'parked item does not read', { key, ...errorFields(error) });
      continue;
    }
    if (item?.kind !== 'job') continue;
    const job = namesOf(item.job);
    if (job.callId) parked.set(`${job.taskId}/${job.callId}`, item.reason);
    parked.set(`${job.taskId}/${job.date}/${job.callee}`, item.reason);
  }
  return parked;
}
