import { compactIndex } from '../../lib/call-index/compact';
import { readDay } from '../../lib/call-index/reader';
import { checkIndex } from '../../lib/call-index/rebuild';
import { erase } from '../../lib/lifecycle/erase';
import { planCalleeErasure } from '../../lib/lifecycle/erase-plan';
import { placeHold, releaseHold } from '../../lib/lifecycle/holds';
import { listReceipts } from '../../lib/lifecycle/receipts';
import { sweepRetention } from '../../lib/lifecycle/retention';
import { runRetention } from '../../lib/lifecycle/retention-run';
import { noteFailedAttempt } from '../../lib/parking/attempts';
import { functionServices, retentionServices } from '../../lib/platform/wiring';
import {
  AUDIT_SECRET as AUDIT_HASH_SECRET,
  AUDIT_SECRET,
  actor,
  addUpstreamCalls,
  archiveAll,
  CALLS,
  D1,
  D2,
  keyOf,
  TARGET,
  TARGET_CALLS,
} from '../support/erase-fixture';
import { type Harness, startHarness, startS3 } from '../support/harness';

jest.setTimeout(60_000);

/** A week after the calls: RETENTION_DAYS=3 lets both days go. */
const LATER = Date.now() + 7 * 86_400_000;

describe.each([
  ['file://', false],
  ['s3rver', true],
])('holds and the retention sweep over %s', (_name, useS3) => {
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
    await compactIndex({ store: h.store }, { date: D1 });
  });
  afterEach(() => h.stop());

  it('given a held call, when its callee is erased and then the sweep runs, then it survives both; released, the next sweep takes it', async () => {
    const [held] = TARGET_CALLS;
    if (!held) throw new Error('fixture');
    const hold = await placeHold({ call: keyOf(held) }, 'dispute 7', actor(h.store));
    // A note of a failed delivery its job never came back for (no number in it).
    const stray = JSON.stringify({ taskId: held.taskId, callee: held.callee, date: D1 });
    await noteFailedAttempt(h.store, stray, new Error(`no answer for ${held.callee}`), 1);

    const erased = await erase(
      await planCalleeErasure(h.store, TARGET, AUDIT_SECRET),
      { reason: 'request 42' },
      actor(h.store),
    );
    const swept = await sweepRetention(
      3,
      actor(h.store, () => LATER),
    );

    expect(erased?.held).toEqual([keyOf(held)]);
    expect(erased?.calls).toHaveLength(TARGET_CALLS.length - 1);
    expect(swept.receipts).toHaveLength(1);
    expect(swept.receipts[0]).toMatchObject({
      kind: 'retention',
      held: [keyOf(held)],
      days: [D1, D2],
    });
    expect(swept.receipts[0]?.calls).toHaveLength(CALLS.length - TARGET_CALLS.length);
    expect(await h.store.head(`${keyOf(held)}/detail.json`)).toBeDefined();
    expect((await readDay(h.store, held.date)).map((row) => row.call_id)).toEqual([held.callId]);
    // The days' side prefixes went with their calls; the receipts stay.
    expect(await h.store.list('_rejected/')).toEqual([]);
    expect(await h.store.list('_attempts/')).toEqual([]);
    expect(await h.store.list('_audit/access/')).toEqual([]);
    expect(await listReceipts(h.store)).toHaveLength(2);

    await releaseHold(hold.id, actor(h.store));
    const after = await sweepRetention(
      3,
      actor(h.store, () => LATER),
    );

    expect(after.receipts[0]?.calls.map((c) => c.key)).toEqual([keyOf(held)]);
    expect(await h.store.list(`${keyOf(held)}/`)).toEqual([]);
    expect(await readDay(h.store, held.date)).toEqual([]);
    expect(await checkIndex(h.store, {})).toEqual([]);
  });

  it('given a dry run, then it names what would go and writes nothing; given nothing due, then no receipt', async () => {
    const before = (await h.store.list('')).length;

    const dry = await sweepRetention(
      3,
      actor(h.store, () => LATER),
      { dryRun: true },
    );
    const idle = await sweepRetention(30, actor(h.store));

    expect(dry.plan.calls).toHaveLength(CALLS.length);
    expect(dry.sideFolders).toEqual(
      expect.arrayContaining([`_rejected/${D1}/`, `_rejected/${D2}/`]),
    );
    expect(idle.receipts).toEqual([]);
    expect((await h.store.list('')).length).toBe(before);
  });
});

describe('the retention function', () => {
  it('given RETENTION_DAYS unset, then a run keeps everything and needs no AUDIT_HASH_SECRET; given it set, then it sweeps and, nothing being due yet, writes no receipt', async () => {
    const h = await startHarness();
    try {
      addUpstreamCalls(h);
      await archiveAll(h);
      const keep = functionServices(retentionServices, { ...h.env, VMS_SANDBOX: '' });
      const sweep = functionServices(retentionServices, {
        ...h.env,
        RETENTION_DAYS: '3',
        AUDIT_HASH_SECRET,
      });

      const kept = await runRetention(keep.for());
      const swept = await runRetention(sweep.for());

      expect(kept).toEqual({
        status: 'keep-forever',
        calls: 0,
        held: 0,
        sideFolders: 0,
        receipts: [],
      });
      // Today's calls are inside three days: nothing due, no receipt.
      expect(swept).toMatchObject({ status: 'swept', calls: 0, receipts: [] });
      expect(await listReceipts(h.store)).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
