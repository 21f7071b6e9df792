import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { forEachLimited } from '../common/for-each-limited';
import { reasonOf } from '../errors';
import type { CallEndedJob } from '../model/call-ended-job';
import { DispatchError, type Dispatcher } from '../model/dispatcher';

const PARALLEL_BATCHES = 10;
const SQS_BATCH = 10; // SendMessageBatch takes at most 10 entries

/** `sqs:<queue-url>`: SendMessageBatch in batches of 10; any failed entry fails the push. */
export function sqsDispatcher(queueUrl: string, client = new SQSClient({})): Dispatcher {
  return {
    describe: `sqs:${queueUrl}`,
    async dispatch(jobs) {
      const batches: CallEndedJob[][] = [];
      for (let i = 0; i < jobs.length; i += SQS_BATCH) batches.push(jobs.slice(i, i + SQS_BATCH));
      await forEachLimited(batches, PARALLEL_BATCHES, async (batch) => {
        let failed: string[];
        try {
          const result = await client.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: batch.map((job, index) => ({
                Id: String(index),
                MessageBody: JSON.stringify(job),
              })),
            }),
          );
          failed = (result.Failed ?? []).map(
            (entry) => `${entry.Id}: ${entry.Code} ${entry.Message ?? ''}`,
          );
        } catch (error: unknown) {
          throw new DispatchError(`cannot send to ${queueUrl}: ${reasonOf(error)}`, error);
        }
        if (failed.length > 0)
          throw new DispatchError(`SQS refused ${failed.length} jobs: ${failed.join('; ')}`);
      });
    },
  };
}
