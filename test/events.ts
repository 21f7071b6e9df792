import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import type { CallEndedJob } from '../lib/model/call-ended-job';

/** The sample events in events/, typed, read fresh (so cloned) on every call. */
interface SampleEvents {
  'http/lookup': APIGatewayProxyEventV2;
  'http/reports': APIGatewayProxyEventV2;
  'http/reports-body': Record<string, unknown>[];
  'archive/async': CallEndedJob;
  'archive/sqs': SQSEvent;
}

export function loadEvent<K extends keyof SampleEvents>(name: K): SampleEvents[K] {
  return JSON.parse(
    readFileSync(join(__dirname, '..', 'events', `${name}.json`), 'utf8'),
  ) as SampleEvents[K];
}

/** A Lambda context good enough for an in-process invocation. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The sample push event with another token and body (base64-encoded when asked). */
export function pushEvent(token: string, body: string, base64 = false): APIGatewayProxyEventV2 {
  const event = loadEvent('http/reports');
  event.pathParameters = { token };
  event.body = base64 ? Buffer.from(body).toString('base64') : body;
  event.isBase64Encoded = base64;
  return event;
}
