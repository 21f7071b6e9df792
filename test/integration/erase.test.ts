import { archiveJobOrPark } from '../../lib/archive/archive-job';
import { compactIndex } from '../../lib/call-index/compact';
import { readDay } from '../../lib/call-index/reader';
import { checkIndex } from '../../lib/call-index/rebuild';
import { forEachLimited } from '../../lib/common/for-each-limited';
import { parsePendingKey } from '../../lib/layout/index-rows';
import { numberHash, suppressionKey, tombstoneKey } from '../../lib/layout/lifecycle';
import { readAccessTrail } from '../../lib/lifecycle/access-trail';
import { erase, finishInterruptedErasures } from '../../lib/lifecycle/erase';
import {
  NotIndexedError,
  planCallErasure,
  planCalleeErasure,
} from '../../lib/lifecycle/erase-plan';
import { listReceipts } from '../../lib/lifecycle/receipts';
import { verifyArchive } from '../../lib/maintenance/verify';
import type { Dispatcher } from '../../lib/model/dispatcher';
import { silent } from '../../lib/model/progress';
import { noteFailedAttempt } from '../../lib/parking/attempts';
import { reconcileRun } from '../../lib/reconcile/reconcile';
import {
  AUDIT_SECRET,
  actor,
  addUpstreamCalls,
  archiveAll,
  CALLS,
  D1,
  D2,
  everyStoredText,
  keyOf,
  keysNaming,
  OTHER_CALLS,
  TARGET,
  TARGET_CALLS,
} from '../support/erase-fixture';
import { type Harness, startHarness, startS3 } from '../support/harness';

jest.setTimeout(60_000);

describe.each([
  ['file://', false],
  ['s3rver', true],
])('erase over %s', (_name, useS3) => {
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  let h: Harness;

  beforeAll(async () => {
    if (useS3) s3 = await startS3();
  });
  afterAll(async () => s3?.stop());
  beforeEach(async () => {
    h = await startHarness({ s3Endpoint: s3?.endpoint });
    addUpstreamCalls(h);
    await archiveAll(h);
    // D1's rows in parts, D2's still pending: the erasure rewrites the one, deletes the other.
    await compactIndex({ store: h.store }, { date: D1 });
  });
  afterEach(() => h.stop());

  it('given a callee with calls over two days and two tasks, parked records and journal entries, when erased, then no stored object names the number and everything else is intact', async () => {
    const before = await everyStoredText(h.store);
    expect(keysNaming(before, TARGET).length).toBeGreaterThan(8);
    const lifecycle = actor(h.store);

    const receipt = await erase(
      await planCalleeErasure(h.store, TARGET, AUDIT_SECRET),
      { reason: 'request 42', suppress: true },
      lifecycle,
    );
    await lifecycle.audit.flush();

    const after = await everyStoredText(h.store);
    expect(keysNaming(after, TARGET)).toEqual([]);
    // The calls' folders are gone and each has its tombstone.
    for (const call of TARGET_CALLS) {
      expect(await h.store.list(`${keyOf(call)}/`)).toEqual([]);
      expect(await h.store.head(tombstoneKey(call.taskId, call.date, call.callId))).toBeDefined();
    }
    expect(await h.store.head(suppressionKey(numberHash(AUDIT_SECRET, TARGET)))).toBeDefined();
    // The receipt counts what went: three calls, four objects (one had a recording).
    expect(receipt).toMatchObject({
      kind: 'callee',
      reason: 'request 42',
      callee: { masked: expect.stringContaining('****') },
      suppressed: true,
      held: [],
      index: { partsRewritten: 1, pendingDeleted: 1 },
      sideEntries: { rewritten: 2, deleted: 2 },
    });
    expect(receipt?.calls.map((c) => c.key).sort()).toEqual(TARGET_CALLS.map(keyOf).sort());
    expect(receipt?.calls.reduce((n, c) => n + c.objects, 0)).toBe(4);
    expect(await listReceipts(h.store)).toEqual([receipt]);
    // The others: in the index, archived, verified, and the index agrees with the archive.
    const indexed = [...(await readDay(h.store, D1)), ...(await readDay(h.store, D2))];
    expect(indexed.map((row) => row.call_id).sort()).toEqual(
      OTHER_CALLS.map((c) => c.callId).sort(),
    );
    for (const call of OTHER_CALLS)
      expect(await h.store.head(`${keyOf(call)}/detail.json`)).toBeDefined();
    const verified = await verifyArchive(h.store, { concurrency: 4 }, silent);
    expect(verified).toMatchObject({
      checked: 3,
      verified: 1,
      withoutRecording: 2,
      mismatches: [],
    });
    expect(await checkIndex(h.store, {})).toEqual([]);
    // The other callee's parked record and journal job stay.
    expect(keysNaming(after, '13700000002').some((k) => k.startsWith('_rejected/'))).toBe(true);
    expect(keysNaming(after, '13700000003').some((k) => k.startsWith('_pending/'))).toBe(true);
    const trail = await readAccessTrail(h.store, {});
    expect(trail).toEqual([
      expect.objectContaining({
        who: 'cli:test',
        action: 'erase',
        target: expect.stringContaining(receipt?.id ?? '?'),
      }),
    ]);
  });

  it('given an erased callee, when a reconcile runs over an upstream that still lists the calls, then it archives none of them', async () => {
    await erase(
      await planCalleeErasure(h.store, TARGET, AUDIT_SECRET),
      { reason: 'r' },
      actor(h.store),
    );
    const dispatched: string[] = [];
    const dispatcher: Dispatcher = {
      describe: 'test',
      async dispatch(batch) {
        await forEachLimited(batch, 4, async (job) => {
          dispatched.push(`${job.taskId}/${job.callee}`);
          await archiveJobOrPark(job, h.deps);
        });
      },
    };

    const summary = await reconcileRun({
      dyvms: h.deps.dyvms,
      store: h.store,
      dispatcher,
      lookbackHours: 48,
      pageSize: 50,
      hashSecret: AUDIT_SECRET,
    });

    expect(summary.erased).toBe(TARGET_CALLS.length);
    expect(dispatched).toEqual([]);
    expect(keysNaming(await everyStoredText(h.store), TARGET)).toEqual([]);
  });

  it('given an erasure killed after the objects went, when erase runs again, then it finishes and one receipt counts every call', async () => {
    const plan = await planCalleeErasure(h.store, TARGET, AUDIT_SECRET);
    const killed = erase(
      plan,
      { reason: 'killed' },
      {
        ...actor(h.store),
        onStep: (step) => {
          if (step === 'objects-gone') throw new Error('killed');
        },
      },
    );
    await expect(killed).rejects.toThrow('killed');
    // The index still has the rows, but they are tombstoned: the rerun's plan takes none.
    expect((await planCalleeErasure(h.store, TARGET, AUDIT_SECRET)).calls).toEqual([]);

    const finished = await finishInterruptedErasures(actor(h.store));

    expect(finished).toHaveLength(1);
    const receipts = await listReceipts(h.store);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.calls.reduce((n, c) => n + c.objects, 0)).toBe(4);
    expect(keysNaming(await everyStoredText(h.store), TARGET)).toEqual([]);
    expect(await finishInterruptedErasures(actor(h.store))).toEqual([]);
  });

  it("given one call, when erased by --call, then only that call goes and its callee's other calls stay", async () => {
    const [first, second] = TARGET_CALLS;
    if (!first || !second) throw new Error('fixture');
    // Notes of failed deliveries whose reasons name each call (never its number).
    const noteOf = async (call: typeof first) =>
      noteFailedAttempt(
        h.store,
        JSON.stringify({
          taskId: call.taskId,
          callee: call.callee,
          date: call.date,
          callId: call.callId,
        }),
        new Error(`call ${call.callId} of ${call.callee}: no answer`),
        1,
      );
    await noteOf(first);
    await noteOf(second);

    const receipt = await erase(
      await planCallErasure(h.store, keyOf(first), AUDIT_SECRET),
      { reason: 'one call' },
      actor(h.store),
    );

    const notes = await Promise.all(
      (await h.store.list('_attempts/')).map(async (key) => String(await h.store.get(key))),
    );
    expect(notes).toEqual([expect.stringContaining(second.callId)]);
    expect(notes.join('')).not.toContain(TARGET);
    expect(receipt?.calls.map((c) => c.key)).toEqual([keyOf(first)]);
    expect(await h.store.list(`${keyOf(first)}/`)).toEqual([]);
    expect(await h.store.head(`${keyOf(second)}/detail.json`)).toBeDefined();
    expect(await checkIndex(h.store, {})).toEqual([]);
  });

  it('given a day the archive has and the index does not, when erased, then it stops with NotIndexedError and erases nothing', async () => {
    const call = CALLS[1];
    if (!call) throw new Error('fixture');
    for (const key of await h.store.list(`index/pending/date=${D2}/`)) await h.store.delete(key);

    await expect(planCalleeErasure(h.store, TARGET, AUDIT_SECRET)).rejects.toThrow(NotIndexedError);
    await expect(planCallErasure(h.store, keyOf(call), AUDIT_SECRET)).rejects.toThrow(
      NotIndexedError,
    );
    expect(await h.store.list('_erased/')).toEqual([]);
  });

  it('given an erasure, when a job for the call commits beside it, then its pending index row goes with what it wrote', async () => {
    const call = TARGET_CALLS[1];
    if (!call) throw new Error('fixture');
    await erase(
      await planCallErasure(h.store, keyOf(call), AUDIT_SECRET),
      { reason: 'r' },
      actor(h.store),
    );
    const outcome = await archiveJobOrPark(call, h.deps);
    expect(outcome.status).toBe('erased');
    const rows = (await h.store.list(`index/pending/date=${D2}/`)).map(parsePendingKey);
    expect(rows.filter((row) => row?.callSegment === call.callId.replace('^', '_'))).toEqual([]);
    expect(await h.store.list(`${keyOf(call)}/`)).toEqual([]);
  });
});
