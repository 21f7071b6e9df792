import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { forEachLimited } from '../common/for-each-limited';
import { reasonOf } from '../errors';
import { DispatchError, type Dispatcher } from '../model/dispatcher';

const PARALLEL_INVOKES = 10;

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
          throw new DispatchError(`cannot invoke ${functionName}: ${reasonOf(error)}`, error);
        }
      });
    },
  };
}
