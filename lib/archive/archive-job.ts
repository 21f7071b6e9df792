import { reasonOf, VmsArchiveError } from '../errors';
import { supersededId } from '../layout/parked';
import { errorFields, log, withLogKeys } from '../log';
import { recordMetric } from '../metrics';
import { type CallEndedJob, InvalidJobError, parseCallEndedJob } from '../model/call-ended-job';
import { clearAttemptNote, noteFailedAttempt } from '../parking/attempts';
import { park } from '../parking/park';
import { type ArchiveDeps, type ArchiveOutcome, archiveCall } from './archive-call';
import { SupersededCallError } from './errors';

/**
 * The archive's own duplicate check, for backfill (which asks before it dispatches or counts
 * a dry run): exported by the archive's entry, so no use case reaches into its modules.
 */
export { isArchived } from './archived-detail';

export type JobOutcome =
  | ArchiveOutcome
  /** `reasonCode`: the error's name (`SupersededCallError`: a later call took its place). */
  | { status: 'parked'; key: string; reason: string; reasonCode: string };

/** An SQS body or an async payload as a job; unreadable JSON is an InvalidJobError. */
export function readJobPayload(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidJobError('invalid CallEnded job: the message body is not JSON');
  }
}

/**
 * One SQS message: its body read and archived, or parked when it is not even JSON, so a
 * poisoned message is kept for `replay` and never fails its batch-mates.
 */
export async function archiveMessageOrPark(body: string, deps: ArchiveDeps): Promise<JobOutcome> {
  let payload: unknown;
  try {
    payload = readJobPayload(body);
  } catch (error: unknown) {
    return parkJob(body, error, deps);
  }
  return archiveJobOrPark(payload, deps);
}

/**
 * One message of the jobs queue, on its `delivery`-th receive (SQS's
 * ApproximateReceiveCount): archived or parked as archiveMessageOrPark does. A failure is
 * noted under `_attempts/` before it is thrown (SQS redelivers it, then its redrive moves it
 * to the dead-letter queue without the error, and the park function reads the note into
 * the parked item's reason); once it is archived or parked, a note of an earlier delivery
 * goes.
 */
export async function archiveQueuedMessage(
  body: string,
  delivery: number,
  deps: ArchiveDeps,
): Promise<JobOutcome> {
  let outcome: JobOutcome;
  try {
    outcome = await archiveMessageOrPark(body, deps);
  } catch (error: unknown) {
    await noteFailedAttempt(deps.store, body, error, delivery);
    throw error;
  }
  // Only a redelivery can find a note: an earlier delivery of this message failed.
  if (delivery > 1) await clearAttemptNote(deps.store, body);
  return outcome;
}

async function parkJob(payload: unknown, error: unknown, deps: ArchiveDeps): Promise<JobOutcome> {
  const reason = reasonOf(error);
  // A superseded call is parked under its own name, which reconcile looks for.
  const job = error instanceof SupersededCallError ? parseCallEndedJob(payload) : undefined;
  const reasonCode = error instanceof Error ? error.name : 'Error';
  const key = job?.callId
    ? await park(deps.store, 'job', payload, reason, undefined, {
        id: supersededId(job.taskId, job.date, job.callId),
        reasonCode,
      })
    : await park(deps.store, 'job', payload, reason, undefined, { reasonCode });
  log('warn', 'job parked', { event: 'job-parked', key, reason });
  return { status: 'parked', key, reason, reasonCode };
}

/**
 * Archives one job, its log records carrying its task and day. A failure that no retry can
 * mend (an invalid job, a refused recording host) is parked in `_rejected/` at once; a
 * retryable one is thrown so the platform retries it and, when its retries run out,
 * dead-letters it.
 */
export async function archiveJobOrPark(payload: unknown, deps: ArchiveDeps): Promise<JobOutcome> {
  let job: CallEndedJob;
  try {
    job = parseCallEndedJob(payload);
  } catch (error: unknown) {
    return failed(payload, error, deps);
  }
  return withLogKeys({ taskId: job.taskId, day: job.date }, async () => {
    try {
      return await archiveCall(job, deps);
    } catch (error: unknown) {
      return failed(payload, error, deps);
    }
  });
}

async function failed(payload: unknown, error: unknown, deps: ArchiveDeps): Promise<JobOutcome> {
  if (error instanceof VmsArchiveError && !error.retryable) return parkJob(payload, error, deps);
  log('error', 'archive attempt failed', errorFields(error));
  recordMetric('ArchiveErrors', 1);
  throw error;
}
