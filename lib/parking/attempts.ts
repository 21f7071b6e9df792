import { isCallDay } from '../call-detail/identity';
import { reasonOf } from '../errors';
import {
  type AttemptNote,
  AttemptNoteSchema,
  attemptNoteFolder,
  attemptNoteId,
  attemptNoteKey,
} from '../layout/attempts';
import { parseDocument } from '../layout/document';
import { StoredDocumentError } from '../layout/errors';
import { errorFields, log } from '../log';
import { maskNumbers } from '../log-masking';
import type { ObjectStore } from '../storage/object-store';

export type { AttemptNote } from '../layout/attempts';

// A queued job's last failed attempt, noted by the archive and read by the park function
// (docs/design.md "Nothing lost"). A note is a courtesy to whoever reads the parked item:
// failing to write or delete one is logged, never a reason to fail the job.

/** What a queued body names that a note needs: its note's folder, and the callee to mask. */
function queuedJob(body: string): { date: string; id: string; callee?: string } | undefined {
  let job: unknown;
  try {
    job = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof job !== 'object' || job === null) return undefined;
  const date = 'date' in job ? job.date : undefined;
  const callee = 'callee' in job && typeof job.callee === 'string' ? job.callee : undefined;
  // A job that names no day is invalid: parked at once, never retried, so never noted.
  if (typeof date !== 'string' || !isCallDay(date)) return undefined;
  return { date, id: attemptNoteId(body), callee };
}

/** At most this much of an error is kept: the note is a reason, not a log. */
const MAX_REASON = 1000;

/**
 * An error as a note keeps it: `reasonOf(error)` with the job's own callee and every mobile
 * number masked and every URL cut before its query, so the note holds no number (a landline
 * callee included) and no signed URL.
 */
export function noteReason(error: unknown, callee?: string): string {
  const said = reasonOf(error) || 'the archive failed without a message';
  const masked = maskNumbers(said, callee ? [callee] : []);
  return masked.length > MAX_REASON ? `${masked.slice(0, MAX_REASON - 1)}…` : masked;
}

/**
 * Notes that delivery `attempt` of the queued `body` failed with `error`, over the note of
 * an earlier delivery. A body that names no day is not noted (see queuedJob).
 */
export async function noteFailedAttempt(
  store: ObjectStore,
  body: string,
  error: unknown,
  attempt: number,
  nowMs = Date.now(),
): Promise<void> {
  const job = queuedJob(body);
  if (!job) return;
  const key = attemptNoteKey(job.date, job.id);
  const note: AttemptNote = {
    reason: noteReason(error, job.callee),
    attempt,
    at: new Date(nowMs).toISOString(),
  };
  try {
    await store.put(key, `${JSON.stringify(note, null, 2)}\n`, {
      contentType: 'application/json; charset=utf-8',
    });
  } catch (failure: unknown) {
    log('warn', 'failed attempt not noted', { key, ...errorFields(failure) });
  }
}

/**
 * The note of the queued `body`, found by listing its own folder (a read of a missing key
 * is a 403 on S3 for a role that may not list); `note` undefined when one is there but
 * does not read. Undefined when there is none: a delivery that timed out or stopped leaves
 * no note.
 */
export async function readAttemptNote(
  store: ObjectStore,
  body: string,
): Promise<{ key: string; note?: AttemptNote } | undefined> {
  const job = queuedJob(body);
  if (!job) return undefined;
  const key = attemptNoteKey(job.date, job.id);
  if (!(await store.list(attemptNoteFolder(job.date, job.id))).includes(key)) return undefined;
  const bytes = await store.get(key);
  if (bytes === undefined) return undefined;
  try {
    return { key, note: parseDocument(AttemptNoteSchema, key, bytes.toString('utf8')) };
  } catch (error: unknown) {
    if (!(error instanceof StoredDocumentError)) throw error;
    log('warn', 'attempt note does not read', { key, ...errorFields(error) });
    return { key };
  }
}

/** Deletes the note of the queued `body`, if any; a failure is logged (retention lets it go). */
export async function clearAttemptNote(store: ObjectStore, body: string): Promise<void> {
  const job = queuedJob(body);
  if (!job) return;
  const key = attemptNoteKey(job.date, job.id);
  try {
    await store.delete(key);
  } catch (error: unknown) {
    log('warn', 'attempt note not deleted', { key, ...errorFields(error) });
  }
}
