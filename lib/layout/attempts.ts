import { createHash } from 'node:crypto';
import * as z from 'zod';
import { InvalidKeyError } from './errors';
import { DAY_SEGMENT, PREFIXES } from './prefixes';

// A queued job's last failed attempt (docs/design.md "Nothing lost"): the jobs queue's
// redrive moves a job to the dead-letter queue without its error, so the archive notes it
// here and the park function reads it back into the parked item's reason.

/**
 * `_attempts/{date}/{id}/note.json`: `date` the job's day (so retention lets a stray note go
 * with its day), `id` the SHA-256 of the message body as queued, which the dead-letter queue
 * hands on unchanged. Never a phone number in the key. The note has a folder of its own so
 * a reader can list exactly it: on S3 a role that may not list a prefix is answered 403, not
 * 404, for an object that is not there.
 */
export function attemptNoteKey(date: string, id: string): string {
  return `${attemptNoteFolder(date, id)}note.json`;
}

/** The folder of one note (listing it finds the note or nothing). */
export function attemptNoteFolder(date: string, id: string): string {
  if (!DAY_SEGMENT.test(date))
    throw new InvalidKeyError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  if (!/^[0-9a-f]{64}$/.test(id))
    throw new InvalidKeyError(`attempt note id ${JSON.stringify(id)} is not a SHA-256`);
  return `${PREFIXES.attempts}${date}/${id}/`;
}

/** The id of a queued message's note: the SHA-256 of its body. */
export const attemptNoteId = (body: string): string =>
  createHash('sha256').update(body).digest('hex');

/**
 * A failed attempt. `reason` is the error as a parked item says it (lib/errors.ts reasonOf)
 * with every phone number masked and every URL cut before its query: a note holds no number
 * and no signed URL (SECURITY.md).
 */
export const AttemptNoteSchema = z.object({
  reason: z.string().min(1).max(1000),
  /** The delivery that failed: the queue's ApproximateReceiveCount, from 1. */
  attempt: z.number().int().positive(),
  at: z.iso.datetime(),
});

export type AttemptNote = z.output<typeof AttemptNoteSchema>;
