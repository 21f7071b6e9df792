// The client itself: the package's index picks it, or a second (ES5) copy for runtimes without
// async functions, which a bundler would carry as well.
import FCClient from '@alicloud/fc2/lib/client';
import { forEachLimited } from '../common/for-each-limited';
import type { StaticCredentials } from '../config';
import { reasonOf } from '../errors';
import { DispatchError, type Dispatcher } from '../model/dispatcher';

const PARALLEL_INVOKES = 10;

export interface FcTarget {
  service: string;
  functionName: string;
  accountId: string;
  region: string;
  endpoint?: string;
  credentials: StaticCredentials;
}

/**
 * `fc:<service>/<function>`: Function Compute asynchronous invocation
 * (`x-fc-invocation-type: Async`); FC's async retries and on-failure destination then
 * play the part of Lambda's.
 */
export function fcDispatcher(target: FcTarget): Dispatcher {
  const client = new FCClient(target.accountId, {
    accessKeyID: target.credentials.accessKeyId,
    accessKeySecret: target.credentials.accessKeySecret,
    securityToken: target.credentials.securityToken,
    region: target.region,
    endpoint: target.endpoint,
    secure: true,
    timeout: 10_000,
  });
  return {
    describe: `fc:${target.service}/${target.functionName}`,
    async dispatch(jobs) {
      await forEachLimited(jobs, PARALLEL_INVOKES, async (job) => {
        try {
          await client.invokeFunction(target.service, target.functionName, JSON.stringify(job), {
            'x-fc-invocation-type': 'Async',
          });
        } catch (error: unknown) {
          throw new DispatchError(
            `cannot invoke ${target.service}/${target.functionName}: ${reasonOf(error)}`,
            error,
            [job.callee],
          );
        }
      });
    },
  };
}
