import type { CallFolderKeys } from '../layout/call-folder';
import { numberHash, retentionCutoff, suppressionKey, tombstoneKey } from '../layout/lifecycle';
import { log, maskPhone } from '../log';
import type { CallEndedJob } from '../model/call-ended-job';
import type { ObjectStore } from '../storage/object-store';

/** What the archive must know of erasure and retention (docs/design.md "Letting data go"). */
export interface ErasureGuardOptions {
  /** AUDIT_HASH_SECRET: without it no suppressed number can be recognised. */
  hashSecret?: string;
  /** RETENTION_DAYS: jobs for days the sweep has let go are refused. */
  retentionDays?: number;
}

export type Refusal = { status: 'erased'; key: string } | { status: 'expired'; date: string };

/**
 * Why this job must archive nothing, if it must not: its day is past retention, its number
 * is suppressed, or (once the call id is known) the call has a tombstone. One HEAD each.
 */
export async function refusalOf(
  job: CallEndedJob,
  callId: string | undefined,
  deps: { store: ObjectStore; now?: () => number; lifecycle?: ErasureGuardOptions },
): Promise<Refusal | undefined> {
  const { retentionDays, hashSecret } = deps.lifecycle ?? {};
  if (retentionDays !== undefined) {
    const cutoff = retentionCutoff(retentionDays, (deps.now ?? Date.now)());
    if (job.date < cutoff) {
      log('info', 'refused: the day is past retention', { date: job.date, cutoff });
      return { status: 'expired', date: job.date };
    }
  }
  if (hashSecret !== undefined) {
    const key = suppressionKey(numberHash(hashSecret, job.callee));
    if (await deps.store.head(key)) {
      log('info', 'refused: the number is suppressed', { callee: maskPhone(job.callee) });
      return { status: 'erased', key };
    }
  }
  if (callId === undefined) return undefined;
  const key = tombstoneKey(job.taskId, job.date, callId);
  if (!(await deps.store.head(key))) return undefined;
  log('info', 'refused: the call is erased', { tombstone: key });
  return { status: 'erased', key };
}

/**
 * After the commit: an erasure that ran beside this job may have tombstoned the call while
 * it downloaded. Then what this job wrote goes again (every version), so the call ends
 * erased, not re-created.
 */
export async function undoIfErased(
  keys: CallFolderKeys,
  job: CallEndedJob,
  callId: string,
  deps: { store: ObjectStore },
  written: readonly string[],
): Promise<Refusal | undefined> {
  const key = tombstoneKey(job.taskId, job.date, callId);
  if (!(await deps.store.head(key))) return undefined;
  for (const object of [...written, keys.detail]) await deps.store.purge(object);
  log('warn', 'erased while archiving: removed what this job wrote', { tombstone: key });
  return { status: 'erased', key };
}
