import { chinaTimeToIso } from '../call-detail/china-time';
import type { DyvmsClient } from './client';
import { QueryRobotTaskCallListRequest } from './models';
import { readPages } from './pages';

export interface TaskCall {
  taskId: string;
  callee: string;
  callId: string;
  /** Day of the call in China (YYYY-MM-DD), from callStartTime (or callEndTime). */
  date: string | undefined;
}

export interface DateRange {
  from?: string;
  to?: string;
}

const text = (value: unknown) =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';

function toTaskCall(taskId: string, row: Record<string, unknown>): TaskCall {
  const started = chinaTimeToIso(text(row.callStartTime)) ?? chinaTimeToIso(text(row.callEndTime));
  return {
    taskId,
    callee: text(row.called) || text(row.callee),
    callId: text(row.callId),
    date: started?.slice(0, 10),
  };
}

export const inRange = (date: string | undefined, range: DateRange): boolean =>
  date !== undefined && (!range.from || date >= range.from) && (!range.to || date <= range.to);

/**
 * Every call of a task, through QueryRobotTaskCallList, page by page until an empty page
 * (docs/design.md "Reconcile": a short page is not the end).
 */
export async function* listTaskCalls(
  client: DyvmsClient,
  taskId: string,
  options: { callee?: string; pageSize: number },
): AsyncGenerator<TaskCall> {
  const rows = readPages(
    async (pageNo, pageSize) =>
      (
        await client.queryRobotTaskCallList(
          new QueryRobotTaskCallListRequest({ taskId, pageNo, pageSize, called: options.callee }),
        )
      ).data,
    { pageSize: options.pageSize, what: `QueryRobotTaskCallList of task ${taskId}` },
  );
  for await (const row of rows) yield toTaskCall(taskId, row);
}

/** A task's calls within a range of days, of the given callees only (all when none is given). */
export async function callsOfTask(
  dyvms: DyvmsClient,
  options: { taskId: string; range: DateRange; callees: readonly string[] },
  pageSize: number,
): Promise<TaskCall[]> {
  const out: TaskCall[] = [];
  const callees = options.callees.length > 0 ? options.callees : [undefined];
  for (const callee of callees) {
    for await (const call of listTaskCalls(dyvms, options.taskId, { callee, pageSize })) {
      if (inRange(call.date, options.range) && (!callee || call.callee === callee)) out.push(call);
    }
  }
  return out;
}
