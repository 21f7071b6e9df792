import { archiveCall } from '../../lib/archive/archive-call';
import { numberHash, suppressionKey, tombstoneKey } from '../../lib/layout/lifecycle';
import type { ObjectStore } from '../../lib/storage/object-store';
import { type Harness, RECORDED_CALL, startHarness } from '../support/harness';

const CALL_ID = '116950320375^103750100375';
const DIR = '1045001/2019-06-14/116950320375_103750100375';
const SECRET = 'test-audit-secret';
const JSON_TYPE = { contentType: 'application/json' };
const tombstone = JSON.stringify({
  schemaVersion: 1,
  erasedAt: '2026-12-01T00:00:00Z',
  receiptId: 'r1',
});

describe('the archive and erased calls', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  it('given a tombstone for the call, when its job comes (with or without the call id), then it ends erased and stores nothing', async () => {
    await h.store.put(tombstoneKey('1045001', '2019-06-14', CALL_ID), tombstone, JSON_TYPE);

    const named = await archiveCall({ ...RECORDED_CALL, callId: CALL_ID }, h.deps);
    const unnamed = await archiveCall({ ...RECORDED_CALL }, h.deps);

    expect(named.status).toBe('erased');
    expect(unnamed.status).toBe('erased');
    expect(await h.store.list('1045001/')).toEqual([]);
    // Before any download: the recording host was never asked.
    expect(h.host.requests.length).toBe(0);
  });

  it('given a suppressed number, when a new call to it comes, then it is refused before the upstream is asked', async () => {
    const hash = numberHash(SECRET, RECORDED_CALL.callee);
    await h.store.put(suppressionKey(hash), '{}', JSON_TYPE);
    const lookups = h.dyvms.requests.length;

    const outcome = await archiveCall(
      { ...RECORDED_CALL },
      { ...h.deps, lifecycle: { hashSecret: SECRET } },
    );

    expect(outcome.status).toBe('erased');
    expect(h.dyvms.requests.length).toBe(lookups);
    expect(await h.store.list('1045001/')).toEqual([]);
  });

  it('given RETENTION_DAYS, when a job comes for a day the sweep has let go, then it is refused as expired', async () => {
    const outcome = await archiveCall(
      { ...RECORDED_CALL },
      {
        ...h.deps,
        lifecycle: { retentionDays: 30 },
        now: () => Date.parse('2019-08-01T00:00:00Z'),
      },
    );
    const kept = await archiveCall(
      { ...RECORDED_CALL },
      {
        ...h.deps,
        lifecycle: { retentionDays: 30 },
        now: () => Date.parse('2019-07-01T00:00:00Z'),
      },
    );

    expect(outcome).toEqual({ status: 'expired', date: '2019-06-14' });
    expect(kept.status).toBe('archived');
  });

  it('given an erasure that tombstones the call while its recording downloads, then the job removes what it wrote and ends erased', async () => {
    // The store's own methods, but a put that lets an erasure in after the recording.
    const racing: ObjectStore = Object.assign(Object.create(h.store) as ObjectStore, {
      put: async (
        key: string,
        body: Parameters<ObjectStore['put']>[1],
        options: { contentType: string },
      ) => {
        const info = await h.store.put(key, body, options);
        // The erasure runs between the recording and the commit marker.
        if (key.endsWith('/recording.wav'))
          await h.store.put(tombstoneKey('1045001', '2019-06-14', CALL_ID), tombstone, JSON_TYPE);
        return info;
      },
    });

    const outcome = await archiveCall({ ...RECORDED_CALL }, { ...h.deps, store: racing });

    expect(outcome.status).toBe('erased');
    expect(await h.store.list(`${DIR}/`)).toEqual([]);
    // Its index row goes too: the erased call is in no listing.
    expect(await h.store.list('index/')).toEqual([]);
  });
});
