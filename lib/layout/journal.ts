import * as z from 'zod';
import { InvalidKeyError } from './errors';
import { DAY_SEGMENT, PREFIXES } from './prefixes';

// The local dispatcher's journal: `_pending/{date}/{uuid}.json`, one per push, holding the
// jobs it accepted until each is archived or parked.

/**
 * One journal entry. The jobs are read one by one by the job's own parser, so one bad job
 * is parked alone and never keeps its batch-mates unfinished.
 */
export const JournalEntrySchema = z.object({
  acceptedAt: z.string().optional(),
  jobs: z.array(z.unknown()),
});

export type JournalEntryDocument = z.infer<typeof JournalEntrySchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `_pending/{date}/{uuid}.json`. */
export function pendingKey(date: string, uuid: string): string {
  if (!DAY_SEGMENT.test(date))
    throw new InvalidKeyError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  if (!UUID.test(uuid))
    throw new InvalidKeyError(`journal id ${JSON.stringify(uuid)} is not a UUID`);
  return `${PREFIXES.pending}${date}/${uuid}.json`;
}

/** Whether `key` is a journal entry (under `_pending/`). */
export const isPendingKey = (key: string): boolean =>
  key.startsWith(PREFIXES.pending) && key.endsWith('.json');
