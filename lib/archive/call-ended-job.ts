import { z } from 'zod';
import { chinaMidnight } from '../call-detail/china-time';
import { VmsArchiveError } from '../errors';

/** DESIGN.md "The CallEnded job": ids as strings. */
export const CallEndedJobSchema = z.object({
  taskId: z.string().regex(/^\d{1,20}$/, 'taskId must be 1 to 20 digits'),
  callee: z.string().regex(/^[0-9+-]{1,32}$/, 'callee must be at most 32 digits, + or -'),
  date: z
    .string()
    .refine((value) => chinaMidnight(value) !== undefined, 'date must be a real day, YYYY-MM-DD'),
  callId: z.string().min(1).max(128).optional(),
});

export type CallEndedJob = z.infer<typeof CallEndedJobSchema>;

/** A job that can never succeed: parked, never retried. */
export class InvalidJobError extends VmsArchiveError {
  override name = 'InvalidJobError';
  constructor(message: string) {
    super(message, { code: 'InvalidJob', statusCode: 400 });
  }
}

export function parseCallEndedJob(value: unknown): CallEndedJob {
  const parsed = CallEndedJobSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidJobError(
      `invalid CallEnded job: ${issue?.path.join('.') || '(job)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
