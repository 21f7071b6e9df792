import { type ArchivedDetail, archiveCall } from '../../lib/archive/archive-call';
import { RecordingRefusedError } from '../../lib/archive/errors';
import { replayRejected } from '../../lib/maintenance/replay';
import { parseCallEndedJob } from '../../lib/model/call-ended-job';
import { silent } from '../../lib/model/progress';
import { park } from '../../lib/parking/park';
import { StorageError } from '../../lib/storage/object-store';
import { type Harness, RECORDED_CALL, startHarness } from '../support/harness';

const DIR = '1045001/2019-06-14/116950320375_103750100375';
const CALL_ID = '116950320375^103750100375';

async function storedDetail(h: Harness): Promise<ArchivedDetail> {
  const bytes = await h.store.get(`${DIR}/detail.json`);
  if (!bytes) throw new Error('no detail.json');
  return JSON.parse(bytes.toString('utf8')) as ArchivedDetail;
}

describe('archiveCall under hostile input', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ recording: { size: 64 * 1024, seed: 3 } });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await h.stop();
  });

  it('given a task id with leading zeros, then it lands in the canonical tree and counts as the same call', async () => {
    await archiveCall(parseCallEndedJob({ ...RECORDED_CALL, taskId: '01045001' }), h.deps);

    const again = await archiveCall({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);

    expect(await h.store.list('')).toEqual([
      `${DIR}/detail.json`,
      `${DIR}/recording.wav`,
      expect.stringMatching(
        /^index\/pending\/date=2019-06-14\/1045001_116950320375_103750100375_\d+\.json$/,
      ),
    ]);
    expect(again.status).toBe('already-archived');
  });

  it.each([
    ['null', 'null'],
    ['an empty object', '{}'],
    ['another call', null],
  ])(
    'given a detail.json that is %s at the key, then the call is archived, not declared done',
    async (_name, marker) => {
      await archiveCall({ ...RECORDED_CALL }, h.deps);
      const other = { ...(await storedDetail(h)) };
      other.call = { ...other.call, callee: '13900000000' };
      await h.store.put(`${DIR}/detail.json`, marker ?? JSON.stringify(other), {
        contentType: 'application/json',
      });

      const outcome = await archiveCall({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);

      expect(outcome.status).toBe('archived');
      expect((await storedDetail(h)).call.callee).toBe(RECORDED_CALL.callee);
    },
  );

  it('given an archived call, then detail.json keeps no signed URL anywhere', async () => {
    await archiveCall({ ...RECORDED_CALL }, h.deps);

    const text = String(await h.store.get(`${DIR}/detail.json`));
    const detail = JSON.parse(text) as ArchivedDetail;

    expect(text).not.toMatch(/Signature=|Expires=|OSSAccessKeyId=/);
    expect(detail.call.recording.url).toBe(detail.recording?.source);
    expect(detail.call.raw.recordFile).toBe(detail.recording?.source);
  });

  it('given a recording whose extension changed since the last run, then the old one is removed', async () => {
    await h.store.put(`${DIR}/recording.mp3`, 'old bytes', { contentType: 'audio/mpeg' });

    await archiveCall({ ...RECORDED_CALL }, h.deps);

    expect(await h.store.list(`${DIR}/`)).toEqual([`${DIR}/detail.json`, `${DIR}/recording.wav`]);
  });

  it('given a full disk, then a StorageError after one download, not a broken download retried', async () => {
    // The disk fills up mid-write: every write to an archive temp file fails with ENOSPC.
    const fs = require('node:fs/promises') as typeof import('node:fs/promises');
    const real = fs.open;
    jest.spyOn(fs, 'open').mockImplementation(async (...args: Parameters<typeof real>) => {
      const handle = await real(...args);
      if (String(args[0]).includes('.tmp-')) {
        jest.spyOn(handle, 'writev').mockRejectedValue(
          Object.assign(new Error('ENOSPC: no space left on device, write'), {
            code: 'ENOSPC',
            syscall: 'write',
          }),
        );
      }
      return handle;
    });

    const failure = await archiveCall({ ...RECORDED_CALL }, h.deps).catch((error) => error);

    expect(failure).toBeInstanceOf(StorageError);
    expect(String(failure.message)).toMatch(/ENOSPC/);
    expect(h.host.requests).toHaveLength(1);
  });

  it('given a recording host name that resolves to loopback, then it is refused at connect and never reached', async () => {
    h.dyvms.useRecordingHost((name) =>
      h.host
        .signedUrl(name)
        .replace(/^http:\/\/127\.0\.0\.1:\d+/, 'http://rec.oss-cn-hangzhou.aliyuncs.com'),
    );
    const resolved: string[] = [];
    const resolve = ((hostname: string, _options: unknown, callback: (...a: unknown[]) => void) => {
      resolved.push(hostname);
      callback(null, [{ address: '127.0.0.1', family: 4 }]);
    }) as never;
    const deps = {
      ...h.deps,
      recordingHosts: ['.aliyuncs.com'],
      recording: { ...h.deps.recording, resolve },
    };

    const failure = await archiveCall({ ...RECORDED_CALL }, deps).catch((error) => error);

    expect(failure).toBeInstanceOf(RecordingRefusedError);
    expect(String(failure.message)).toMatch(/resolves to 127\.0\.0\.1 is a loopback/);
    expect(resolved).toEqual(['rec.oss-cn-hangzhou.aliyuncs.com']);
    expect(h.host.requests).toHaveLength(0);
    expect(await h.store.list('')).toEqual([]);
  });

  it('given a recording URL on a port other than 80 or 443, then it is refused before any connection', async () => {
    h.dyvms.useRecordingHost((name) =>
      h.host
        .signedUrl(name)
        .replace(/^http:\/\/127\.0\.0\.1/, 'http://rec.oss-cn-hangzhou.aliyuncs.com'),
    );
    const deps = { ...h.deps, recordingHosts: ['.aliyuncs.com'] };

    const failure = await archiveCall({ ...RECORDED_CALL }, deps).catch((error) => error);

    expect(failure).toBeInstanceOf(RecordingRefusedError);
    expect(String(failure.message)).toMatch(/port \d+ is not 80 or 443/);
    expect(h.host.requests).toHaveLength(0);
  });

  it('given a journal entry a sandbox left in _pending/ and the parked records of a push, then replay archives them and removes both', async () => {
    await h.store.put(
      '_pending/2019-06-14/left.json',
      JSON.stringify({ acceptedAt: '2019-06-14T07:30:00Z', jobs: [RECORDED_CALL] }),
      { contentType: 'application/json' },
    );
    await park(
      h.store,
      'records',
      [
        {
          index: 0,
          reason: 'was bad',
          record: {
            ...RECORDED_CALL,
            task_id: '1045001',
            start_time: '2019-06-14 15:22:23',
            callee: '13000000001',
          },
        },
        { index: 1, reason: 'still bad', record: { callee: 'x' } },
      ],
      'two records',
    );

    const summary = await replayRejected({ archive: h.deps, progress: silent, concurrency: 2 });

    expect(summary).toMatchObject({ found: 3, archived: 2, unreplayable: 1, failed: [] });
    expect(await h.store.list('_pending/')).toEqual([]);
    const left = await h.store.list('_rejected/');
    expect(left).toHaveLength(1);
    expect(JSON.parse(String(await h.store.get(left[0] as string)))).toMatchObject({
      kind: 'records',
      records: [{ index: 1, reason: 'still bad' }],
    });
  });
});
