import { chinaTimeToIso } from '../call-detail/china-time';
import { parseLenientJson } from '../common/lenient-json';
import type { DyvmsClient } from '../dyvms/client';
import { QueryRobotTaskCallListRequest } from '../dyvms/models';
import { CallDetailParseError } from '../errors';

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

const PAGE_SIZE = 200;

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
 * Every call of a task, through QueryRobotTaskCallList. The API documents no total count,
 * so pages are read until one comes back short.
 */
export async function* listTaskCalls(
  client: DyvmsClient,
  taskId: string,
  options: { callee?: string; pageSize?: number } = {},
): AsyncGenerator<TaskCall> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  for (let pageNo = 1; ; pageNo++) {
    const body = await client.queryRobotTaskCallList(
      new QueryRobotTaskCallListRequest({ taskId, pageNo, pageSize, called: options.callee }),
    );
    const rows = typeof body.data === 'string' ? parseLenientJson(body.data) : (body.data ?? []);
    if (!Array.isArray(rows)) {
      throw new CallDetailParseError(`QueryRobotTaskCallList page ${pageNo}: Data is not an array`);
    }
    for (const row of rows) yield toTaskCall(taskId, row as Record<string, unknown>);
    if (rows.length < pageSize) return;
  }
}
