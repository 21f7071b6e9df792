import { reasonOf } from '../../errors';
import { type CheckResult, fail, ok } from './check-result';

/** DISPATCH's target: what it is, and a look at it that sends nothing. */
export interface DispatchTarget {
  describe: string;
  probe(): Promise<string>;
}

/** DISPATCH's target exists and may be sent to (nothing is sent). */
export async function checkDispatch(dispatch: DispatchTarget): Promise<CheckResult> {
  const check = 'dispatch';
  try {
    return ok(check, await dispatch.probe());
  } catch (error: unknown) {
    const name = error instanceof Error ? error.name : '';
    return fail(
      check,
      `${dispatch.describe}: ${reasonOf(error)}`,
      dispatchFix(dispatch.describe, name, reasonOf(error)),
    );
  }
}

function dispatchFix(describe: string, name: string, message: string): string {
  const kind = describe.split(':')[0];
  if (/QueueDoesNotExist|NonExistentQueue/.test(name))
    return `no such queue: set DISPATCH to sqs: and the jobs queue's URL (the stack's JobsQueue; aws sqs get-queue-url --queue-name …)`;
  if (name === 'ResourceNotFoundException' || /FunctionNotFound|ServiceNotFound/.test(name))
    return 'no such function: set DISPATCH to the deployed archive function (lambda:<name>, fc:<name>)';
  if (
    /AccessDenied|Forbidden|NoPermission|NotAuthorized|InvalidClientTokenId|SignatureDoesNotMatch/.test(
      name,
    )
  )
    return kind === 'fc'
      ? 'the key may not reach the function: grant fc:InvokeFunction and fc:GetFunction on it (ram/reports.json)'
      : `these AWS credentials may not use it: grant ${kind === 'sqs' ? 'sqs:GetQueueAttributes and sqs:SendMessage on the queue' : 'lambda:InvokeFunction on the function'}`;
  if (name === 'ConfigError') return 'set the variables the error names';
  if (/Region/.test(message)) return 'set AWS_REGION to the region of the stack';
  return `check DISPATCH (${describe}) and that the platform's endpoint answers from here`;
}
