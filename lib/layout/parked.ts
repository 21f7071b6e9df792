import * as z from 'zod';
import { archiveKeys } from './call-folder';
import { InvalidKeyError } from './errors';
import { DAY_SEGMENT, PREFIXES } from './prefixes';

// What could not be processed, kept where `replay` finds it (docs/design.md "Nothing lost"):
// `_rejected/{date}/{id}.json` with the reason.

/** `records`: the rejected records of one push, `[{index, reason, record}]`, kept together. */
export const ParkedKindSchema = z.enum(['record', 'records', 'job']);

export const RejectedRecordSchema = z.object({
  /** Its place in the push. */
  index: z.number().int().nonnegative(),
  reason: z.string(),
  record: z.unknown(),
});

/**
 * A parked item. Loose: a rewrite (replay keeping the records left) keeps whatever else an
 * item holds.
 */
export const ParkedItemSchema = z.looseObject({
  kind: ParkedKindSchema,
  reason: z.string(),
  parkedAt: z.string(),
  record: z.unknown().optional(),
  records: z.array(RejectedRecordSchema).optional(),
  job: z.unknown().optional(),
  /** How many times the platform ran the job before it gave up (dead-lettered jobs). */
  attempts: z.number().int().nonnegative().optional(),
});

export type ParkedKind = z.infer<typeof ParkedKindSchema>;
export type RejectedRecord = z.infer<typeof RejectedRecordSchema>;
export type ParkedItem = z.infer<typeof ParkedItemSchema>;

/** A hash of the payload, or a name such as supersededId's: never a `.` or a `/`. */
const ID = /^[0-9A-Za-z_-]{1,160}$/;

/** `_rejected/{date}/{id}.json`: `id` a hash of the payload or a call's name, never a phone number. */
export function rejectedKey(date: string, id: string): string {
  if (!DAY_SEGMENT.test(date))
    throw new InvalidKeyError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  if (!ID.test(id))
    throw new InvalidKeyError(`parked id ${JSON.stringify(id)} is not [0-9A-Za-z_-]`);
  return `${PREFIXES.rejected}${date}/${id}.json`;
}

/** What a day's parked items are listed under. */
export function rejectedDayPrefix(date: string): string {
  if (!DAY_SEGMENT.test(date))
    throw new InvalidKeyError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  return `${PREFIXES.rejected}${date}/`;
}

/** Whether `key` is a parked item (a `.json` under `_rejected/`). */
export const isRejectedKey = (key: string): boolean =>
  key.startsWith(PREFIXES.rejected) && key.endsWith('.json');

/**
 * A parked superseded job's id in `_rejected/{date}/`: `superseded-{taskId}-{callId with ^
 * as _}`, named by the call, so parking it again overwrites it and reconcile tells it by
 * its name in one listing of the day, reading nothing.
 */
export function supersededId(taskId: string, date: string, callId: string): string {
  const [task, , segment] = archiveKeys(taskId, date, callId).dir.split('/');
  return `superseded-${task}-${segment}`;
}

/** A parked superseded job's key: `…/superseded-{taskId}-{call segment}.json`. */
const SUPERSEDED_KEY = /\/superseded-(\d+)-([0-9A-Za-z_-]+)\.json$/;

/** The calls of `date` parked as superseded, as `{taskId}/{date}/{callId with ^ as _}`. */
export async function supersededCalls(
  store: { list(prefix: string): Promise<string[]> },
  date: string,
): Promise<Set<string>> {
  const calls = new Set<string>();
  for (const key of await store.list(rejectedDayPrefix(date))) {
    const match = SUPERSEDED_KEY.exec(key);
    if (match) calls.add(`${match[1]}/${date}/${match[2]}`);
  }
  return calls;
}
