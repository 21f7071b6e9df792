import { z } from 'zod';
import { maskText } from '../log-masking';
import type { ObjectStore } from '../storage/object-store';
import { type AttemptNote, clearAttemptNote, readAttemptNote } from './attempts';
import { park } from './park';

/**
 * What a platform gave up on, as one parked job: the job itself, why, and how many times it
 * ran. Three shapes reach the park function (docs/design.md "Nothing lost"):
 * - Lambda's on-failure destination (async invocation, `DISPATCH=lambda:`) sends
 *   `{requestContext: {condition, approximateInvokeCount}, requestPayload, responsePayload:
 *   {errorType, errorMessage}}` to the dead-letter queue;
 * - Function Compute's on-failure destination sends the same fields to a function, with
 *   `requestPayload` and `responsePayload` as JSON strings;
 * - the jobs queue's redrive moves the job itself, as sent, with its receive count and no
 *   error: the archive's note of its last failed delivery (lib/parking/attempts.ts) says it.
 */
export interface DeadLetter {
  job: unknown;
  reason: string;
  attempts: number;
  /** The `Reason` dimension of its Parked metric: the platform's condition, or `DeadLettered`. */
  reasonCode: string;
}

const destinationRecord = z.object({
  requestContext: z.object({
    condition: z.string().optional(),
    approximateInvokeCount: z.coerce.number().int().optional(),
  }),
  requestPayload: z.unknown(),
  responseContext: z.object({ functionError: z.string().optional() }).optional(),
  responsePayload: z.unknown().optional(),
});

const errorPayload = z.object({
  errorType: z.string().optional(),
  errorMessage: z.string().optional(),
});

/** A JSON string as its value; anything else (or a string that is not JSON) as it is. */
function unwrapJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function errorOf(responsePayload: unknown, fallback: string | undefined): string | undefined {
  const parsed = errorPayload.safeParse(unwrapJson(responsePayload));
  if (parsed.success && parsed.data.errorMessage)
    return parsed.data.errorType
      ? `${parsed.data.errorType}: ${parsed.data.errorMessage}`
      : parsed.data.errorMessage;
  if (typeof responsePayload === 'string' && responsePayload) return responsePayload;
  return fallback;
}

/**
 * One dead-lettered payload read: a destination record, or a bare job with `receiveCount`
 * (the dead-letter queue's ApproximateReceiveCount, which carries the jobs queue's receives
 * plus this one) and the archive's `note` of its last failed delivery, if it left one.
 */
export function readDeadLetter(
  payload: unknown,
  receiveCount?: number,
  note?: AttemptNote,
): DeadLetter {
  const destination = destinationRecord.safeParse(payload);
  if (destination.success) {
    const { requestContext, responseContext, responsePayload } = destination.data;
    const attempts = requestContext.approximateInvokeCount ?? 1;
    const why =
      errorOf(responsePayload, responseContext?.functionError) ?? 'no error message was given';
    const condition = requestContext.condition ? ` (${requestContext.condition})` : '';
    return {
      job: unwrapJson(destination.data.requestPayload),
      // The platform's copy of the error: no signed URL kept, whatever threw it.
      reason: maskText(`gave up after ${attempts} attempts${condition}: ${why}`),
      attempts,
      reasonCode: requestContext.condition ?? 'RetriesExhausted',
    };
  }
  const deliveries = Math.max((receiveCount ?? 1) - 1, 1);
  if (!note)
    return {
      job: payload,
      reason: `dead-lettered after ${deliveries} deliveries without an answer (the archive function timed out or stopped; its log has each attempt)`,
      attempts: deliveries,
      reasonCode: 'DeadLettered',
    };
  const attempts = Math.max(deliveries, note.attempt);
  const later = attempts - note.attempt;
  // Worded as the sandbox's dispatcher words a job it gives up on, so the day's overview
  // counts it under the error's code.
  const after =
    later === 0
      ? ''
      : ` (attempt ${note.attempt}; ${later === 1 ? 'the one' : `the ${later}`} after it left no answer: the archive function timed out or stopped)`;
  return {
    job: payload,
    reason: `after ${attempts} attempts: ${note.reason}${after}`,
    attempts,
    reasonCode: 'DeadLettered',
  };
}

/** Parks one dead-lettered job in `_rejected/{call's date}/`; the key it was written at. */
export async function parkDeadLetter(store: ObjectStore, letter: DeadLetter): Promise<string> {
  return park(store, 'job', letter.job, letter.reason, Date.now(), {
    attempts: letter.attempts,
    reasonCode: letter.reasonCode,
  });
}

/**
 * One message of the dead-letter queue parked: its body read (a body that is not JSON is
 * parked as it is, with that said), then parked, a redriven job with the reason the
 * archive noted, whose note then goes. A store failure throws, so the message stays in the
 * queue and is tried again.
 */
export async function parkDeadLetterMessage(
  store: ObjectStore,
  body: string,
  receiveCount: number | undefined,
): Promise<string> {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    const attempts = Math.max((receiveCount ?? 1) - 1, 1);
    return parkDeadLetter(store, {
      job: body,
      reason: `dead-lettered after ${attempts} deliveries: the message body is not JSON`,
      attempts,
      reasonCode: 'InvalidJobError',
    });
  }
  if (destinationRecord.safeParse(payload).success)
    return parkDeadLetter(store, readDeadLetter(payload, receiveCount));
  const noted = await readAttemptNote(store, body);
  const key = await parkDeadLetter(store, readDeadLetter(payload, receiveCount, noted?.note));
  if (noted) await clearAttemptNote(store, body);
  return key;
}
