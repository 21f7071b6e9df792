import type { JobJournal } from '../../../lib/dispatch/job-journal';
import { LocalDispatcher } from '../../../lib/dispatch/local-dispatcher';
import { VmsArchiveError } from '../../../lib/errors';
import type { CallEndedJob } from '../../../lib/model/call-ended-job';
import { InvalidJobError } from '../../../lib/model/call-ended-job';
import { logsInto } from '../../support/logs';

const job: CallEndedJob = { taskId: '1', callee: '13000000000', date: '2019-06-14' };

function dispatcher(run: (job: CallEndedJob) => Promise<unknown>) {
  const parked: { job: CallEndedJob; reason: string }[] = [];
  const slept: number[] = [];
  const local = new LocalDispatcher({
    run,
    park: async (j, reason) => {
      parked.push({ job: j, reason });
    },
    retryDelaysMs: [1000, 5000],
    concurrency: 2,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  return { local, parked, slept };
}

logsInto();

describe('LocalDispatcher', () => {
  it('given jobs that archive, find no recording and get parked, when they settle, then one tally counts each by its outcome', async () => {
    const outcomes = ['archived', 'no-recording', 'already-archived'];
    const jobs = outcomes.map((_, n) => ({ ...job, callId: String(n) }));
    const { local } = dispatcher(async (j) => {
      if (j.callId === 'parked') throw new InvalidJobError('callee: bad');
      return { status: outcomes[Number(j.callId)] };
    });

    await local.dispatch([...jobs, { ...job, callId: 'parked' }]);
    await local.idle();

    expect(local.tally).toEqual({
      archived: 1,
      noRecording: 1,
      alreadyArchived: 1,
      erased: 0,
      failed: [
        { callId: 'parked', callee: '130****0000', reason: expect.stringContaining('callee: bad') },
      ],
    });
  });

  it('given a job that fails once, then it is retried after the first delay and not parked', async () => {
    let calls = 0;
    const { local, parked, slept } = dispatcher(async () => {
      calls++;
      if (calls === 1) throw new VmsArchiveError('busy', { code: 'Busy', retryable: true });
    });

    await local.dispatch([job]);
    await local.idle();

    expect(calls).toBe(2);
    expect(slept).toEqual([1000]);
    expect(parked).toEqual([]);
  });

  it('given a job that always fails retryably, then it is tried 1 + delays times and parked with the reason', async () => {
    const { local, parked, slept } = dispatcher(async () => {
      throw new VmsArchiveError('upstream down', { code: 'UpstreamError', retryable: true });
    });

    await local.dispatch([job]);
    await local.idle();

    expect(slept).toEqual([1000, 5000]);
    expect(parked).toEqual([{ job, reason: 'after 3 attempts: UpstreamError: upstream down' }]);
  });

  it('given a non-retryable failure, then it is parked at once', async () => {
    const { local, parked, slept } = dispatcher(async () => {
      throw new InvalidJobError('bad job');
    });

    await local.dispatch([job]);
    await local.idle();

    expect(slept).toEqual([]);
    expect(parked[0]?.reason).toBe('after 1 attempt: InvalidJob: bad job');
  });

  it('given many jobs, then no more than the concurrency run at once and all complete', async () => {
    let running = 0;
    let peak = 0;
    let done = 0;
    const { local } = dispatcher(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      done++;
    });

    await local.dispatch(Array.from({ length: 10 }, () => job));
    await local.idle();

    expect(done).toBe(10);
    expect(peak).toBe(2);
  });

  describe('with a journal', () => {
    /** The journal's contract over a Map: what a process would find on its next start. */
    function memoryJournal(entries = new Map<string, CallEndedJob[]>()): JobJournal & {
      entries: Map<string, CallEndedJob[]>;
    } {
      let next = 0;
      return {
        entries,
        record: async (jobs) => {
          const id = `entry-${++next}`;
          entries.set(id, [...jobs]);
          return id;
        },
        forget: async (id) => {
          entries.delete(id);
        },
        unfinished: async () => [...entries].map(([id, jobs]) => ({ id, jobs })),
      };
    }
    const other: CallEndedJob = { ...job, callee: '13000000001' };

    it('given a push, then its jobs are written down before dispatch resolves and forgotten once archived', async () => {
      const journal = memoryJournal();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const local = new LocalDispatcher({
        run: () => gate,
        park: async () => undefined,
        retryDelaysMs: [],
        concurrency: 1,
        journal,
      });

      await local.dispatch([job, other]);
      const whileRunning = [...journal.entries.values()];
      release();
      await local.idle();

      expect(whileRunning).toEqual([[job, other]]);
      expect(journal.entries.size).toBe(0);
    });

    it('given entries an earlier process left, when a dispatcher starts, then it archives them and forgets them', async () => {
      const journal = memoryJournal(new Map([['left-behind', [job, other]]]));
      const archived: CallEndedJob[] = [];

      const local = new LocalDispatcher({
        run: async (j) => {
          archived.push(j);
        },
        park: async () => undefined,
        retryDelaysMs: [],
        concurrency: 2,
        journal,
      });
      await local.idle();

      expect(archived).toEqual([job, other]);
      expect(journal.entries.size).toBe(0);
    });

    it('given a job that can be neither archived nor parked, then its entry is kept for the next start', async () => {
      const journal = memoryJournal();
      const local = new LocalDispatcher({
        run: async () => {
          throw new VmsArchiveError('storage down', { code: 'StorageError', retryable: true });
        },
        park: async () => {
          throw new Error('storage down');
        },
        retryDelaysMs: [],
        concurrency: 1,
        journal,
      });

      await local.dispatch([job]);
      await local.idle();

      expect([...journal.entries.values()]).toEqual([[job]]);
    });
  });
});
