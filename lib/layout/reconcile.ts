import * as z from 'zod';
import { TASK_ID } from '../call-detail/identity';
import { InvalidKeyError } from './errors';
import { DAY_SEGMENT, PREFIXES } from './prefixes';

// Reconcile's documents: `_reconcile/{date}/{runId}.json` (a run's summary) and
// `_reconcile/tasks/{taskId}.json` (a finished task found wholly archived, skipped from then on).

const count = z.number().int().nonnegative();

export const ReconcileSummarySchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  lookbackHours: z.number(),
  dryRun: z.boolean(),
  /** Tasks upstream, recent ones, and those skipped as finished and complete. */
  tasksListed: count,
  tasksSeen: count,
  tasksSkipped: count,
  tasksReconciled: count,
  callsListed: count,
  alreadyArchived: count,
  /** Of those, archived with `recording: null` (recordStatus 2). Absent from early summaries. */
  withoutRecording: count.default(0),
  /** Listed upstream but erased here (a tombstone, a suppressed number): never dispatched. */
  erased: count.default(0),
  /**
   * Calls parked as superseded (a later call of the same callee that day is what the detail
   * API answers): counted, never dispatched again.
   */
  superseded: count.default(0),
  dispatched: count,
  /** Missing calls (a dry run dispatches nothing, and names them in `missingCalls`). */
  missing: count,
  missingCalls: z
    .array(
      z.object({ taskId: z.string(), callId: z.string(), callee: z.string(), date: z.string() }),
    )
    .optional(),
  failed: z.array(z.object({ taskId: z.string(), reason: z.string() })),
  /** Finished tasks found wholly archived by this run, remembered from now on. */
  remembered: z.array(z.string()),
  /** False when the time budget ran out: `carriedOver` tasks come first next run. */
  complete: z.boolean(),
  carriedOver: z.array(z.string()),
});

export const FinishedTaskSchema = z.object({
  taskId: z.string().regex(TASK_ID),
  status: z.string(),
  calls: count,
  rememberedAt: z.string(),
});

export type ReconcileSummary = z.infer<typeof ReconcileSummarySchema>;
export type FinishedTask = z.infer<typeof FinishedTaskSchema>;

/** Run ids are an ISO time with `:` and `.` as `-`, and a random suffix. */
const RUN_ID = /^[0-9A-Za-z-]{1,64}$/;
const TASKS = `${PREFIXES.reconcile}tasks/`;

/** `_reconcile/{date}/{runId}.json`, `date` the day (China) the run started. */
export function reconcileRunKey(date: string, runId: string): string {
  return `${reconcileRunsPrefix(date)}${checked(RUN_ID, runId, 'runId')}.json`;
}

/** What a day's run summaries are listed under; their keys sort by start time. */
export function reconcileRunsPrefix(date: string): string {
  return `${PREFIXES.reconcile}${checked(DAY_SEGMENT, date, 'date')}/`;
}

/** What the finished tasks are listed under. */
export const FINISHED_TASKS_PREFIX = TASKS;

/** `_reconcile/tasks/{taskId}.json`. */
export const finishedTaskKey = (taskId: string): string =>
  `${TASKS}${checked(TASK_ID, taskId, 'taskId')}.json`;

/** The task id a key under FINISHED_TASKS_PREFIX names, or undefined for any other key. */
export function finishedTaskIdOf(key: string): string | undefined {
  const match = /^_reconcile\/tasks\/(\d{1,20})\.json$/.exec(key);
  return match?.[1];
}

function checked(pattern: RegExp, value: string, name: string): string {
  if (!pattern.test(value))
    throw new InvalidKeyError(`${name} ${JSON.stringify(value)} cannot be a key segment`);
  return value;
}
