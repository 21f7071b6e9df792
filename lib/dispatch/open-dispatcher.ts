import type { DispatchTarget, StaticCredentials } from '../config';
import { ConfigError } from '../errors';
import type { Dispatcher } from '../model/dispatcher';
import { LocalDispatcher, type LocalDispatcherOptions } from './local-dispatcher';

const notInThisBundle = (kind: string) =>
  new ConfigError(
    `Invalid configuration: DISPATCH=${kind}… is for the other platform; this bundle was built for ${String(__VMS_PLATFORM__)}`,
  );

/** What `DISPATCH=local` runs in this process: the archive itself, with park and journal. */
export type LocalRunner = Omit<LocalDispatcherOptions, 'concurrency' | 'sleep'>;

function localDispatcher(localRunner: (() => LocalRunner) | undefined): Dispatcher {
  if (!localRunner) {
    throw new ConfigError(
      'Invalid configuration: DISPATCH=local archives in the process that takes the push, which only the sandbox does (a deployed function is frozen once it answers); set DISPATCH to sqs:<queue-url>, lambda:<function>, fc:<function> or fc:<service>/<function>',
    );
  }
  return new LocalDispatcher({ ...localRunner(), concurrency: 4 });
}

/** The account, region and keys an FC target is invoked with; each is required. */
function fcAccountOf(
  target: Extract<DispatchTarget, { kind: 'fc' }>,
  credentials: StaticCredentials | undefined,
): { accountId: string; region: string; credentials: StaticCredentials } {
  if (!target.accountId || !target.region || !credentials) {
    throw new ConfigError(
      'Invalid configuration: DISPATCH=fc:… needs FC_ACCOUNT_ID, FC_REGION and ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET',
    );
  }
  return { accountId: target.accountId, region: target.region, credentials };
}

/**
 * The dispatcher DISPATCH names. `local` needs the in-process runner (only the sandbox's
 * push receiver has one); `fc:` signs with the Alibaba Cloud credentials.
 */
export function openDispatcher(
  target: DispatchTarget,
  options: { localRunner?: () => LocalRunner; alibabaCredentials?: StaticCredentials } = {},
): Dispatcher {
  switch (target.kind) {
    case 'local':
      return localDispatcher(options.localRunner);
    // Each SDK loads only when its DISPATCH kind is configured, and only in the bundles of
    // its platform (lib/platform/build-target.d.ts).
    case 'lambda':
      if (typeof __VMS_PLATFORM__ === 'undefined' || __VMS_PLATFORM__ === 'aws') {
        const lambda = require('./lambda-dispatcher') as typeof import('./lambda-dispatcher');
        return lambda.lambdaDispatcher(target.functionName);
      }
      throw notInThisBundle('lambda:');
    case 'sqs':
      if (typeof __VMS_PLATFORM__ === 'undefined' || __VMS_PLATFORM__ === 'aws') {
        const sqs = require('./sqs-dispatcher') as typeof import('./sqs-dispatcher');
        return sqs.sqsDispatcher(target.queueUrl);
      }
      throw notInThisBundle('sqs:');
    case 'fc':
      if (typeof __VMS_PLATFORM__ === 'undefined' || __VMS_PLATFORM__ === 'fc') {
        const where = fcAccountOf(target, options.alibabaCredentials);
        if (target.service === undefined) {
          const fc3 = require('./fc3-dispatcher') as typeof import('./fc3-dispatcher');
          return fc3.fc3Dispatcher({
            ...where,
            functionName: target.functionName,
            endpoint: target.endpoint,
          });
        }
        const fc2 = require('./fc-dispatcher') as typeof import('./fc-dispatcher');
        return fc2.fcDispatcher({ ...target, ...where, service: target.service });
      }
      throw notInThisBundle('fc:');
  }
}
