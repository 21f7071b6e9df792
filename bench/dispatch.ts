import { performance } from 'node:perf_hooks';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { lambdaDispatcher } from '../lib/dispatch/lambda-dispatcher';
import { sqsDispatcher } from '../lib/dispatch/sqs-dispatcher';
import { report, say } from './common';
import { fakeSqs } from './fake-endpoints';
import { summarize } from './stats';

/** Benchmark 7. dispatching a 100-record push through lambda: and sqs:. */
/**
 * The dispatch of one 100-record push, `lambda:` (one Invoke per job, 10 at a time) against
 * `sqs:` (SendMessageBatch of 10), each against a local endpoint that answers after
 * `latencyMs` (an in-region round trip), as the push's share of its 700 ms.
 */
export async function dispatchCost(latencyMs: number, reps: number): Promise<void> {
  say(`\n7. dispatching a 100-record push (local endpoints answering after ${latencyMs} ms)`);
  const local = await fakeSqs(latencyMs);
  const endpoint = local.endpoint;
  const aws = {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
  };
  const jobs = Array.from({ length: 100 }, (_, i) => ({
    taskId: '1045001',
    callee: `1300000${String(i).padStart(4, '0')}`,
    date: '2019-06-14',
    callId: `c${i}`,
  }));
  const lambda = lambdaDispatcher('archive', new LambdaClient(aws));
  const sqs = sqsDispatcher(`${endpoint}/123456789012/jobs`, new SQSClient(aws));
  const time = async (dispatch: () => Promise<void>) => {
    const samples: number[] = [];
    for (let i = 0; i < reps; i++) {
      const start = performance.now();
      await dispatch();
      samples.push(performance.now() - start);
    }
    return samples;
  };
  const viaLambda = summarize(
    '7. lambda: 100 Invokes, 10 at a time',
    'ms',
    await time(() => lambda.dispatch(jobs)),
  );
  const viaSqs = summarize(
    '7. sqs: 10 SendMessageBatch',
    'ms',
    await time(() => sqs.dispatch(jobs)),
  );
  report({ ...viaLambda, target: '< 350 ms (half the 700 ms)', met: viaLambda.median < 350 });
  report({
    ...viaSqs,
    ratio: viaSqs.median / viaLambda.median,
    baseline: 'lambda:',
    target: '< 350 ms',
    met: viaSqs.median < 350,
  });
  await local.stop();
}
