import { randomBytes } from 'node:crypto';
import { chinaDate } from '../call-detail/china-time';
import { CALL_ID, CALLEE, callIdMessage, isCallDay } from '../call-detail/identity';
import { forEachLimited } from '../common/for-each-limited';
import type { DyvmsClient } from '../dyvms/client';
import { listTaskCalls, type TaskCall } from '../dyvms/task-calls';
import {
  FINISHED_STATUSES,
  isRecent,
  listUpstreamTasks,
  type UpstreamTask,
} from '../dyvms/upstream-tasks';
import { reasonOf } from '../errors';
import { listedCallOf, listedCalls } from '../layout/call-folder';
import { RECONCILE_CURSOR_KEY, ReconcileCursorSchema } from '../layout/cursor';
import { readDocument } from '../layout/document';
import { erasedCallsOf, numberHash, suppressedHashes } from '../layout/lifecycle';
import { supersededCalls } from '../layout/parked';
import {
  FINISHED_TASKS_PREFIX,
  type FinishedTask,
  finishedTaskIdOf,
  finishedTaskKey,
  type ReconcileSummary,
  reconcileRunKey,
} from '../layout/reconcile';
import { errorFields, log, maskPhone } from '../log';
import { recordMetric } from '../metrics';
import type { CallEndedJob } from '../model/call-ended-job';
import type { Dispatcher } from '../model/dispatcher';
import type { ObjectStore } from '../storage/object-store';

export interface ReconcileDeps {
  dyvms: DyvmsClient;
  store: ObjectStore;
  dispatcher: Dispatcher;
  lookbackHours: number;
  /** Rows asked for per page of the list actions (DYVMS_PAGE_SIZE). */
  pageSize: number;
  /** Stop starting new tasks after this (epoch ms); what is left is carried to the next run. */
  deadline?: number;
  dryRun?: boolean;
  /** Only the calls of this day (China, YYYY-MM-DD): `status --date`. */
  day?: string;
  now?: () => number;
  progress?: { start(total: number): void; tick(): void; stop(): void };
  /** Tasks reconciled at once; their Dyvmsapi calls are paced by DYVMS_MAX_RPS anyway. */
  concurrency?: number;
  /** AUDIT_HASH_SECRET: calls to suppressed numbers are counted erased, not dispatched. */
  hashSecret?: string;
}

export type { ReconcileSummary } from '../layout/reconcile';

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

/**
 * One reconcile run (docs/design.md "Reconcile"): the recent tasks upstream, each task's
 * calls minus what the archive holds (one listing of `{taskId}/` per task), one CallEnded
 * job per missing call through the dispatcher. A task that fails is reported and tried
 * again next run; the others go on. The summary is written to `_reconcile/{date}/{runId}.json`.
 */
export async function reconcileRun(deps: ReconcileDeps): Promise<ReconcileSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  const runId = `${new Date(started).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const summary: ReconcileSummary = {
    runId,
    startedAt: new Date(started).toISOString(),
    finishedAt: '',
    lookbackHours: deps.lookbackHours,
    dryRun: deps.dryRun ?? false,
    tasksListed: 0,
    tasksSeen: 0,
    tasksSkipped: 0,
    tasksReconciled: 0,
    callsListed: 0,
    alreadyArchived: 0,
    withoutRecording: 0,
    erased: 0,
    superseded: 0,
    dispatched: 0,
    missing: 0,
    failed: [],
    remembered: [],
    complete: true,
    carriedOver: [],
  };

  const since = started - deps.lookbackHours * 3600_000;
  // One listing of `_rejected/{date}/` per day this run meets, shared by its tasks.
  const supersededOf = new Map<string, Promise<Set<string>>>();
  const superseded = (day: string) => {
    const calls = supersededOf.get(day) ?? supersededCalls(deps.store, day);
    supersededOf.set(day, calls);
    return calls;
  };
  const remembered = new Set(
    (await deps.store.list(FINISHED_TASKS_PREFIX)).flatMap((key) => finishedTaskIdOf(key) ?? []),
  );
  const recent: UpstreamTask[] = [];
  try {
    for await (const task of listUpstreamTasks(deps.dyvms, deps.pageSize)) {
      summary.tasksListed++;
      if ('reason' in task) summary.failed.push({ taskId: '?', reason: task.reason });
      else if (!isRecent(task, since)) continue;
      else if (remembered.has(task.taskId)) summary.tasksSkipped++;
      else recent.push(task);
    }
  } catch (error: unknown) {
    summary.failed.push({ taskId: '*', reason: `QueryRobotTaskList: ${reasonOf(error)}` });
  }
  summary.tasksSeen = recent.length + summary.tasksSkipped;
  const suppressed = deps.hashSecret ? await suppressedHashes(deps.store) : new Set<string>();

  // Tasks an earlier run had no time for come first.
  const carried = await readCursor(deps.store);
  recent.sort((a, b) => Number(carried.has(b.taskId)) - Number(carried.has(a.taskId)));

  deps.progress?.start(recent.length);
  await forEachLimited(recent, deps.concurrency ?? 4, async (task) => {
    if (deps.deadline !== undefined && now() > deps.deadline) {
      summary.complete = false;
      summary.carriedOver.push(task.taskId);
      return;
    }
    try {
      await reconcileTask(task, { ...deps, suppressed, superseded }, summary);
    } catch (error: unknown) {
      summary.failed.push({ taskId: task.taskId, reason: reasonOf(error) });
    } finally {
      deps.progress?.tick();
    }
  });
  deps.progress?.stop();

  summary.finishedAt = new Date(now()).toISOString();
  if (!summary.dryRun) {
    if (summary.complete) await deps.store.delete(RECONCILE_CURSOR_KEY);
    else
      await deps.store.put(
        RECONCILE_CURSOR_KEY,
        JSON.stringify({ runId, remaining: summary.carriedOver }),
        JSON_TYPE,
      );
    await deps.store.put(
      reconcileRunKey(chinaDate(started), runId),
      `${JSON.stringify(summary, null, 2)}\n`,
      JSON_TYPE,
    );
  }
  if (!summary.dryRun) {
    recordMetric('ReconcileDispatched', summary.dispatched);
    recordMetric('ReconcileFailed', summary.failed.length);
  }
  log(summary.failed.length > 0 ? 'warn' : 'info', 'reconcile run', {
    runId,
    tasksSeen: summary.tasksSeen,
    tasksSkipped: summary.tasksSkipped,
    callsListed: summary.callsListed,
    alreadyArchived: summary.alreadyArchived,
    erased: summary.erased,
    dispatched: summary.dispatched,
    missing: summary.missing,
    failed: summary.failed.length,
    complete: summary.complete,
    dryRun: summary.dryRun,
  });
  return summary;
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

async function reconcileTask(
  task: UpstreamTask,
  deps: ReconcileDeps & {
    suppressed: ReadonlySet<string>;
    superseded(day: string): Promise<Set<string>>;
  },
  summary: ReconcileSummary,
): Promise<void> {
  // Listed in full first: a listing that fails midway dispatches nothing and counts nothing.
  const calls: TaskCall[] = [];
  for await (const call of listTaskCalls(deps.dyvms, task.taskId, { pageSize: deps.pageSize }))
    if (deps.day === undefined || call.date === deps.day) calls.push(call);
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
  if (whole && FINISHED_STATUSES.has(task.status) && missing.length === 0 && invalid === 0) {
    const finished: FinishedTask = {
      taskId: task.taskId,
      status: task.status,
      calls: calls.length,
      rememberedAt: new Date((deps.now ?? Date.now)()).toISOString(),
    };
    await deps.store.put(finishedTaskKey(task.taskId), JSON.stringify(finished), JSON_TYPE);
    summary.remembered.push(task.taskId);
  }
}

/**
 * The tasks the last run had no time for. The cursor only orders this run's work, so one
 * that cannot be read is logged (with its key and field) and this run goes on without it.
 */
async function readCursor(store: ObjectStore): Promise<Set<string>> {
  try {
    const cursor = await readDocument(store, ReconcileCursorSchema, RECONCILE_CURSOR_KEY);
    return new Set(cursor?.remaining ?? []);
  } catch (error: unknown) {
    log('warn', 'reconcile cursor not read', errorFields(error));
    return new Set();
  }
}
