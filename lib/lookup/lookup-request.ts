import { z } from 'zod';
import { chinaDate } from '../call-detail/china-time';
import { CalleeSchema, isCallDay, queryDateOf, TaskIdSchema } from '../call-detail/identity';
import { BadRequestError } from '../errors';
import { decodePathSegment } from '../http/path-segment';

/** Path and query of `GET /calls/{taskId}/{callee}?date=` (docs/design.md "HTTP contracts"). */
export const LookupRequestSchema = z.object({
  taskId: TaskIdSchema,
  callee: CalleeSchema,
  date: z
    .string()
    .optional()
    .refine(
      (value) => value === undefined || isCallDay(value) || /^\d{10,15}$/.test(value),
      'date must be YYYY-MM-DD or epoch milliseconds',
    ),
});

export interface CallQuery {
  taskId: string;
  callee: string;
  /** The day of the call in China, YYYY-MM-DD. */
  date: string;
  /** What Dyvmsapi's QueryDate wants: epoch ms of an instant on that day. */
  queryDate: number;
}

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
  if (date === undefined) {
    const today = chinaDate(nowMs);
    return { taskId, callee, date: today, queryDate: queryDateOf(today) };
  }
  if (/^\d+$/.test(date)) {
    return { taskId, callee, date: chinaDate(Number(date)), queryDate: Number(date) };
  }
  return { taskId, callee, date, queryDate: queryDateOf(date) };
}
