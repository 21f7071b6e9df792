import { readdirSync } from 'node:fs';
import { recordingBytes, recordingSha256 } from '../../emulators/recording-host/server';
import { type ArchivedDetail, archiveCall } from '../../lib/archive/archive-call';
import { RecordingExpiredError, RecordingRefusedError } from '../../lib/archive/errors';
import { CallNotReadyError } from '../../lib/errors';
import {
  type Harness,
  RECORDED_CALL,
  SEED_RECORDING,
  startHarness,
  startS3,
} from '../support/harness';

const RECORDING = { size: 256 * 1024 + 7, seed: 1 };
const DIR = '1045001/2019-06-14/116950320375_103750100375';

async function storedDetail(h: Harness): Promise<ArchivedDetail> {
  const bytes = await h.store.get(`${DIR}/detail.json`);
  if (!bytes) throw new Error('no detail.json');
  return JSON.parse(bytes.toString('utf8')) as ArchivedDetail;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe.each([
  ['file://', false],
  ['s3rver', true],
])('archiveCall into %s', (_store, useS3) => {
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  let h: Harness;

  beforeAll(async () => {
    if (useS3) s3 = await startS3();
  });
  afterAll(async () => s3?.stop());
  beforeEach(async () => {
    h = await startHarness({ recording: RECORDING, s3Endpoint: s3?.endpoint });
  });
  afterEach(() => h.stop());

  it('given an ended call with a recording, then the recording is stored byte-identical and detail.json last', async () => {
    const outcome = await archiveCall({ ...RECORDED_CALL }, h.deps);

    expect(outcome.status).toBe('archived');
    const stored = await h.store.get(`${DIR}/recording.wav`);
    expect(stored?.equals(recordingBytes(RECORDING))).toBe(true);
    const detail = await storedDetail(h);
    expect(detail).toMatchObject({
      schemaVersion: 1,
      call: { taskId: '1045001', callId: '116950320375^103750100375', durationSeconds: 60 },
      recording: {
        key: `${DIR}/recording.wav`,
        bytes: RECORDING.size,
        sha256: recordingSha256(RECORDING),
        contentType: 'audio/wav',
        source: `${h.host.url}/alicom-fc-record-biz/${SEED_RECORDING}`,
      },
      upstreamRequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      archivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    const archivedAtMs = Date.parse(detail.archivedAt);
    expect(await h.store.list('')).toEqual([
      `${DIR}/detail.json`,
      `${DIR}/recording.wav`,
      `index/pending/date=2019-06-14/1045001_116950320375_103750100375_${archivedAtMs}.json`,
    ]);
  });

  it('given the same job twice, then the second returns at once without a lookup or a download', async () => {
    await archiveCall({ ...RECORDED_CALL }, h.deps);
    const lookups = h.dyvms.requests.length;

    const again = await archiveCall(
      { ...RECORDED_CALL, callId: '116950320375^103750100375' },
      h.deps,
    );

    expect(again.status).toBe('already-archived');
    expect(h.dyvms.requests).toHaveLength(lookups);
    expect(h.host.requests).toHaveLength(1);
  });

  it('given two runs of one job at once, then one recording and one detail.json, and no error', async () => {
    const outcomes = await Promise.all([
      archiveCall({ ...RECORDED_CALL }, h.deps),
      archiveCall({ ...RECORDED_CALL }, h.deps),
    ]);

    // The second may find the first's commit marker already there: either way, no error.
    const statuses = outcomes.map((o) => o.status).sort();
    expect([
      ['archived', 'archived'],
      ['already-archived', 'archived'],
    ]).toContainEqual(statuses);
    // Each commit writes its own index row; readers keep the later one.
    expect(await h.store.list('1045001/')).toEqual([`${DIR}/detail.json`, `${DIR}/recording.wav`]);
    expect((await storedDetail(h)).recording?.sha256).toBe(recordingSha256(RECORDING));
  });

  it('given the recording host says the URL expired, then a fresh URL is queried and the call archived', async () => {
    h.host.injectFaults({ kind: 'expired' });

    const outcome = await archiveCall({ ...RECORDED_CALL }, h.deps);

    expect(outcome.status).toBe('archived');
    expect(h.dyvms.requests).toHaveLength(2);
    expect(h.host.requests.map((r) => r.status)).toEqual([403, 200]);
  });

  it('given a URL that expires within the safety margin, then it is refreshed before any download', async () => {
    h.dyvms.useRecordingHost((name) =>
      h.host.signedUrl(name, h.dyvms.requests.length === 0 ? 60 : 3600),
    );

    await archiveCall({ ...RECORDED_CALL }, h.deps);

    expect(h.dyvms.requests).toHaveLength(2);
    expect(h.host.requests.map((r) => r.status)).toEqual([200]);
  });

  it('given every URL has expired, then the job fails retryably with a clear reason and stores nothing', async () => {
    h.dyvms.useRecordingHost((name) => h.host.signedUrl(name, -10));

    const error = await rejection(archiveCall({ ...RECORDED_CALL }, h.deps));

    expect(error).toBeInstanceOf(RecordingExpiredError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('expired') });
    expect(await h.store.list('')).toEqual([]);
  });

  it.each([
    ['a body cut short', { kind: 'truncate', afterBytes: 100_000 }],
    ['a connection reset', { kind: 'reset', afterBytes: 70_000 }],
    ['a 503', { kind: 'status', status: 503 }],
    ['a stall past the read time-out', { kind: 'stall', ms: 2_000 }],
  ] as const)(
    'given %s, then the download is retried and the call archived whole',
    async (_name, fault) => {
      h.host.injectFaults(fault);

      const outcome = await archiveCall({ ...RECORDED_CALL }, h.deps);

      expect(outcome.status).toBe('archived');
      expect((await h.store.get(`${DIR}/recording.wav`))?.equals(recordingBytes(RECORDING))).toBe(
        true,
      );
      expect(h.host.requests.length).toBe(2);
    },
  );

  it('given a short body on every attempt, then the job fails and no object is at the final key', async () => {
    h.host.injectFaults(
      { kind: 'truncate', afterBytes: 1000 },
      { kind: 'truncate', afterBytes: 1000 },
      { kind: 'truncate', afterBytes: 1000 },
    );

    const error = await rejection(archiveCall({ ...RECORDED_CALL }, h.deps));

    expect(error).toMatchObject({ code: 'RecordingDownloadFailed', retryable: true });
    expect(await h.store.list('')).toEqual([]);
    if (!useS3)
      expect(
        readdirSync(h.archiveDir, { recursive: true }).filter((f) => String(f).includes('.tmp-')),
      ).toEqual([]);
  });

  it('given throttled lookups, then the client retries and the call is archived', async () => {
    h.dyvms.injectFaults({ kind: 'throttle' }, { kind: 'business-limit' });

    await expect(archiveCall({ ...RECORDED_CALL }, h.deps)).resolves.toMatchObject({
      status: 'archived',
    });
  });
});

describe('archiveCall edge cases (file://)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ recording: RECORDING });
  });
  afterEach(() => h.stop());

  it('given recordStatus 2, then detail.json is written with recording null', async () => {
    const outcome = await archiveCall(
      { taskId: '1045001', callee: '13000000001', date: '2019-06-14' },
      h.deps,
    );

    expect(outcome.status).toBe('no-recording');
    const bytes = await h.store.get('1045001/2019-06-14/116950320376_103750100376/detail.json');
    expect(JSON.parse(String(bytes))).toMatchObject({
      recording: null,
      call: { recording: { status: 'none' } },
    });
  });

  it('given the detail is not ready yet, then it fails retryably and writes nothing', async () => {
    h.dyvms.injectFaults({ kind: 'not-ready' }, { kind: 'not-ready' }, { kind: 'not-ready' });

    const error = await rejection(archiveCall({ ...RECORDED_CALL }, h.deps));

    expect(error).toBeInstanceOf(CallNotReadyError);
    expect(error).toMatchObject({ retryable: true });
    expect(await h.store.list('')).toEqual([]);
  });

  it.each([
    ['a host outside the allow-list', 'http://evil.test/r.wav?Expires=9999999999'],
    ['an allow-listed suffix inside another host', 'http://x.aliyuncs.com.evil.test/r.wav'],
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['a file: URL', 'file:///etc/passwd'],
  ])('given recordFile pointing at %s, then it is refused without a fetch', async (_name, url) => {
    h.dyvms.useRecordingHost(() => url);
    const deps = { ...h.deps, recordingHosts: ['.aliyuncs.com', '.aliyun-inc.com'] };

    const error = await rejection(archiveCall({ ...RECORDED_CALL }, deps));

    expect(error).toBeInstanceOf(RecordingRefusedError);
    expect(error).toMatchObject({ retryable: false });
    expect(h.host.requests).toHaveLength(0);
    expect(await h.store.list('')).toEqual([]);
  });
});
