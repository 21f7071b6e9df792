import type { CallEndedJob } from '../archive/call-ended-job';
import { VmsArchiveError } from '../errors';
import { errorFields, log } from '../log';
import type { Dispatcher } from './dispatcher';

export interface LocalDispatcherOptions {
  /** Archives one job; throws when the attempt failed. */
  run: (job: CallEndedJob) => Promise<unknown>;
  /** Keeps a job whose retries ran out, with the reason. */
  park: (job: CallEndedJob, reason: string) => Promise<unknown>;
  /** Waits between retries, like Lambda's and FC's async retries (default 1 s, 5 s). */
  retryDelaysMs: readonly number[];
  concurrency: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * `DISPATCH=local`, the sandbox's platform: an in-process queue with bounded concurrency
 * that retries a failed job after each delay, then parks it in `_rejected/`.
 */
export class LocalDispatcher implements Dispatcher {
  private static readonly all = new Set<LocalDispatcher>();

  /** Waits until every local queue of this process is idle (graceful shutdown, tests). */
  static async drainAll(): Promise<void> {
    await Promise.all([...LocalDispatcher.all].map((dispatcher) => dispatcher.idle()));
  }

  readonly describe = 'local';
  private readonly queue: CallEndedJob[] = [];
  private active = 0;
  private waiters: (() => void)[] = [];
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: LocalDispatcherOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    LocalDispatcher.all.add(this);
  }

  async dispatch(jobs: readonly CallEndedJob[]): Promise<void> {
    this.queue.push(...jobs);
    this.pump();
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const job = this.queue.shift() as CallEndedJob;
      this.active++;
      void this.process(job).finally(() => {
        this.active--;
        this.pump();
        if (this.active === 0 && this.queue.length === 0) {
          for (const resolve of this.waiters.splice(0)) resolve();
        }
      });
    }
  }

  private async process(job: CallEndedJob): Promise<void> {
    const delays = this.options.retryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.options.run(job);
        return;
      } catch (error: unknown) {
        const retryable = !(error instanceof VmsArchiveError) || error.retryable;
        const delay = delays[attempt];
        if (retryable && delay !== undefined) {
          log('warn', 'job failed, will retry', {
            attempt: attempt + 1,
            delayMs: delay,
            ...errorFields(error),
          });
          await this.sleep(delay);
          continue;
        }
        const reason =
          error instanceof VmsArchiveError ? `${error.code}: ${error.message}` : String(error);
        try {
          const tries = attempt + 1;
          await this.options.park(
            job,
            `after ${tries} attempt${tries === 1 ? '' : 's'}: ${reason}`,
          );
        } catch (parkError: unknown) {
          // Nowhere left to keep it: say so loudly, with the job, so it can be replayed by hand.
          log('error', 'job lost: cannot park', {
            job: { ...job, callee: undefined },
            ...errorFields(parkError),
          });
        }
        return;
      }
    }
  }
}
