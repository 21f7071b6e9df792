import type { ArchiveDeps } from '../archive/archive-call';
import { archiveJobOrPark } from '../archive/archive-job';
import type { CallEndedJob } from '../archive/call-ended-job';
import { forEachLimited } from '../common/for-each-limited';
import { reasonOf } from '../errors';
import { maskPhone } from '../log';
import { park } from '../parking/park';
import type { Dispatcher } from './dispatcher';

export interface InProcessTally {
  archived: number;
  noRecording: number;
  alreadyArchived: number;
  /** Erased (tombstoned or suppressed) or past retention: refused, archived nothing. */
  erased: number;
  /** Parked in `_rejected/` with the reason (for `replay`). */
  failed: { callId: string; callee: string; reason: string }[];
}

/**
 * `DISPATCH=local` for a command that runs to its end (the CLI's reconcile): archives each
 * job here, a few at a time, and resolves once every job is archived or parked, so the
 * command can tell what failed and exit accordingly.
 */
export function inProcessDispatcher(
  deps: ArchiveDeps,
  concurrency = 4,
): Dispatcher & { tally: InProcessTally } {
  const tally: InProcessTally = {
    archived: 0,
    noRecording: 0,
    alreadyArchived: 0,
    erased: 0,
    failed: [],
  };
  const failed = (job: CallEndedJob, reason: string) =>
    tally.failed.push({ callId: job.callId ?? '', callee: maskPhone(job.callee), reason });
  return {
    describe: 'local (in this process)',
    tally,
    async dispatch(jobs) {
      await forEachLimited(jobs, concurrency, async (job) => {
        try {
          const outcome = await archiveJobOrPark(job, deps);
          if (outcome.status === 'archived') tally.archived++;
          else if (outcome.status === 'no-recording') tally.noRecording++;
          else if (outcome.status === 'already-archived') tally.alreadyArchived++;
          else if (outcome.status === 'parked') failed(job, outcome.reason);
          else tally.erased++;
        } catch (error: unknown) {
          // Retryable, and no platform here to retry it: kept where `replay` finds it.
          const reason = reasonOf(error);
          failed(job, reason);
          await park(deps.store, 'job', job, reason).catch(() => undefined);
        }
      });
    },
  };
}
