import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { sampleCalls } from '../../emulators/dyvms/sample-calls';
import type { ArchivedDetail } from '../../lib/archive/archive-call';
import { archiveCall } from '../../lib/archive/archive-call';
import { archiveJobOrPark } from '../../lib/archive/archive-job';
import { backfillTask } from '../../lib/backfill/backfill';
import type { Dispatcher } from '../../lib/model/dispatcher';
import { silent } from '../../lib/model/progress';
import { reconcileRun } from '../../lib/reconcile/reconcile';
import { type Harness, RECORDED_CALL, SEED_RECORDING, startHarness } from '../support/harness';

const DIR = '1045001/2019-06-14/116950320375_103750100375';
const CALL_ID = '116950320375^103750100375';
const seedData = () => sampleCalls()[0]?.data as Record<string, unknown>;

async function storedDetail(h: Harness): Promise<ArchivedDetail> {
  const bytes = await h.store.get(`${DIR}/detail.json`);
  if (!bytes) throw new Error('no detail.json');
  return JSON.parse(bytes.toString('utf8')) as ArchivedDetail;
}

/** The upstream no longer gives the seed call's recording (its 48 h are over). */
function recordingGoneUpstream(h: Harness): void {
  const { recordFile: _gone, ...data } = seedData();
  h.dyvms.addCall({ ...RECORDED_CALL, data: { ...data, recordStatus: 2 } });
}

describe('an archived recording is never lost to a later archive of its call', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ recording: { size: 64 * 1024, seed: 5 } });
  });
  afterEach(() => h.stop());

  it('given an archive copied elsewhere (new mtimes) and no recordFile upstream any more, then the recording is re-hashed, kept, and the job is done without a lookup', async () => {
    await archiveCall({ ...RECORDED_CALL }, h.deps);
    const before = await storedDetail(h);
    const bytes = await h.store.get(`${DIR}/recording.wav`);
    const later = new Date(Date.now() + 3600_000);
    await utimes(join(h.archiveDir, DIR, 'recording.wav'), later, later);
    recordingGoneUpstream(h);
    const lookups = h.dyvms.requests.length;

    const outcome = await archiveCall({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);

    expect(outcome.status).toBe('already-archived');
    expect(h.dyvms.requests.length).toBe(lookups);
    expect(await h.store.get(`${DIR}/recording.wav`)).toEqual(bytes);
    const after = await storedDetail(h);
    expect(after.recording?.sha256).toBe(before.recording?.sha256);
    // The marker now names the copy's storeTag: the next check is one HEAD again.
    expect(after.recording?.storeTag).toBe((await h.store.head(`${DIR}/recording.wav`))?.storeTag);
  });

  it('given a stored recording whose bytes no longer match and no recordFile upstream, then the stored recording and its marker stay', async () => {
    await archiveCall({ ...RECORDED_CALL }, h.deps);
    const before = await storedDetail(h);
    await h.store.put(`${DIR}/recording.wav`, Buffer.alloc(64 * 1024, 1), {
      contentType: 'audio/wav',
    });
    recordingGoneUpstream(h);

    await archiveCall({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);

    expect(await h.store.list(`${DIR}/`)).toEqual([`${DIR}/detail.json`, `${DIR}/recording.wav`]);
    expect((await storedDetail(h)).recording).toEqual(before.recording);
  });

  it('given a marker that cannot be written, then the recording it would replace is still there', async () => {
    await h.store.put(`${DIR}/recording.mp3`, 'the earlier recording', {
      contentType: 'audio/mpeg',
    });
    const put = h.store.put.bind(h.store);
    jest.spyOn(h.store, 'put').mockImplementation(async (key, body, options) => {
      if (key.endsWith('/detail.json')) throw new Error('store refused the marker');
      return put(key, body, options);
    });

    await expect(archiveCall({ ...RECORDED_CALL }, h.deps)).rejects.toThrow(/refused the marker/);

    expect(await h.store.list(`${DIR}/`)).toContain(`${DIR}/recording.mp3`);
  });
});

describe('calls that would share a folder, or that the upstream answers with another call', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  it.each([
    ['7_8', 'an underscore'],
    ['7.8', 'a dot'],
  ])(
    'given a job for call %s (%s), then it is parked with the reason and writes nothing',
    async (callId) => {
      const outcome = await archiveJobOrPark(
        { taskId: '7', callee: '13900000078', date: '2019-06-14', callId },
        h.deps,
      );

      expect(outcome.status).toBe('parked');
      expect(outcome.status === 'parked' && outcome.reason).toMatch(
        /callId .* would alias another call's folder/,
      );
      expect((await h.store.list('')).filter((key) => !key.startsWith('_rejected/'))).toEqual([]);
    },
  );

  it("given calls 7^8 and 7_8 upstream, then 7^8 is archived and 7_8 is parked, never written over 7^8's folder", async () => {
    const call = (callId: string, callee: string) => ({
      taskId: '7',
      callee,
      date: '2019-06-14',
      data: { ...seedData(), taskId: 7, called: callee, callId, recordStatus: 2 },
    });
    h.dyvms.addCall(call('7^8', '13900000001'));
    h.dyvms.addCall(call('7_8', '13900000002'));

    const first = await archiveJobOrPark(
      { taskId: '7', callee: '13900000001', date: '2019-06-14' },
      h.deps,
    );
    const second = await archiveJobOrPark(
      { taskId: '7', callee: '13900000002', date: '2019-06-14' },
      h.deps,
    );

    expect(first.status).toBe('no-recording');
    expect(second.status).toBe('parked');
    const detail = JSON.parse(String(await h.store.get('7/2019-06-14/7_8/detail.json')));
    expect(detail.call).toMatchObject({ callId: '7^8', callee: '13900000001' });
  });

  it('given two calls of one callee in one task on one day, then the earlier one is parked as superseded, and reconcile counts it and dispatches it no more', async () => {
    const day = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const at = `${day.replaceAll('-', '.')}`;
    const call = (callId: string, time: string) => ({
      taskId: '8000001',
      callee: '13900000009',
      date: day,
      data: {
        ...seedData(),
        taskId: 8000001,
        called: '13900000009',
        callId,
        callStartTime: `${at} ${time}`,
        callEndTime: `${at} ${time}`,
        recordStatus: 2,
      },
    });
    h.dyvms.addCall(call('800^1', '00:01:00'));
    h.dyvms.addCall(call('800^2', '00:05:00'));
    h.dyvms.updateTask('8000001', { status: 'EXCUTING', fireTime: `${at} 00:00:00` });
    const dispatched: unknown[] = [];
    const dispatcher: Dispatcher = {
      describe: 'test',
      async dispatch(jobs) {
        dispatched.push(...jobs);
        for (const job of jobs) await archiveJobOrPark(job, h.deps);
      },
    };
    const run = () =>
      reconcileRun({
        dyvms: h.deps.dyvms,
        store: h.store,
        dispatcher,
        lookbackHours: 48,
        pageSize: 50,
      });

    const first = await run();
    const second = await run();

    expect(first).toMatchObject({ dispatched: 2, missing: 2 });
    expect(second).toMatchObject({ dispatched: 0, missing: 0, alreadyArchived: 1, superseded: 1 });
    expect(await h.store.list('8000001/')).toEqual([`8000001/${day}/800_2/detail.json`]);
    const parked = await h.store.list(`_rejected/${day}/`);
    expect(parked).toHaveLength(1);
    const item = JSON.parse(String(await h.store.get(parked[0] as string)));
    expect(item.reason).toMatch(/superseded by 800\^2/);
    expect(item.job).toMatchObject({ callId: '800^1' });
  });

  it('given two calls of one callee in one task on one day, when backfilled, then the earlier one counts as superseded, not failed', async () => {
    const day = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const at = `${day.replaceAll('-', '.')}`;
    for (const [callId, time] of [
      ['810^1', '00:01:00'],
      ['810^2', '00:05:00'],
    ] as const)
      h.dyvms.addCall({
        taskId: '8100001',
        callee: '13900000019',
        date: day,
        data: {
          ...seedData(),
          taskId: 8100001,
          called: '13900000019',
          callId,
          callStartTime: `${at} ${time}`,
          callEndTime: `${at} ${time}`,
          recordStatus: 2,
        },
      });

    const summary = await backfillTask(
      { taskId: '8100001', range: {}, callees: [], concurrency: 1, dryRun: false },
      { archive: h.deps, pageSize: 50, progress: silent },
    );

    expect(summary).toMatchObject({ listed: 2, noRecording: 1, superseded: 1, failed: [] });
    expect(await h.store.list('_rejected/')).toEqual([
      expect.stringMatching(/\/superseded-8100001-810_1\.json$/),
    ]);
  });

  it('given a job naming an earlier call of the same callee, then it is parked as superseded, not reported archived', async () => {
    h.dyvms.addCall({
      ...RECORDED_CALL,
      recording: SEED_RECORDING,
      data: { ...seedData(), callId: '116950320375^103750100999' },
    });

    const outcome = await archiveJobOrPark({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);

    expect(outcome.status).toBe('parked');
    expect(outcome.status === 'parked' && outcome.reason).toMatch(
      /superseded by 116950320375\^103750100999/,
    );
  });
});
