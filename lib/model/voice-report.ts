import { CALLEE, canonicalTaskId, isCallDay, TASK_ID } from '../call-detail/identity';
import type { CallEndedJob } from './call-ended-job';

/**
 * One record of the Voice Service's HTTP batch push (VoiceReport): `call_id`, `callee`,
 * `caller`, `start_time`, `end_time` (`YYYY-MM-DD HH:mm:ss`, Asia/Shanghai), `duration`,
 * `status_code`, `out_id`, … The task id comes from `task_id`/`taskId`, else from
 * `out_id` as a bare number or `ALICOM_SMART_SAAS^<taskId>^…`.
 */
export type VoiceReportRecord = Record<string, unknown>;

export type RecordVerdict = { job: CallEndedJob } | { reason: string };

const scalar = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value.trim()
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : undefined;

function taskIdOf(record: VoiceReportRecord): string | undefined {
  const raw = rawTaskIdOf(record);
  return raw === undefined ? undefined : canonicalTaskId(raw);
}

function rawTaskIdOf(record: VoiceReportRecord): string | undefined {
  const direct = scalar(record.task_id) ?? scalar(record.taskId);
  if (direct !== undefined && TASK_ID.test(direct)) return direct;
  const outId = scalar(record.out_id);
  if (outId === undefined) return undefined;
  if (TASK_ID.test(outId)) return outId;
  return /^ALICOM_SMART_SAAS\^(\d{1,20})\^/.exec(outId)?.[1];
}

/** The record's call day (`start_time`, else `end_time`), when either is a real time. */
export function dateOf(record: VoiceReportRecord): string | undefined {
  for (const field of ['start_time', 'end_time']) {
    const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(
      scalar(record[field]) ?? '',
    );
    const [day, hour, minute, second = '0'] = m?.slice(1) ?? [];
    const clock = Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60;
    if (day !== undefined && clock && isCallDay(day)) return day;
  }
  return undefined;
}

/** A CallEnded job, or the reason the record cannot become one. */
export function toCallEndedJob(record: VoiceReportRecord): RecordVerdict {
  const callee = scalar(record.callee);
  if (callee === undefined || !CALLEE.test(callee)) {
    return { reason: 'callee: missing, or not at most 32 digits, + or -' };
  }
  const date = dateOf(record);
  if (date === undefined)
    return { reason: 'start_time/end_time: neither is a time like 2019-06-14 15:22:23' };
  const taskId = taskIdOf(record);
  if (taskId === undefined) {
    return {
      reason:
        'task id: no task_id/taskId, and out_id is neither a number nor ALICOM_SMART_SAAS^<taskId>^…',
    };
  }
  const callId = scalar(record.call_id);
  return {
    job: { taskId, callee, date, ...(callId && callId.length <= 128 ? { callId } : {}) },
  };
}
