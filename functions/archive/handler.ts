import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSBatchResponse } from 'aws-lambda';
import {
  archiveJobOrPark,
  archiveMessageOrPark,
  type JobOutcome,
} from '../../lib/archive/archive-job';
import { isSqsEvent, sqsOnly } from '../../lib/platform/sqs-only';
import { archiveServices, functionServices } from '../../lib/platform/wiring';

export const services = functionServices(archiveServices);

/**
 * A CallEnded job as an async-invocation payload (a failure throws, so Lambda or FC retries
 * and then dead-letters it), or an SQS batch (failed records reported in batchItemFailures).
 */
export const handler = middy<
  unknown,
  JobOutcome | SQSBatchResponse | PromiseSettledResult<JobOutcome>[]
>()
  // archiveJobOrPark logs each failure already (without the record, which holds a phone number).
  .use(sqsOnly(sqsPartialBatchFailure({ logger: () => undefined })))
  .use(services.secrets)
  .handler(async (event, context) => {
    const deps = services.for(context);
    return isSqsEvent(event)
      ? Promise.allSettled(event.Records.map((record) => archiveMessageOrPark(record.body, deps)))
      : archiveJobOrPark(event, deps);
  });
