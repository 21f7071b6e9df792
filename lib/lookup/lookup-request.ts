import { z } from 'zod';
import { chinaDate, chinaMidnight } from '../call-detail/china-time';
import { BadRequestError } from '../errors';
import { decodePathSegment } from '../http/path-segment';

const NOON_MS = 12 * 3600 * 1000;

/** Path and query of `GET /calls/{taskId}/{callee}?date=` (DESIGN.md "HTTP contracts"). */
export const LookupRequestSchema = z.object({
  taskId: z
    .string({ error: 'taskId is required' })
    .regex(/^\d{1,20}$/, 'taskId must be 1 to 20 digits'),
  callee: z
    .string({ error: 'callee is required' })
    .regex(/^[0-9+-]{1,32}$/, 'callee must be at most 32 digits, + or -'),
  date: z
    .string()
    .optional()
    .refine(
      (value) =>
        value === undefined ||
        (/^\d{4}-\d{2}-\d{2}$/.test(value) && chinaMidnight(value) !== undefined) ||
        /^\d{10,15}$/.test(value),
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
    return { taskId, callee, date: today, queryDate: (chinaMidnight(today) as number) + NOON_MS };
  }
  if (/^\d+$/.test(date)) {
    return { taskId, callee, date: chinaDate(Number(date)), queryDate: Number(date) };
  }
  return { taskId, callee, date, queryDate: (chinaMidnight(date) as number) + NOON_MS };
}
