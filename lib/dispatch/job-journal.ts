import { randomUUID } from 'node:crypto';
import { type CallEndedJob, parseCallEndedJob } from '../archive/call-ended-job';
import { chinaDate } from '../call-detail/china-time';
import { errorFields, log } from '../log';
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

const PREFIX = '_pending/';

/** The journal as objects `_pending/{date}/{uuid}.json` in the archive store, one per push. */
export function storeJournal(store: ObjectStore, now: () => number = Date.now): JobJournal {
  return {
    async record(jobs) {
      const id = `${PREFIX}${chinaDate(now())}/${randomUUID()}.json`;
      await store.put(id, JSON.stringify({ acceptedAt: new Date(now()).toISOString(), jobs }), {
        contentType: 'application/json; charset=utf-8',
      });
      return id;
    },
    forget: (id) => store.delete(id),
    async unfinished() {
      const entries: JournalEntry[] = [];
      for (const id of await store.list(PREFIX)) {
        try {
          const { jobs } = JSON.parse(String(await store.get(id))) as { jobs: unknown[] };
          entries.push({ id, jobs: jobs.map((job) => parseCallEndedJob(job)) });
        } catch (error: unknown) {
          // Left in place for a person to look at; every readable entry still goes on.
          log('error', 'unreadable journal entry left in place', { id, ...errorFields(error) });
        }
      }
      return entries;
    },
  };
}
