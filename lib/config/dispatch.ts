import * as z from 'zod';
import { csv, optionalMatching, optionalUrl, REGION, TIMER_MAX_MS } from './values';

/** How CallEnded jobs reach the archive function. */
export const dispatchSchema = z
  .object({
    DISPATCH: optionalMatching(
      /^(local|lambda:[A-Za-z0-9_:.-]+|sqs:https?:\/\/\S+|fc:([A-Za-z0-9_-]+\/)?[A-Za-z0-9_-]+)$/,
      'expected local, lambda:<function>, sqs:<queue-url>, fc:<function> (FC 3.0) or fc:<service>/<function> (FC 2.0)',
    ),
    LOCAL_RETRY_DELAYS_MS: z
      .string()
      .optional()
      .refine(
        (value) => value === undefined || /^\s*(\d+\s*(,\s*\d+\s*)*)?$/.test(value),
        'expected comma-separated milliseconds',
      )
      .transform((value) => csv(value ?? '1000,5000').map(Number))
      .refine(
        (delays) => delays.every((ms) => ms <= TIMER_MAX_MS),
        `each at most ${TIMER_MAX_MS} ms (what Node's timers hold)`,
      ),
    FC_ACCOUNT_ID: optionalMatching(/^\d+$/, 'expected the numeric Alibaba Cloud account id'),
    FC_REGION: optionalMatching(REGION, 'expected a region id such as cn-hangzhou'),
    FC_ENDPOINT: optionalUrl('expected a URL'),
  })
  .transform((e) => ({
    target: dispatchTarget(e.DISPATCH, {
      accountId: e.FC_ACCOUNT_ID,
      region: e.FC_REGION,
      endpoint: e.FC_ENDPOINT,
    }),
    /** The `local` dispatcher's waits between retries, like Lambda's and FC's async retries. */
    localRetryDelaysMs: e.LOCAL_RETRY_DELAYS_MS,
  }));

export type DispatchTarget =
  | { kind: 'local' }
  | { kind: 'lambda'; functionName: string }
  | { kind: 'sqs'; queueUrl: string }
  | {
      kind: 'fc';
      /** FC 2.0's service; undefined for FC 3.0, which has none. */
      service: string | undefined;
      functionName: string;
      accountId: string | undefined;
      region: string | undefined;
      endpoint: string | undefined;
    };

function dispatchTarget(
  value: string | undefined,
  fc: { accountId?: string; region?: string; endpoint?: string },
): DispatchTarget {
  if (!value || value === 'local') return { kind: 'local' };
  const [kind, ...rest] = value.split(':');
  const target = rest.join(':');
  if (kind === 'lambda') return { kind, functionName: target };
  if (kind === 'sqs') return { kind, queueUrl: target };
  const parts = target.split('/');
  return {
    kind: 'fc',
    service: parts.length === 2 ? parts[0] : undefined,
    functionName: parts.at(-1) ?? '',
    accountId: fc.accountId,
    region: fc.region,
    endpoint: fc.endpoint,
  };
}
