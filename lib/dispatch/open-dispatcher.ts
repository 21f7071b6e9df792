import type { DispatchTarget, StaticCredentials } from '../config';
import { ConfigError } from '../errors';
import { fcDispatcher, lambdaDispatcher, sqsDispatcher } from './cloud-dispatchers';
import type { Dispatcher } from './dispatcher';
import { LocalDispatcher, type LocalDispatcherOptions } from './local-dispatcher';

/** What `DISPATCH=local` runs in this process: the archive itself, with park and journal. */
export type LocalRunner = Omit<LocalDispatcherOptions, 'concurrency' | 'sleep'>;

/**
 * The dispatcher DISPATCH names. `local` needs the in-process runner (only the sandbox's
 * push receiver has one); `fc:` signs with the Alibaba Cloud credentials.
 */
export function openDispatcher(
  target: DispatchTarget,
  options: { localRunner?: () => LocalRunner; alibabaCredentials?: StaticCredentials } = {},
): Dispatcher {
  switch (target.kind) {
    case 'local': {
      if (!options.localRunner) {
        throw new ConfigError(
          'Invalid configuration: DISPATCH is local here; set it to lambda:<function>, sqs:<queue-url> or fc:<service>/<function>',
        );
      }
      return new LocalDispatcher({ ...options.localRunner(), concurrency: 4 });
    }
    case 'lambda':
      return lambdaDispatcher(target.functionName);
    case 'sqs':
      return sqsDispatcher(target.queueUrl);
    case 'fc': {
      const credentials = options.alibabaCredentials;
      if (!target.accountId || !target.region || !credentials) {
        throw new ConfigError(
          'Invalid configuration: DISPATCH=fc:… needs FC_ACCOUNT_ID, FC_REGION and ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET',
        );
      }
      return fcDispatcher({
        ...target,
        accountId: target.accountId,
        region: target.region,
        credentials,
      });
    }
  }
}
