import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { CallEndedJob } from '../archive/call-ended-job';
import { forEachLimited } from '../common/for-each-limited';
import { DispatchError, type Dispatcher } from './dispatcher';

const PARALLEL_INVOKES = 10;
const SQS_BATCH = 10; // SendMessageBatch takes at most 10 entries

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `lambda:<function>`: one asynchronous invocation (InvocationType Event) per job. */
export function lambdaDispatcher(functionName: string, client = new LambdaClient({})): Dispatcher {
  return {
    describe: `lambda:${functionName}`,
    async dispatch(jobs) {
      await forEachLimited(jobs, PARALLEL_INVOKES, async (job) => {
        try {
          const result = await client.send(
            new InvokeCommand({
              FunctionName: functionName,
              InvocationType: 'Event',
              Payload: Buffer.from(JSON.stringify(job)),
            }),
          );
          if (result.StatusCode !== 202) throw new Error(`Invoke answered ${result.StatusCode}`);
        } catch (error: unknown) {
          throw new DispatchError(`cannot invoke ${functionName}: ${reason(error)}`, error);
        }
      });
    },
  };
}

/** `sqs:<queue-url>`: SendMessageBatch in batches of 10; any failed entry fails the push. */
export function sqsDispatcher(queueUrl: string, client = new SQSClient({})): Dispatcher {
  return {
    describe: `sqs:${queueUrl}`,
    async dispatch(jobs) {
      const batches: CallEndedJob[][] = [];
      for (let i = 0; i < jobs.length; i += SQS_BATCH) batches.push(jobs.slice(i, i + SQS_BATCH));
      await forEachLimited(batches, PARALLEL_INVOKES, async (batch) => {
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
          throw new DispatchError(`cannot send to ${queueUrl}: ${reason(error)}`, error);
        }
        if (failed.length > 0)
          throw new DispatchError(`SQS refused ${failed.length} jobs: ${failed.join('; ')}`);
      });
    },
  };
}
