import { randomUUID } from 'node:crypto';
import { chinaDate } from '../call-detail/china-time';
import { reasonOf } from '../errors';
import { parseDocument } from '../layout/document';
import { StoredDocumentError } from '../layout/errors';
import { JournalEntrySchema, pendingKey } from '../layout/journal';
import { PREFIXES } from '../layout/prefixes';
import { errorFields, log } from '../log';
import { type CallEndedJob, parseCallEndedJob } from '../model/call-ended-job';
import { park } from '../parking/park';
import type { ObjectStore } from '../storage/object-store';

export interface JournalEntry {
  id: string;
  jobs: CallEndedJob[];
}

/**
 * Where the `local` dispatcher keeps the jobs it accepted until each is archived or parked:
 * a push is answered 200 only after its jobs are written here, so a process killed in the
 * middle of a batch loses nothing (its next start takes the entries up again).
 */
export interface JobJournal {
  record(jobs: readonly CallEndedJob[]): Promise<string>;
  forget(id: string): Promise<void>;
  /** Entries left by an earlier process: call before this process records any. */
  unfinished(): Promise<JournalEntry[]>;
}

/**
 * One journal entry, job by job: what cannot be read is parked in `_rejected/` with the
 * reason (where `replay` finds it) and the readable jobs go on, so one bad job never keeps
 * a whole entry, and its batch-mates, unfinished forever.
 */
async function readEntry(store: ObjectStore, id: string): Promise<JournalEntry> {
  const text = String(await store.get(id));
  let listed: unknown[];
  try {
    listed = parseDocument(JournalEntrySchema, id, text).jobs;
  } catch (error: unknown) {
    if (!(error instanceof StoredDocumentError)) throw error;
    await park(store, 'job', text, `InvalidJob: journal entry ${error.message}`);
    return { id, jobs: [] };
  }
  const jobs: CallEndedJob[] = [];
  for (const job of listed) {
    try {
      jobs.push(parseCallEndedJob(job));
    } catch (error: unknown) {
      await park(store, 'job', job, `journal entry ${id}: ${reasonOf(error)}`);
    }
  }
  return { id, jobs };
}

/** The journal as objects `_pending/{date}/{uuid}.json` in the archive store, one per push. */
export function storeJournal(store: ObjectStore, now: () => number = Date.now): JobJournal {
  return {
    async record(jobs) {
      const id = pendingKey(chinaDate(now()), randomUUID());
      await store.put(id, JSON.stringify({ acceptedAt: new Date(now()).toISOString(), jobs }), {
        contentType: 'application/json; charset=utf-8',
      });
      return id;
    },
    forget: (id) => store.delete(id),
    async unfinished() {
      const entries: JournalEntry[] = [];
      for (const id of await store.list(PREFIXES.pending)) {
        try {
          entries.push(await readEntry(store, id));
        } catch (error: unknown) {
          // The store failed us: left in place for the next start or `replay`.
          log('error', 'cannot read a journal entry', { id, ...errorFields(error) });
        }
      }
      return entries;
    },
  };
}
