import * as z from 'zod';
import { chinaMidnight } from './china-time';

/**
 * The rules that say what names a call, written once: the task id, the callee and the day
 * of the call, as the lookup route, the CallEnded job, the push records and the archive
 * keys all take them.
 */
export const TASK_ID = /^\d{1,20}$/;
export const CALLEE = /^[0-9+-]{1,32}$/;
export const CALL_DAY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * A call id that names its own folder: the folder is the id with `^` written as `_`, so an
 * id with `_` (or anything else) would share a folder with another call (`7^8` and `7_8`).
 */
export const CALL_ID = /^[0-9A-Za-z^-]{1,128}$/;

export const TASK_ID_MESSAGE = 'taskId must be 1 to 20 digits';
export const CALLEE_MESSAGE = 'callee must be at most 32 digits, + or -';
export const callIdMessage = (callId: string): string =>
  `callId ${JSON.stringify(callId)} would alias another call's folder: only digits, letters, ^ and - name a call (^ is stored as _)`;

/**
 * The task id as the upstream knows it: TaskId is a Long, so `01045001` and `1045001` are
 * one task. Written decimal with no leading zeros wherever it names something we keep.
 */
export const canonicalTaskId = (taskId: string): string => taskId.replace(/^0+(?=\d)/, '');

export const TaskIdSchema = z
  .string({ error: 'taskId is required' })
  .regex(TASK_ID, TASK_ID_MESSAGE)
  .transform(canonicalTaskId);

export const CalleeSchema = z.string({ error: 'callee is required' }).regex(CALLEE, CALLEE_MESSAGE);

/** Calls happen between these years; anything outside is a typo or a unit mix-up. */
export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2100;

const inYears = (day: string) => {
  const year = Number(day.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
};

/** A real calendar day, YYYY-MM-DD, from 1970 to 2100 (the day of the call in China). */
export const CallDaySchema = z
  .string()
  .refine(
    (value) => CALL_DAY.test(value) && chinaMidnight(value) !== undefined && inYears(value),
    `date must be a real day, YYYY-MM-DD, from ${FIRST_YEAR} to ${LAST_YEAR}`,
  );

export const isCallDay = (value: string): boolean => CallDaySchema.safeParse(value).success;

const NOON_MS = 12 * 3600 * 1000;

/**
 * What Dyvmsapi's QueryDate wants for a day: epoch ms of an instant on it. Noon in China,
 * so no clock skew or rounding can move it to the day before or after.
 */
export function queryDateOf(day: string): number {
  const midnight = chinaMidnight(day);
  if (midnight === undefined) throw new RangeError(`not a day: ${day}`);
  return midnight + NOON_MS;
}
