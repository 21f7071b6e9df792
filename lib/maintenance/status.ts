import type { DyvmsClient } from '../dyvms/client';
import { callsOfTask, type DateRange } from '../dyvms/task-calls';
import { listedCallOf, listedCalls } from '../layout/call-folder';
import { maskPhone } from '../log';
import type { ObjectStore } from '../storage/object-store';

export interface TaskStatus {
  listed: number;
  archived: number;
  missing: { callId: string; callee: string; date: string | undefined }[];
}

/** Calls listed upstream against calls archived; the missing ones by name. */
export async function taskStatus(
  options: { taskId: string; range: DateRange; callees: readonly string[] },
  deps: { archive: { dyvms: DyvmsClient; store: ObjectStore }; pageSize: number },
): Promise<TaskStatus> {
  const listed = await callsOfTask(deps.archive.dyvms, options, deps.pageSize);
  const status: TaskStatus = { listed: listed.length, archived: 0, missing: [] };
  // One listing of the task's archive: no detail.json, no recording is read.
  const archived = await listedCalls(deps.archive.store, options.taskId);
  for (const call of listed) {
    if (call.date !== undefined && archived.has(listedCallOf(call.date, call.callId)))
      status.archived++;
    else
      status.missing.push({ callId: call.callId, callee: maskPhone(call.callee), date: call.date });
  }
  status.missing.sort((a, b) => a.callId.localeCompare(b.callId));
  return status;
}
