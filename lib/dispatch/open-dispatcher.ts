import type { Config } from '../config';
import { ConfigError } from '../errors';
import { fcDispatcher, lambdaDispatcher, sqsDispatcher } from './cloud-dispatchers';
import type { Dispatcher } from './dispatcher';
import { LocalDispatcher, type LocalDispatcherOptions } from './local-dispatcher';

/** The dispatcher DISPATCH names; `local` needs the in-process runner, park and journal. */
export function openDispatcher(
  config: Readonly<Config>,
  local: () => Pick<LocalDispatcherOptions, 'run' | 'park' | 'journal'>,
): Dispatcher {
  const target = config.dispatch;
  switch (target.kind) {
    case 'local':
      return new LocalDispatcher({
        ...local(),
        retryDelaysMs: config.localRetryDelaysMs,
        concurrency: 4,
      });
    case 'lambda':
      return lambdaDispatcher(target.functionName);
    case 'sqs':
      return sqsDispatcher(target.queueUrl);
    case 'fc': {
      const credentials = config.dyvms.credentials;
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
