import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';

const sqsEventSchema = z.object({
  Records: z.array(z.looseObject({ eventSource: z.literal('aws:sqs') })),
});

/** Whether an event is an SQS batch; the archive function also takes a job as is. */
export function isSqsEvent(event: unknown): event is SQSEvent {
  return sqsEventSchema.safeParse(event).success;
}

/** Which delivery of its message a record is: its ApproximateReceiveCount (1 when SQS does not say). */
export const receiveCount = (record: SQSRecord): number =>
  Math.max(Math.trunc(Number(record.attributes.ApproximateReceiveCount)) || 1, 1);

/**
 * Runs `handleRecord` on every record of the batch at once and reports the records whose
 * promise rejected in `batchItemFailures`, so SQS redelivers only those. A batch whose every
 * record failed is reported the same way instead of thrown: SQS redelivers them all either
 * way, and the answer keeps one shape.
 *
 * @example
 * await processSqsBatch(event, context, (record) => archiveMessageOrPark(record.body, deps));
 * // → { batchItemFailures: [{ itemIdentifier: '<messageId of the one that threw>' }] }
 */
export function processSqsBatch(
  event: SQSEvent,
  context: Context,
  handleRecord: (record: SQSRecord) => Promise<unknown>,
): Promise<SQSBatchResponse> {
  // A processor per batch: it holds the batch's records and results, and the sandbox can
  // run two batches in one process at once.
  return processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
    context,
    throwOnFullBatchFailure: false,
  });
}
