import type { MiddlewareObj } from '@middy/core';
import type { SQSEvent } from 'aws-lambda';

export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown })?.Records;
  return (
    Array.isArray(records) &&
    records.every((r) => (r as { eventSource?: string })?.eventSource === 'aws:sqs')
  );
}

/**
 * Applies a middleware to SQS batches only. The archive function also takes plain async
 * payloads, where @middy/sqs-partial-batch-failure's onError would turn a thrown error
 * into a normal return, and Lambda would then never retry the job.
 */
// biome-ignore lint/suspicious/noExplicitAny: middy's own middlewares are typed with any
export function sqsOnly(middleware: MiddlewareObj<any, any>): MiddlewareObj {
  const pass = (step: MiddlewareObj['after']) =>
    step === undefined
      ? undefined
      : async (request: Parameters<NonNullable<MiddlewareObj['after']>>[0]) => {
          if (isSqsEvent(request.event)) await step(request);
        };
  return { after: pass(middleware.after), onError: pass(middleware.onError) };
}
