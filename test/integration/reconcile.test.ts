import { sampleCalls } from '../../emulators/dyvms/sample-calls';
import type { ArchiveDeps } from '../../lib/archive/archive-call';
import { archiveJobOrPark } from '../../lib/archive/archive-job';
import { backfillTask } from '../../lib/backfill/backfill';
import { chinaDate } from '../../lib/call-detail/china-time';
import { forEachLimited } from '../../lib/common/for-each-limited';
import { DyvmsError } from '../../lib/dyvms/dyvms-error';
import { taskStatus } from '../../lib/maintenance/status';
import type { CallEndedJob } from '../../lib/model/call-ended-job';
import type { Dispatcher } from '../../lib/model/dispatcher';
import { silent } from '../../lib/model/progress';
import { reconcileRun } from '../../lib/reconcile/reconcile';
import type { ObjectStore } from '../../lib/storage/object-store';
import { type Harness, startHarness, startS3 } from '../support/harness';

const TASKS = { '3000001': 400, '3000002': 350, '3000003': 250 } as const;
const NOW = Date.now();
const DAY = chinaDate(NOW - 3600_000);
const china = (day: string, time: string) => `${day.replaceAll('-', '.')} ${time}`;

/** Calls without a recording (recordStatus 2): archiving them is a lookup and a detail.json. */
function addCalls(h: Harness): CallEndedJob[] {
  const template = sampleCalls()[1]?.data as Record<string, unknown>;
  const jobs: CallEndedJob[] = [];
  for (const [taskId, count] of Object.entries(TASKS)) {
    for (let i = 0; i < count; i++) {
      const callee = `139${taskId.slice(-2)}${String(i).padStart(6, '0')}`;
      const callId = `${taskId}${i}^${900000 + i}`;
      h.dyvms.addCall({
        taskId,
        callee,
        date: DAY,
        data: {
          ...template,
          taskId: Number(taskId),
          called: callee,
          callId,
          callStartTime: china(DAY, '00:10:00'),
          callEndTime: china(DAY, '00:10:30'),
          recordStatus: 2,
          recordFile: undefined,
        },
      });
      jobs.push({ taskId, callee, date: DAY, callId });
    }
  }
  return jobs;
}

/** A dispatcher that archives what it is handed here, and remembers it. */
function archivingDispatcher(deps: ArchiveDeps): Dispatcher & { jobs: CallEndedJob[] } {
  const jobs: CallEndedJob[] = [];
  return {
    describe: 'test',
    jobs,
    async dispatch(batch) {
      jobs.push(...batch);
      await forEachLimited(batch, 16, async (job) => {
        await archiveJobOrPark(job, deps);
      });
    },
  };
}

/**
 * A dispatcher standing in for the archive function: it writes each job's commit marker
 * (all a listing looks for) and nothing else, where a test is about reconcile's own
 * bookkeeping rather than about archiving.
 */
function markingDispatcher(store: ObjectStore): Dispatcher & { jobs: CallEndedJob[] } {
  const jobs: CallEndedJob[] = [];
  return {
    describe: 'marker',
    jobs,
    async dispatch(batch) {
      jobs.push(...batch);
      await forEachLimited(batch, 32, async (job) => {
        const dir = `${job.taskId}/${job.date}/${String(job.callId).replace('^', '_')}`;
        await store.put(`${dir}/detail.json`, '{}', { contentType: 'application/json' });
      });
    },
  };
}

/** The store, counting the listings made of each prefix. */
function countingStore(store: ObjectStore): ObjectStore & { listings: string[] } {
  const listings: string[] = [];
  return Object.assign(Object.create(store) as ObjectStore, {
    listings,
    list: (prefix: string) => {
      listings.push(prefix);
      return store.list(prefix);
    },
  });
}

async function detailCount(h: Harness): Promise<number> {
  let n = 0;
  for (const taskId of Object.keys(TASKS))
    n += (await h.store.list(`${taskId}/`)).filter((key) => key.endsWith('/detail.json')).length;
  return n;
}

// 1,000 archives into s3rver per test: seconds, not the default 5.
jest.setTimeout(240_000);

describe('reconcile over the emulator and s3rver', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let h: Harness;
  let jobs: CallEndedJob[];
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(() => s3.stop());
  beforeEach(async () => {
    h = await startHarness({ s3Endpoint: s3.endpoint, env: { DYVMS_MAX_RPS: '5000' } });
    jobs = addCalls(h);
  });
  afterEach(() => h.stop());

  const run = (store: ObjectStore, dispatcher: Dispatcher, extra = {}) =>
    reconcileRun({
      dyvms: h.deps.dyvms,
      store,
      dispatcher,
      lookbackHours: 48,
      pageSize: 50,
      ...extra,
    });

  it('given three tasks and 1,000 calls none pushed, then one run dispatches exactly the 1,000, a second dispatches nothing with one listing per task, and a third lists no finished task again', async () => {
    const store = countingStore(h.store);
    const dispatcher = archivingDispatcher({ ...h.deps, store });

    const first = await run(store, dispatcher);
    const dispatchedFirst = dispatcher.jobs.length;
    store.listings.length = 0;
    const second = await run(store, dispatcher);
    const listingsSecond = store.listings.filter((prefix) => /^\d+\/$/.test(prefix));
    const callListsBefore = h.dyvms.requests.filter((r) => r.action === 'QueryRobotTaskCallList');
    const third = await run(store, dispatcher);
    const callListsAfter = h.dyvms.requests.filter((r) => r.action === 'QueryRobotTaskCallList');

    expect(first).toMatchObject({ tasksSeen: 3, callsListed: 1000, dispatched: 1000, failed: [] });
    expect(dispatchedFirst).toBe(1000);
    expect(new Set(dispatcher.jobs.map((job) => job.callId))).toEqual(
      new Set(jobs.map((job) => job.callId)),
    );
    expect(await detailCount(h)).toBe(1000);
    expect(second).toMatchObject({ dispatched: 0, alreadyArchived: 1000 });
    expect(second.remembered.sort()).toEqual(Object.keys(TASKS));
    expect(listingsSecond.sort()).toEqual(Object.keys(TASKS).map((id) => `${id}/`));
    expect(third).toMatchObject({ tasksSkipped: 3, tasksReconciled: 0, dispatched: 0 });
    expect(callListsAfter).toHaveLength(callListsBefore.length);
    const summaries = (await h.store.list('_reconcile/')).filter((key) =>
      /^_reconcile\/\d{4}-\d{2}-\d{2}\/[^/]+\.json$/.test(key),
    );
    expect(summaries).toHaveLength(3);
    const written = JSON.parse(String(await h.store.get(summaries[0] as string)));
    expect(written).toMatchObject({ tasksSeen: 3, complete: true });
  });

  it('given 300 of them already archived, then it dispatches exactly the other 700', async () => {
    const archived = jobs.slice(0, 300);
    // Archived already (a commit marker is what the listing looks for); the 700 are counted.
    await markingDispatcher(h.store).dispatch(archived);
    const dispatcher = markingDispatcher(h.store);

    const summary = await run(h.store, dispatcher);

    expect(summary).toMatchObject({ alreadyArchived: 300, dispatched: 700 });
    const already = new Set(archived.map((job) => job.callId));
    expect(dispatcher.jobs.filter((job) => already.has(job.callId as string))).toEqual([]);
  });

  it.each([
    ['serves at most 7 rows whatever is asked', { serveAtMost: 7 }],
    ['refuses page sizes over 20', { refuseOver: 20 }],
  ])(
    'given a server that %s, then reconcile and status still see every call',
    async (_name, paging) => {
      Object.assign(h.dyvms.paging, paging);

      const summary = await run(h.store, archivingDispatcher(h.deps), { dryRun: true });
      const status = await taskStatus(
        { taskId: '3000001', range: {}, callees: [] },
        { archive: h.deps, pageSize: 50 },
      );

      expect(summary).toMatchObject({ callsListed: 1000, missing: 1000, dispatched: 0 });
      expect(status).toMatchObject({ listed: 400, archived: 0 });
      expect(status.missing).toHaveLength(400);
    },
  );

  it('given one task whose listing fails, then it is reported and tried again next run while the others complete', async () => {
    const failing = {
      ...h.deps.dyvms,
      queryRobotTaskCallList: async (request: { taskId?: string }) => {
        if (request.taskId === '3000002')
          throw new DyvmsError({
            kind: 'server',
            upstreamCode: 'ServiceUnavailable',
            upstreamMessage: 'down',
          });
        return h.deps.dyvms.queryRobotTaskCallList(request as never);
      },
    };
    const dispatcher = markingDispatcher(h.store);

    const first = await reconcileRun({
      dyvms: failing,
      store: h.store,
      dispatcher,
      lookbackHours: 48,
      pageSize: 50,
    });
    const second = await run(h.store, dispatcher);

    expect(first.failed).toEqual([
      { taskId: '3000002', reason: expect.stringContaining('ServiceUnavailable') },
    ]);
    expect(first.dispatched).toBe(650);
    expect(second).toMatchObject({ dispatched: 350, failed: [] });
    expect(await detailCount(h)).toBe(1000);
  });

  it('given tasks older than the lookback and a task still running, then only the recent and the running are reconciled', async () => {
    const long = china(chinaDate(NOW - 10 * 86400_000), '09:00:00');
    h.dyvms.updateTask('3000001', { createTime: long, fireTime: long, completeTime: long });
    h.dyvms.updateTask('3000002', {
      createTime: long,
      fireTime: long,
      completeTime: long,
      status: 'EXCUTING',
    });

    const summary = await run(h.store, archivingDispatcher(h.deps), { dryRun: true });

    expect(summary).toMatchObject({ tasksSeen: 2, callsListed: 600 });
  });

  it('given a run whose time budget is spent, then it saves where it got to and the next run carries on', async () => {
    const dispatcher = markingDispatcher(h.store);

    const cut = await run(h.store, dispatcher, { deadline: Date.now() - 1 });
    const cursor = JSON.parse(String(await h.store.get('_reconcile/cursor.json')));
    const next = await run(h.store, dispatcher);

    expect(cut).toMatchObject({ complete: false, tasksReconciled: 0, dispatched: 0 });
    expect(cut.carriedOver.sort()).toEqual(Object.keys(TASKS));
    expect(cursor.remaining.sort()).toEqual(Object.keys(TASKS));
    expect(next).toMatchObject({ complete: true, dispatched: 1000 });
    expect(await h.store.get('_reconcile/cursor.json')).toBeUndefined();
  });

  it('given a server that serves at most 7 rows, then backfill still sees every call of a task', async () => {
    h.dyvms.paging.serveAtMost = 7;

    const summary = await backfillTask(
      { taskId: '3000003', range: {}, callees: [], concurrency: 4, dryRun: true },
      { archive: h.deps, pageSize: 50, progress: silent },
    );

    expect(summary).toMatchObject({ listed: 250, wouldArchive: 250 });
  });
});
