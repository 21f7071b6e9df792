import { chinaDate } from '../../lib/call-detail/china-time';
import type { Answer, EmulatorCall } from './model';

/**
 * QueryRobotTaskCallDetail from the call table: the latest call of the callee in the task
 * on QueryDate's day, its recordFile signed afresh when it names a recording-host object.
 */
export function queryCallDetail(
  params: Record<string, string>,
  latestCall: (taskId: string, callee: string, date: string) => EmulatorCall | undefined,
  signRecording: ((name: string) => string) | undefined,
  answer: Answer,
) {
  const { TaskId: taskId, Callee: callee, QueryDate: queryDate } = params;
  if (!taskId || !/^\d+$/.test(taskId) || !callee || !queryDate || !/^\d+$/.test(queryDate)) {
    return answer(200, {
      Code: 'isv.INVALID_PARAMETERS',
      Message: 'TaskId (digits), Callee and QueryDate (epoch ms) are required.',
    });
  }
  const call = latestCall(taskId, callee, chinaDate(Number(queryDate)));
  // The live API answers OK with no Data both for an unknown call and a fresh one.
  if (!call) return answer(200, { Code: 'OK', Message: 'OK' });
  let value = call.data;
  if (call.recording && signRecording && typeof value === 'object' && value !== null) {
    value = { ...value, recordFile: signRecording(call.recording) };
  }
  const data = typeof value === 'string' ? value : JSON.stringify(value);
  return answer(200, { Code: 'OK', Message: 'OK', Data: data });
}
