import { chinaTimeToIso } from '../call-detail/china-time';
import { canonicalTaskId, TASK_ID } from '../call-detail/identity';
import type { DyvmsClient } from './client';
import { QueryRobotTaskListRequest } from './models';
import { readPages } from './pages';

/** A robot-call task as QueryRobotTaskList describes it, times as epoch ms. */
export interface UpstreamTask {
  taskId: string;
  status: string;
  createdAt: number | undefined;
  firedAt: number | undefined;
  completedAt: number | undefined;
}

/** A task in one of these is over: no call of it will come any more. */
export const FINISHED_STATUSES = new Set(['FINISH', 'CANCEL', 'SYSTEM_CANCEL']);
/** A task in one of these is calling now, whenever it was created or fired. */
const RUNNING_STATUSES = new Set(['DISPATCH', 'EXCUTING']);

const text = (value: unknown) =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';

const epochOf = (value: unknown): number | undefined => {
  const iso = chinaTimeToIso(text(value));
  return iso === undefined ? undefined : Date.parse(iso);
};

/** A task row, or the reason it cannot be one (reported, never a crash). */
export function toUpstreamTask(row: Record<string, unknown>): UpstreamTask | { reason: string } {
  const id = text(row.id);
  if (!TASK_ID.test(id)) return { reason: `task row with id ${JSON.stringify(id)}: not digits` };
  return {
    taskId: canonicalTaskId(id),
    status: text(row.status).toUpperCase(),
    createdAt: epochOf(row.createTime),
    firedAt: epochOf(row.fireTime),
    completedAt: epochOf(row.completeTime),
  };
}

/** Fired, completed or created since `sinceMs`, or calling right now. */
export function isRecent(task: UpstreamTask, sinceMs: number): boolean {
  if (RUNNING_STATUSES.has(task.status)) return true;
  return [task.createdAt, task.firedAt, task.completedAt].some(
    (at) => at !== undefined && at >= sinceMs,
  );
}

/** Every task of the account, through QueryRobotTaskList, page by page until an empty page. */
export async function* listUpstreamTasks(
  client: DyvmsClient,
  pageSize: number,
): AsyncGenerator<UpstreamTask | { reason: string }> {
  const rows = readPages(
    async (pageNo, size) =>
      (await client.queryRobotTaskList(new QueryRobotTaskListRequest({ pageNo, pageSize: size })))
        .data,
    { pageSize, what: 'QueryRobotTaskList' },
  );
  for await (const row of rows) yield toUpstreamTask(row);
}
