import { CALL_ID, CALLEE, callIdMessage, isCallDay } from '../call-detail/identity';
import type { DyvmsClient } from '../dyvms/client';
import { listTaskCalls, type TaskCall } from '../dyvms/task-calls';
import { FINISHED_STATUSES, type UpstreamTask } from '../dyvms/upstream-tasks';
import { listedCallOf, listedCalls } from '../layout/call-folder';
import { erasedCallsOf, numberHash } from '../layout/lifecycle';
import { type FinishedTask, finishedTaskKey, type ReconcileSummary } from '../layout/reconcile';
import { maskPhone } from '../log';
import type { CallEndedJob } from '../model/call-ended-job';
import type { Dispatcher } from '../model/dispatcher';
import type { ObjectStore } from '../storage/object-store';

/** What one task is reconciled with: the run's options and its shared lookups. */
export interface TaskDeps {
  dyvms: DyvmsClient;
  store: ObjectStore;
  dispatcher: Dispatcher;
  pageSize: number;
  dryRun?: boolean;
  day?: string;
  now?: () => number;
  hashSecret?: string;
  suppressed: ReadonlySet<string>;
  superseded(day: string): Promise<Set<string>>;
}

const JSON_TYPE = { contentType: 'application/json; charset=utf-8' };

/** A listed call as a CallEnded job, or why it cannot become one. */
function jobOf(call: TaskCall): CallEndedJob | { reason: string } {
  if (!call.callId) return { reason: 'a call row without callId' };
  if (call.date === undefined || !isCallDay(call.date))
    return { reason: `call ${call.callId}: no callStartTime or callEndTime` };
  if (!CALLEE.test(call.callee)) return { reason: `call ${call.callId}: callee is not a number` };
  if (!CALL_ID.test(call.callId)) return { reason: callIdMessage(call.callId) };
  return { taskId: call.taskId, callee: call.callee, date: call.date, callId: call.callId };
}

/** Erased here: tombstoned, or to a number suppressed (matched by its keyed hash). */
function isErased(
  job: CallEndedJob,
  erased: ReadonlySet<string>,
  deps: { hashSecret?: string; suppressed: ReadonlySet<string> },
): boolean {
  if (erased.has(listedCallOf(job.date, job.callId ?? ''))) return true;
  return (
    deps.hashSecret !== undefined &&
    deps.suppressed.size > 0 &&
    deps.suppressed.has(numberHash(deps.hashSecret, job.callee))
  );
}

/** One task: its calls upstream against the archive, the missing ones dispatched. */
export async function reconcileTask(
  task: UpstreamTask,
  deps: TaskDeps,
  summary: ReconcileSummary,
): Promise<void> {
  // Listed in full first: a listing that fails midway dispatches nothing and counts nothing.
  const calls: TaskCall[] = [];
  for await (const call of listTaskCalls(deps.dyvms, task.taskId, { pageSize: deps.pageSize }))
    if (deps.day === undefined || call.date === deps.day) calls.push(call);
  const { missing, invalid } = await missingJobs(task, calls, deps, summary);
  summary.callsListed += calls.length;
  summary.missing += missing.length;
  summary.tasksReconciled++;
  if (deps.dryRun) {
    summary.missingCalls ??= [];
    for (const job of missing)
      summary.missingCalls.push({
        ...job,
        callId: job.callId ?? '',
        callee: maskPhone(job.callee),
      });
    return;
  }
  if (missing.length > 0) {
    await deps.dispatcher.dispatch(missing);
    summary.dispatched += missing.length;
  }
  // Remembered only once nothing is missing (the jobs just dispatched are checked next
  // run), and only from a run that saw every call of the task.
  const whole = deps.day === undefined;
  if (whole && FINISHED_STATUSES.has(task.status) && missing.length === 0 && invalid === 0)
    await rememberFinished(task, calls.length, deps, summary);
}

/**
 * A task's listed calls sorted: invalid (reported), erased, already archived, superseded
 * (parked in `_rejected/`), or missing, the jobs to dispatch.
 */
async function missingJobs(
  task: UpstreamTask,
  calls: TaskCall[],
  deps: TaskDeps,
  summary: ReconcileSummary,
): Promise<{ missing: CallEndedJob[]; invalid: number }> {
  const archived = await listedCalls(deps.store, task.taskId);
  const erased = await erasedCallsOf(deps.store, task.taskId);
  const missing: CallEndedJob[] = [];
  let invalid = 0;
  for (const call of calls) {
    const job = jobOf(call);
    if ('reason' in job) {
      invalid++;
      summary.failed.push({ taskId: task.taskId, reason: job.reason });
    } else if (isErased(job, erased, deps)) {
      summary.erased++;
    } else if (archived.has(listedCallOf(job.date, call.callId))) {
      summary.alreadyArchived++;
      if (!archived.get(listedCallOf(job.date, call.callId))?.recording) summary.withoutRecording++;
    } else if (
      (await deps.superseded(job.date)).has(`${task.taskId}/${listedCallOf(job.date, call.callId)}`)
    ) {
      summary.superseded++;
    } else missing.push(job);
  }
  return { missing, invalid };
}

/** A finished task with nothing missing: later runs skip it (`_reconcile/finished/`). */
async function rememberFinished(
  task: UpstreamTask,
  calls: number,
  deps: TaskDeps,
  summary: ReconcileSummary,
): Promise<void> {
  const finished: FinishedTask = {
    taskId: task.taskId,
    status: task.status,
    calls,
    rememberedAt: new Date((deps.now ?? Date.now)()).toISOString(),
  };
  await deps.store.put(finishedTaskKey(task.taskId), JSON.stringify(finished), JSON_TYPE);
  summary.remembered.push(task.taskId);
}
