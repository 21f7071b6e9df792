// First: zod reads this flag as each schema below is built.
import '../../lib/platform/zod-interpreted';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse } from 'aws-lambda';
import type { ArchiveDeps } from '../../lib/archive/archive-call';
import {
  archiveJobOrPark,
  archiveQueuedMessage,
  type JobOutcome,
} from '../../lib/archive/archive-job';
import { logger } from '../../lib/log';
import { alertsMiddleware } from '../../lib/platform/alerts';
import { metricsMiddleware } from '../../lib/platform/metrics';
import { isSqsEvent, processSqsBatch, receiveCount } from '../../lib/platform/sqs-batch';
import {
  archiveServices,
  type FunctionServices,
  functionServices,
} from '../../lib/platform/wiring';

/**
 * A CallEnded job as an async-invocation payload (a failure throws, so Lambda or FC retries
 * and then dead-letters it), or an SQS batch (failed records reported in batchItemFailures,
 * each failure noted for the park function).
 */
export function createHandler(services: FunctionServices<ArchiveDeps>) {
  return middy<unknown, JobOutcome | SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .use(alertsMiddleware())
    .use(metricsMiddleware())
    .use(services.secrets)
    .handler(async (event, context) => {
      const deps = services.for(context);
      if (!isSqsEvent(event)) return archiveJobOrPark(event, deps);
      // archiveJobOrPark logs each failure (without the record, which holds a phone number).
      return processSqsBatch(event, context, (record) =>
        archiveQueuedMessage(record.body, receiveCount(record), deps),
      );
    });
}

export const handler = createHandler(functionServices(archiveServices));
