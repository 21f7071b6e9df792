import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSBatchResponse } from 'aws-lambda';
import { log } from '../../lib/log';
import {
  parkDeadLetter,
  parkDeadLetterMessage,
  readDeadLetter,
} from '../../lib/parking/dead-letter';
import { isSqsEvent, sqsOnly } from '../../lib/platform/sqs-only';
import { type FunctionServices, functionServices, parkServices } from '../../lib/platform/wiring';
import type { ObjectStore } from '../../lib/storage/object-store';

type Result = string | SQSBatchResponse | PromiseSettledResult<string>[];

/**
 * What the platform gave up on, moved into `_rejected/` (docs/design.md "Nothing lost"): on
 * AWS a batch of the archive's dead-letter queue (a message that cannot be parked stays in
 * the queue), on Function Compute the archive's on-failure destination record itself.
 */
export function createHandler(services: FunctionServices<{ store: ObjectStore }>) {
  return middy<unknown, Result>()
    .use(sqsOnly(sqsPartialBatchFailure({ logger: () => undefined })))
    .use(services.secrets)
    .handler(async (event, context) => {
      const { store } = services.for(context);
      const parked = isSqsEvent(event)
        ? Promise.allSettled(
            event.Records.map((record) =>
              parkDeadLetterMessage(
                store,
                record.body,
                Number(record.attributes.ApproximateReceiveCount) || undefined,
              ),
            ),
          )
        : parkDeadLetter(store, readDeadLetter(event));
      const results = await parked;
      const keys = Array.isArray(results)
        ? results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
        : [results];
      log('warn', 'dead-lettered jobs parked in _rejected/', { keys });
      return results;
    });
}

export const services = functionServices(parkServices);
export const handler = createHandler(services);
