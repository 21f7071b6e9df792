import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse } from 'aws-lambda';
import { log, logger } from '../../lib/log';
import {
  parkDeadLetter,
  parkDeadLetterMessage,
  readDeadLetter,
} from '../../lib/parking/dead-letter';
import { alertsMiddleware } from '../../lib/platform/alerts';
import { metricsMiddleware } from '../../lib/platform/metrics';
import { isSqsEvent, processSqsBatch } from '../../lib/platform/sqs-batch';
import { type FunctionServices, functionServices, parkServices } from '../../lib/platform/wiring';
import type { ObjectStore } from '../../lib/storage/object-store';

/**
 * What the platform gave up on, moved into `_rejected/` (docs/design.md "Nothing lost"): on
 * AWS a batch of the archive's dead-letter queue (a message that cannot be parked stays in
 * the queue), on Function Compute the archive's on-failure destination record itself.
 */
export function createHandler(services: FunctionServices<{ store: ObjectStore }>) {
  return middy<unknown, string | SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .use(alertsMiddleware())
    .use(metricsMiddleware())
    .use(services.secrets)
    .handler(async (event, context) => {
      const { store } = services.for(context);
      const keys: string[] = [];
      const parked = isSqsEvent(event)
        ? await processSqsBatch(event, context, async (record) => {
            const attempts = Number(record.attributes.ApproximateReceiveCount) || undefined;
            keys.push(await parkDeadLetterMessage(store, record.body, attempts));
          })
        : await parkDeadLetter(store, readDeadLetter(event));
      if (typeof parked === 'string') keys.push(parked);
      log('warn', 'dead-lettered jobs parked in _rejected/', { keys });
      return parked;
    });
}

export const handler = createHandler(functionServices(parkServices));
