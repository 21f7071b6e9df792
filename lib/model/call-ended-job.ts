import * as z from 'zod';
import { CallDaySchema, CalleeSchema, TaskIdSchema } from '../call-detail/identity';
import { VmsArchiveError } from '../errors';

/** docs/design.md "The CallEnded job": ids as strings. */
export const CallEndedJobSchema = z.object({
  taskId: TaskIdSchema,
  callee: CalleeSchema,
  date: CallDaySchema,
  callId: z.string().min(1).max(128).optional(),
});

export type CallEndedJob = z.infer<typeof CallEndedJobSchema>;

/** A job that can never succeed: parked, never retried. */
export class InvalidJobError extends VmsArchiveError {
  override name = 'InvalidJobError';
  constructor(message: string) {
    super(message, { code: 'InvalidJob' });
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
