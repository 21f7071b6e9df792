import type { S3Client } from '@aws-sdk/client-s3';
import { type ArchivedDetail, archiveCall } from '../../lib/archive/archive-call';
import { pendingDayPrefix } from '../../lib/layout/index-rows';
import { verifyArchive } from '../../lib/maintenance/verify';
import { silent } from '../../lib/model/progress';
import { type Harness, RECORDED_CALL, startHarness, startS3 } from '../support/harness';

const DIR = '1045001/2019-06-14/116950320375_103750100375';
const CALL_ID = '116950320375^103750100375';
const RECORDING = { size: 100 * 1024 + 3, seed: 9 };

/** Every request the store's S3 client sends to s3rver, with the bytes each answer carried. */
function countRequests(h: Harness): { command: string; bytes: number }[] {
  const seen: { command: string; bytes: number }[] = [];
  const client = (h.store as unknown as { client: S3Client }).client;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { ContentLength?: number };
      seen.push({
        command: String(context.commandName),
        bytes: context.commandName === 'GetObjectCommand' ? (output.ContentLength ?? 0) : 0,
      });
      return result;
    },
    { step: 'initialize', name: 'countForTest' },
  );
  return seen;
}

async function detail(h: Harness): Promise<ArchivedDetail> {
  return JSON.parse(String(await h.store.get(`${DIR}/detail.json`))) as ArchivedDetail;
}

describe('the duplicate check against s3rver', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let h: Harness;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(() => s3.stop());
  beforeEach(async () => {
    h = await startHarness({ s3Endpoint: s3.endpoint, recording: RECORDING });
  });
  afterEach(() => h.stop());

  it('given an archived call, when its job comes again, then one GET of detail.json, one HEAD of the recording and one of the index row, and no GET of the recording', async () => {
    await archiveCall({ ...RECORDED_CALL }, h.deps);
    const requests = countRequests(h);

    const again = await archiveCall({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);

    expect(again.status).toBe('already-archived');
    // The marker (GET) and the recording (HEAD); then the already-archived path makes sure the
    // call's index row exists from the marker it read (DESIGN "The call index": HEAD of the row).
    expect(requests.map((r) => r.command)).toEqual([
      'GetObjectCommand',
      'HeadObjectCommand',
      'HeadObjectCommand',
    ]);
    expect(requests.reduce((n, r) => n + r.bytes, 0)).toBeLessThan(64 * 1024);
    expect((await detail(h)).recording?.storeTag).toMatch(/^[0-9a-f]{32}$/);
  });

  it('given a crash lost the index row after the marker, when the job comes again, then the row is written from the marker read', async () => {
    await archiveCall({ ...RECORDED_CALL }, h.deps);
    const [row] = await h.store.list(pendingDayPrefix('2019-06-14'));
    if (!row) throw new Error('no pending row');
    const written = String(await h.store.get(row));
    await h.store.delete(row);

    const again = await archiveCall({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);

    expect(again.status).toBe('already-archived');
    expect(await h.store.list(pendingDayPrefix('2019-06-14'))).toEqual([row]);
    expect(String(await h.store.get(row))).toBe(written);
  });

  it('given the recording was replaced by other bytes of the same size, then the call is not taken as archived', async () => {
    await archiveCall({ ...RECORDED_CALL }, h.deps);
    await h.store.put(`${DIR}/recording.wav`, Buffer.alloc(RECORDING.size, 1), {
      contentType: 'audio/wav',
    });

    const again = await archiveCall({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);

    expect(again.status).toBe('archived');
  });

  it('given a detail.json written before storeTag existed, then it counts as archived when the size matches', async () => {
    await archiveCall({ ...RECORDED_CALL }, h.deps);
    const old = await detail(h);
    delete (old.recording as { storeTag?: string }).storeTag;
    await h.store.put(`${DIR}/detail.json`, JSON.stringify(old), {
      contentType: 'application/json',
    });

    const again = await archiveCall({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);

    expect(again.status).toBe('already-archived');
  });

  it('given a recording whose bytes changed behind the archive, then verify re-reads it and names the mismatch', async () => {
    await archiveCall({ ...RECORDED_CALL }, h.deps);
    const clean = await verifyArchive(h.store, { taskId: '1045001', concurrency: 2 }, silent);
    await h.store.put(`${DIR}/recording.wav`, Buffer.alloc(RECORDING.size, 7), {
      contentType: 'audio/wav',
    });

    const dirty = await verifyArchive(h.store, { taskId: '1045001', concurrency: 2 }, silent);

    expect(clean).toMatchObject({ checked: 1, verified: 1, mismatches: [] });
    expect(dirty.mismatches).toEqual([
      {
        detailKey: `${DIR}/detail.json`,
        reason: expect.stringMatching(/^SHA-256 [0-9a-f]{64} stored/),
      },
    ]);
  });
});
