import { randomBytes } from 'node:crypto';
import { chinaDate } from '../call-detail/china-time';
import { forEachLimited } from '../common/for-each-limited';
import type { DyvmsClient } from '../dyvms/client';
import { isRecent, listUpstreamTasks, type UpstreamTask } from '../dyvms/upstream-tasks';
import { reasonOf } from '../errors';
import { RECONCILE_CURSOR_KEY, ReconcileCursorSchema } from '../layout/cursor';
import { readDocument } from '../layout/document';
import { suppressedHashes } from '../layout/lifecycle';
import { supersededCalls } from '../layout/parked';
import {
  FINISHED_TASKS_PREFIX,
  finishedTaskIdOf,
  type ReconcileSummary,
  reconcileRunKey,
} from '../layout/reconcile';
import { errorFields, log } from '../log';
import { recordMetric } from '../metrics';
import type { Dispatcher } from '../model/dispatcher';
import type { ObjectStore } from '../storage/object-store';
import { reconcileTask, type TaskDeps } from './reconcile-task';

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

/** A run's summary before any task is seen; its id is the start time and 3 random bytes. */
function startSummary(deps: ReconcileDeps, started: number): ReconcileSummary {
  const runId = `${new Date(started).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  return {
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
  const summary = startSummary(deps, started);
  const superseded = supersededByDay(deps.store);
  const recent = await recentTasks(deps, started - deps.lookbackHours * 3600_000, summary);
  const suppressed = deps.hashSecret ? await suppressedHashes(deps.store) : new Set<string>();

  // Tasks an earlier run had no time for come first.
  const carried = await readCursor(deps.store);
  recent.sort((a, b) => Number(carried.has(b.taskId)) - Number(carried.has(a.taskId)));

  await reconcileTasks(recent, { ...deps, suppressed, superseded }, summary, now);

  summary.finishedAt = new Date(now()).toISOString();
  if (!summary.dryRun) await saveRun(deps.store, summary, started);
  reportRun(summary);
  return summary;
}

/** One listing of `_rejected/{date}/` per day this run meets, shared by its tasks. */
function supersededByDay(store: ObjectStore): (day: string) => Promise<Set<string>> {
  const supersededOf = new Map<string, Promise<Set<string>>>();
  return (day: string) => {
    const calls = supersededOf.get(day) ?? supersededCalls(store, day);
    supersededOf.set(day, calls);
    return calls;
  };
}

/** The tasks upstream started since `since` that no earlier run remembered as finished. */
async function recentTasks(
  deps: ReconcileDeps,
  since: number,
  summary: ReconcileSummary,
): Promise<UpstreamTask[]> {
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
  return recent;
}

/** Each task in turn (a few at once) until the deadline; the rest are carried over. */
async function reconcileTasks(
  recent: UpstreamTask[],
  deps: ReconcileDeps & TaskDeps,
  summary: ReconcileSummary,
  now: () => number,
): Promise<void> {
  deps.progress?.start(recent.length);
  await forEachLimited(recent, deps.concurrency ?? 4, async (task) => {
    if (deps.deadline !== undefined && now() > deps.deadline) {
      summary.complete = false;
      summary.carriedOver.push(task.taskId);
      return;
    }
    try {
      await reconcileTask(task, deps, summary);
    } catch (error: unknown) {
      summary.failed.push({ taskId: task.taskId, reason: reasonOf(error) });
    } finally {
      deps.progress?.tick();
    }
  });
  deps.progress?.stop();
}

/** The cursor (what is carried over, or gone when nothing is) and the run's summary. */
async function saveRun(
  store: ObjectStore,
  summary: ReconcileSummary,
  started: number,
): Promise<void> {
  const { runId } = summary;
  if (summary.complete) await store.delete(RECONCILE_CURSOR_KEY);
  else
    await store.put(
      RECONCILE_CURSOR_KEY,
      JSON.stringify({ runId, remaining: summary.carriedOver }),
      JSON_TYPE,
    );
  await store.put(
    reconcileRunKey(chinaDate(started), runId),
    `${JSON.stringify(summary, null, 2)}\n`,
    JSON_TYPE,
  );
}

/** The run's metrics (not for a dry run) and its one log line. */
function reportRun(summary: ReconcileSummary): void {
  if (!summary.dryRun) {
    recordMetric('ReconcileDispatched', summary.dispatched);
    recordMetric('ReconcileFailed', summary.failed.length);
  }
  log(summary.failed.length > 0 ? 'warn' : 'info', 'reconcile run', {
    runId: summary.runId,
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
