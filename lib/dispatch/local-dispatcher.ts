import { reasonOf, VmsArchiveError } from '../errors';
import { errorFields, log, maskPhone } from '../log';
import type { CallEndedJob } from '../model/call-ended-job';
import type { Dispatcher } from '../model/dispatcher';
import type { JobJournal } from './job-journal';

/** What the jobs this dispatcher ran came to (the CLI prints it and exits by it). */
export interface LocalTally {
  archived: number;
  noRecording: number;
  alreadyArchived: number;
  /** Erased (tombstoned or suppressed) or past retention: refused, archived nothing. */
  erased: number;
  /** Parked in `_rejected/` with the reason (for `replay`); callee masked. */
  failed: { callId: string; callee: string; reason: string }[];
}

/** How one run of a job ended, when it did not throw. */
export interface LocalOutcome {
  status: string;
  reason?: string;
}

export interface LocalDispatcherOptions {
  /** Archives one job; throws when the attempt failed (and is retried). */
  run: (job: CallEndedJob) => Promise<unknown>;
  /** Keeps a job whose retries ran out, with the reason. */
  park: (job: CallEndedJob, reason: string) => Promise<unknown>;
  /** Waits between retries, like Lambda's and FC's async retries (default 1 s, 5 s). */
  retryDelaysMs: readonly number[];
  concurrency: number;
  /** Keeps accepted jobs until they are archived or parked; unfinished ones resume at start. */
  journal?: JobJournal;
  sleep?: (ms: number) => Promise<void>;
}

interface QueuedJob {
  job: CallEndedJob;
  /** The journal entry the job belongs to. */
  entry?: string;
}

/**
 * `DISPATCH=local`, the sandbox's platform: an in-process queue with bounded concurrency
 * that retries a failed job after each delay, then parks it in `_rejected/`. With a
 * journal, a push is accepted only once its jobs are written down, and the jobs an earlier
 * process left unfinished (killed, crashed) are queued again when this one starts.
 */
export class LocalDispatcher implements Dispatcher {
  readonly describe = 'local';
  readonly tally: LocalTally = {
    archived: 0,
    noRecording: 0,
    alreadyArchived: 0,
    erased: 0,
    failed: [],
  };
  private readonly queue: QueuedJob[] = [];
  private active = 0;
  private waiters: (() => void)[] = [];
  private readonly sleep: (ms: number) => Promise<void>;
  /** Jobs of each journal entry not yet archived or parked. */
  private readonly open = new Map<string, number>();
  private readonly recovered: Promise<void>;

  constructor(private readonly options: LocalDispatcherOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.recovered = this.resumeUnfinished();
  }

  async dispatch(jobs: readonly CallEndedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    // Written down before the push is answered: a failure here is a 503, and the Voice
    // Service sends the batch again.
    const entry = await this.options.journal?.record(jobs);
    this.enqueue(jobs, entry);
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  async idle(): Promise<void> {
    await this.recovered;
    if (this.active === 0 && this.queue.length === 0) return;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async resumeUnfinished(): Promise<void> {
    try {
      const entries = (await this.options.journal?.unfinished()) ?? [];
      for (const { id, jobs } of entries) {
        // Nothing readable left in it (the rest was parked): nothing to wait for.
        if (jobs.length === 0) await this.options.journal?.forget(id);
        else this.enqueue(jobs, id);
      }
      if (entries.length > 0) {
        const jobs = entries.reduce((n, entry) => n + entry.jobs.length, 0);
        log('info', 'resuming jobs an earlier process left unfinished', {
          entries: entries.length,
          jobs,
        });
      }
    } catch (error: unknown) {
      // They stay in the journal for the next start or `replay`; new pushes go on.
      log('error', 'cannot read the unfinished jobs', errorFields(error));
    }
  }

  private enqueue(jobs: readonly CallEndedJob[], entry: string | undefined): void {
    if (entry !== undefined) this.open.set(entry, jobs.length);
    for (const job of jobs) this.queue.push({ job, entry });
    this.pump();
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const item = this.queue.shift() as QueuedJob;
      this.active++;
      void this.process(item.job)
        .then((settled) => this.settle(item.entry, settled))
        .finally(() => {
          this.active--;
          this.pump();
          if (this.active === 0 && this.queue.length === 0) {
            for (const resolve of this.waiters.splice(0)) resolve();
          }
        });
    }
  }

  /** Forgets a journal entry once every job of it is archived or parked. */
  private async settle(entry: string | undefined, settled: boolean): Promise<void> {
    if (entry === undefined) return;
    const left = (this.open.get(entry) ?? 1) - 1;
    // An unsettled job keeps its entry (and its batch-mates, harmlessly: archiving is
    // idempotent) for the next start.
    this.open.set(entry, settled ? left : Number.POSITIVE_INFINITY);
    if (left > 0 || !settled) return;
    this.open.delete(entry);
    try {
      await this.options.journal?.forget(entry);
    } catch (error: unknown) {
      log('warn', 'cannot forget a finished journal entry', { entry, ...errorFields(error) });
    }
  }

  /** Runs a job with retries; true once it is archived or parked, false if neither could be. */
  private async process(job: CallEndedJob): Promise<boolean> {
    const delays = this.options.retryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      try {
        this.count(job, await this.options.run(job));
        return true;
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
        const reason = reasonOf(error);
        try {
          const tries = attempt + 1;
          const parked = `after ${tries} attempt${tries === 1 ? '' : 's'}: ${reason}`;
          await this.options.park(job, parked);
          this.count(job, { status: 'parked', reason: parked });
          return true;
        } catch (parkError: unknown) {
          // Its journal entry keeps it for the next start; without a journal, say so loudly.
          log(
            'error',
            this.options.journal ? 'cannot park: job kept in _pending/' : 'job lost: cannot park',
            {
              job: { ...job, callee: undefined },
              ...errorFields(parkError),
            },
          );
          return false;
        }
      }
    }
  }

  private count(job: CallEndedJob, result: unknown): void {
    const outcome = isOutcome(result) ? result : undefined;
    const status = outcome?.status;
    if (status === 'archived') this.tally.archived++;
    else if (status === 'no-recording') this.tally.noRecording++;
    else if (status === 'already-archived') this.tally.alreadyArchived++;
    else if (status === 'erased' || status === 'expired') this.tally.erased++;
    else if (status === 'parked')
      this.tally.failed.push({
        callId: job.callId ?? '',
        callee: maskPhone(job.callee),
        reason: outcome?.reason ?? status,
      });
  }
}

/** `run` may answer nothing (a test's stand-in) or the archive's outcome. */
function isOutcome(value: unknown): value is LocalOutcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    typeof value.status === 'string'
  );
}
