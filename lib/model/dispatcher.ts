import { VmsArchiveError } from '../errors';
import { maskNumbers } from '../log-masking';
import type { CallEndedJob } from './call-ended-job';

/** Hands CallEnded jobs to the archive function, asynchronously. */
export interface Dispatcher {
  readonly describe: string;
  /** Resolves once every job is accepted by the platform; throws DispatchError otherwise. */
  dispatch(jobs: readonly CallEndedJob[]): Promise<void>;
}

/** The platform refused or could not take the jobs: the push answers 503 so it is retried. */
export class DispatchError extends VmsArchiveError {
  override name = 'DispatchError';
  /**
   * `message` often quotes the platform's answer, which may echo the job (its callee) or a
   * signed URL: masked here, since the reason is logged, answered and parked; `callees`, the
   * jobs' own numbers, are masked whatever their form.
   */
  constructor(message: string, cause?: unknown, callees: readonly string[] = []) {
    super(maskNumbers(message, callees), {
      code: 'DispatchFailed',
      statusCode: 503,
      retryable: true,
      cause,
    });
  }
}
