import * as z from 'zod';
import { chinaDate } from '../call-detail/china-time';
import {
  CalleeSchema,
  FIRST_YEAR,
  isCallDay,
  LAST_YEAR,
  queryDateOf,
  TaskIdSchema,
} from '../call-detail/identity';
import { decodePathSegment } from '../common/path-segment';
import { BadRequestError, CallNotFoundError } from '../errors';
import type { CallQuery } from '../model/call-query';

/** Path and query of `GET /calls/{taskId}/{callee}?date=` (docs/design.md "HTTP contracts"). */
export const LookupRequestSchema = z.object({
  taskId: TaskIdSchema,
  callee: CalleeSchema,
  date: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined || isCallDay(value)) return;
      if (/^\d{9,10}$/.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message: `${value} looks like epoch seconds; give epoch milliseconds (${value}000) or YYYY-MM-DD`,
        });
      } else if (!/^\d{11,15}$/.test(value) || !isCallDay(chinaDate(Number(value)))) {
        ctx.addIssue({
          code: 'custom',
          message: `date must be YYYY-MM-DD or epoch milliseconds, a day from ${FIRST_YEAR} to ${LAST_YEAR}`,
        });
      }
    }),
});

export type { CallQuery } from '../model/call-query';

/**
 * Validates the lookup's parameters; a bad one gives a 400 that names it. `date` is the day
 * of the call in Asia/Shanghai and defaults to today there.
 */
export function parseLookupRequest(
  path: Record<string, string | undefined> | undefined,
  query: Record<string, string | undefined> | undefined,
  nowMs: number,
): CallQuery {
  const parsed = LookupRequestSchema.safeParse({
    taskId: path?.taskId,
    callee: path?.callee === undefined ? undefined : decodePathSegment(path.callee),
    date: query?.date,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad request');
  }
  const { taskId, callee, date } = parsed.data;
  const day = date === undefined || !/^\d+$/.test(date) ? date : chinaDate(Number(date));
  if (day !== undefined && day > chinaDate(nowMs)) {
    throw new CallNotFoundError(`No call on ${day}: that day (China time) has not come yet`);
  }
  if (date === undefined) {
    const today = chinaDate(nowMs);
    return { taskId, callee, date: today, queryDate: queryDateOf(today) };
  }
  if (/^\d+$/.test(date)) {
    return { taskId, callee, date: chinaDate(Number(date)), queryDate: Number(date) };
  }
  return { taskId, callee, date, queryDate: queryDateOf(date) };
}
