import type { ArchiveDeps } from '../archive/archive-call';
import { archiveJobOrPark, isArchived } from '../archive/archive-job';
import { forEachLimited } from '../common/for-each-limited';
import { callsOfTask, type DateRange, type TaskCall } from '../dyvms/task-calls';
import { reasonOf } from '../errors';
import { archiveKeys, callListingPrefix, listedCallOf } from '../layout/call-folder';
import { erasedCallsOf } from '../layout/lifecycle';
import { maskPhone } from '../log';
import type { CallEndedJob } from '../model/call-ended-job';
import type { Dispatcher } from '../model/dispatcher';
import type { Failure, Progress } from '../model/progress';
import { park } from '../parking/park';
import { STALE_TEMP_MS } from '../storage/object-store';

export interface BackfillOptions {
  taskId: string;
  range: DateRange;
  callees: readonly string[];
  concurrency: number;
  dryRun: boolean;
}

export type { Failure, Progress } from '../model/progress';

export interface BackfillSummary {
  listed: number;
  archived: number;
  noRecording: number;
  skipped: number;
  /** Erased calls (tombstoned, suppressed, or past retention): never archived again. */
  erased: number;
  /**
   * Calls the detail API no longer answers: a later call of the same callee that day took
   * their place (parked as superseded, as reconcile counts them), not failures.
   */
  superseded: number;
  dispatched: number;
  wouldArchive: number;
  failed: Failure[];
  /** Temp files of earlier writes that never finished, removed at the start (file://). */
  staleTemps: number;
}

/** A summary of nothing done yet: hand one in as `deps.summary` to read it mid-run. */
export function emptyBackfillSummary(): BackfillSummary {
  return {
    listed: 0,
    archived: 0,
    noRecording: 0,
    skipped: 0,
    erased: 0,
    superseded: 0,
    dispatched: 0,
    wouldArchive: 0,
    failed: [],
    staleTemps: 0,
  };
}

export interface BackfillDeps {
  archive: ArchiveDeps;
  /** Rows asked for per page of QueryRobotTaskCallList (DYVMS_PAGE_SIZE). */
  pageSize: number;
  /** With --dispatch: hand the jobs to the cloud instead of archiving here. */
  dispatcher?: Dispatcher;
  progress: Progress;
  /** Filled in as the run goes (what an interrupted run prints); a new one by default. */
  summary?: BackfillSummary;
}

/**
 * Archives every call of a task that is not archived yet (resumable: a second run skips
 * what is done). A call that fails is parked in `_rejected/` with its reason, for `replay`.
 */
export async function backfillTask(
  options: BackfillOptions,
  deps: BackfillDeps,
): Promise<BackfillSummary> {
  const summary = deps.summary ?? emptyBackfillSummary();
  // Writes an earlier run left unfinished (killed, or Ctrl-C mid-download) go first.
  if (!options.dryRun)
    summary.staleTemps =
      (await deps.archive.store.sweepTemps?.(callListingPrefix(options.taskId), STALE_TEMP_MS)) ??
      0;
  const listed = await callsOfTask(deps.archive.dyvms, options, deps.pageSize);
  summary.listed = listed.length;
  const toDispatch: CallEndedJob[] = [];
  // Erased calls are counted and never archived or dispatched again (one listing).
  const erased = await erasedCallsOf(deps.archive.store, options.taskId);
  deps.progress.start(listed.length);
  // Every failure is caught inside, so one bad call never stops the rest.
  await forEachLimited(listed, options.concurrency, (call) =>
    backfillCall(call, { erased, toDispatch, summary }, options, deps),
  );
  if (deps.dispatcher && toDispatch.length > 0) {
    await deps.dispatcher.dispatch(toDispatch);
    summary.dispatched = toDispatch.length;
  }
  deps.progress.stop();
  return summary;
}

/** What the calls of one run share: the erased calls, the jobs to dispatch, the summary. */
interface BackfillRun {
  erased: ReadonlySet<string>;
  toDispatch: CallEndedJob[];
  summary: BackfillSummary;
}

/** One listed call: counted erased or archived, dispatched, or archived here (else parked). */
async function backfillCall(
  call: TaskCall,
  run: BackfillRun,
  options: BackfillOptions,
  deps: BackfillDeps,
): Promise<void> {
  const { summary } = run;
  const job: CallEndedJob = {
    taskId: call.taskId,
    callee: call.callee,
    date: call.date as string,
    callId: call.callId,
  };
  try {
    if (run.erased.has(listedCallOf(job.date, call.callId))) {
      summary.erased++;
    } else if (
      await isArchived(deps.archive.store, archiveKeys(job.taskId, job.date, call.callId).detail, {
        ...job,
        callId: call.callId,
      })
    ) {
      summary.skipped++;
    } else if (options.dryRun) {
      summary.wouldArchive++;
    } else if (deps.dispatcher) {
      run.toDispatch.push(job);
    } else {
      countOutcome(await archiveJobOrPark(job, deps.archive), job, summary);
    }
  } catch (error: unknown) {
    const reason = reasonOf(error);
    summary.failed.push({ callId: call.callId, callee: maskPhone(call.callee), reason });
    await park(deps.archive.store, 'job', job, `backfill: ${reason}`).catch(() => undefined);
  } finally {
    deps.progress.tick();
  }
}

function countOutcome(
  outcome: Awaited<ReturnType<typeof archiveJobOrPark>>,
  job: CallEndedJob,
  summary: BackfillSummary,
): void {
  if (outcome.status === 'archived') summary.archived++;
  else if (outcome.status === 'no-recording') summary.noRecording++;
  else if (outcome.status === 'already-archived') summary.skipped++;
  else if (outcome.status === 'erased' || outcome.status === 'expired') summary.erased++;
  else if (outcome.reasonCode === 'SupersededCallError') summary.superseded++;
  else
    summary.failed.push({
      callId: job.callId as string,
      callee: maskPhone(job.callee),
      reason: outcome.reason,
    });
}
