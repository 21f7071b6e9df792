import { parseLenientJson } from '../../lib/common/lenient-json';
import type { Answer, EmulatorCall, EmulatorTask } from './model';

/** How the list actions page (the emulator's `paging` option). */
export interface Paging {
  serveAtMost?: number;
  refuseOver?: number;
}

/** One page of `rows` as the list actions answer it, within the paging the test asked for. */
function page(
  rows: unknown[],
  { pageNo, pageSize, paging }: { pageNo: string; pageSize: string; paging: Paging },
  answer: Answer,
): void {
  const asked = Number(pageSize);
  if (paging.refuseOver !== undefined && asked > paging.refuseOver) {
    answer(200, {
      Code: 'isv.INVALID_PARAMETERS',
      Message: `PageSize must be at most ${paging.refuseOver}`,
    });
    return;
  }
  // A server with a smaller page than asked pages by its own size.
  const size = Math.min(asked, paging.serveAtMost ?? asked);
  const start = (Number(pageNo) - 1) * size;
  answer(200, { Code: 'OK', Message: 'OK', Data: JSON.stringify(rows.slice(start, start + size)) });
}

/** QueryRobotTaskList: the account's tasks, filtered by TaskName, Status and Time (creation day). */
export function listTasks(
  tasks: readonly EmulatorTask[],
  params: Record<string, string>,
  paging: Paging,
  answer: Answer,
): void {
  const {
    TaskName: name,
    Status: status,
    Time: time,
    PageNo: pageNo = '1',
    PageSize: pageSize = '20',
  } = params;
  if (!/^\d+$/.test(pageNo) || !/^\d+$/.test(pageSize) || Number(pageSize) < 1) {
    answer(200, { Code: 'isv.INVALID_PARAMETERS', Message: 'PageNo and PageSize are numbers.' });
    return;
  }
  const rows = tasks
    .filter(
      (task) =>
        (!name || task.taskName?.includes(name)) &&
        (!status || task.status === status) &&
        (!time || task.createTime.startsWith(time.replaceAll('-', '.'))),
    )
    // The id is a Long: written as a bare number, digit for digit.
    .map((task) => ({ ...task, id: `@@${task.id}@@` }));
  page(rows, { pageNo, pageSize, paging }, (code, payload) =>
    answer(code, {
      ...payload,
      ...(typeof payload.Data === 'string'
        ? { Data: payload.Data.replace(/"@@(\d+)@@"/g, '$1') }
        : {}),
    }),
  );
}

/** QueryRobotTaskCallList: the task's calls as list rows (no recordFile), a page at a time. */
export function listCalls(
  calls: Iterable<EmulatorCall>,
  params: Record<string, string>,
  paging: Paging,
  answer: Answer,
): void {
  const {
    TaskId: taskId,
    PageNo: pageNo = '1',
    PageSize: pageSize = '20',
    Called: called,
  } = params;
  if (!taskId || !/^\d+$/.test(taskId) || !/^\d+$/.test(pageNo) || !/^\d+$/.test(pageSize)) {
    answer(200, {
      Code: 'isv.INVALID_PARAMETERS',
      Message: 'TaskId is required; PageNo and PageSize are numbers.',
    });
    return;
  }
  const rows = [...calls]
    .filter((call) => call.taskId === taskId && (!called || call.callee === called))
    .map((call) => {
      const data = (
        typeof call.data === 'string' ? parseLenientJson(call.data) : call.data
      ) as Record<string, unknown>;
      const { recordFile: _file, recordStatus: _status, dialogDetail: _dialog, ...row } = data;
      return row;
    });
  page(rows, { pageNo, pageSize, paging }, answer);
}
