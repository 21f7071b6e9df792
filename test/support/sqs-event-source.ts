import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext } from '../events';

type SqsHandler = (event: SQSEvent, context: Context, callback: () => void) => unknown;

/**
 * What Lambda's SQS event source mapping does, once: receive a batch, hand it to the
 * function as an SQS event, delete the records the function did not report failed (all of
 * them when it throws none). A failed record stays, to be received again after its
 * visibility time-out (0 here, so at once): the redrive policy counts those receives.
 */
export async function pollOnce(
  sqs: SQSClient,
  queue: { url: string; arn: string },
  handler: SqsHandler,
  functionName: string,
): Promise<number> {
  const { Messages: messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  if (messages.length === 0) return 0;
  const event: SQSEvent = {
    Records: messages.map((m) => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
    })),
  };
  let failed = new Set<string>();
  try {
    const result = (await handler(event, lambdaContext(functionName), () => undefined)) as
      | SQSBatchResponse
      | undefined;
    failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  } catch {
    failed = new Set(event.Records.map((r) => r.messageId));
  }
  for (const record of event.Records)
    if (!failed.has(record.messageId))
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: record.receiptHandle }),
      );
  return messages.length;
}
