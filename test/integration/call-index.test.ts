import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArchivedDetail, archiveCall } from '../../lib/archive/archive-call';
import { compactIndex } from '../../lib/call-index/compact';
import { openCalls } from '../../lib/call-index/duckdb/calls-view';
import {
  cachedIndex,
  inPlaceIndex,
  type LocalIndex,
} from '../../lib/call-index/duckdb/local-index';
import { runQuery } from '../../lib/call-index/duckdb/query-output';
import { listDay } from '../../lib/call-index/reader';
import { checkIndex, rebuildIndex } from '../../lib/call-index/rebuild';
import { pendingRowKey } from '../../lib/layout/index-rows';
import { type Harness, startHarness, startS3 } from '../support/harness';
import { indexRow } from '../support/index-rows';

jest.setTimeout(60_000);

const DAY = '2019-06-14';
const JOBS = [
  { taskId: '1045001', callee: '13000000000', date: DAY },
  { taskId: '1045001', callee: '13000000001', date: DAY },
  { taskId: '90071992547409931234', callee: '13000000002', date: DAY },
];

async function detailsOf(h: Harness): Promise<Map<string, { key: string; doc: ArchivedDetail }>> {
  const out = new Map<string, { key: string; doc: ArchivedDetail }>();
  for (const key of (await h.store.list('')).filter((k) => k.endsWith('/detail.json'))) {
    const doc = JSON.parse(String(await h.store.get(key))) as ArchivedDetail;
    out.set(doc.call.callId, { key, doc });
  }
  return out;
}

const instant = (value: string | null) => (value === null ? null : new Date(value).getTime());

describe.each([
  ['file://', false],
  ['s3rver', true],
])('the call index over %s', (_name, useS3) => {
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  let h: Harness;
  let cache: string;

  beforeAll(async () => {
    if (useS3) s3 = await startS3();
  });
  afterAll(async () => s3?.stop());
  beforeEach(async () => {
    h = await startHarness({ s3Endpoint: s3?.endpoint });
    cache = mkdtempSync(join(tmpdir(), 'index-cache-'));
    for (const job of JOBS) await archiveCall(job, h.deps);
  });
  afterEach(async () => {
    rmSync(cache, { recursive: true, force: true });
    await h.stop();
  });

  const localIndex = (): Promise<LocalIndex> =>
    useS3
      ? cachedIndex(h.store, h.env.ARCHIVE_URL as string, cache, {})
      : inPlaceIndex(h.store, h.archiveDir, {});

  it('given archived calls, when compacted, then DuckDB reads every column as detail.json has it', async () => {
    // Prepare
    const results = await compactIndex({ store: h.store });
    expect(results.map((r) => r.pendingFolded)).toEqual([3]);
    expect((await listDay(h.store, DAY)).pending).toEqual([]);
    // Act
    const connection = await openCalls(await localIndex());
    const answer = await runQuery(
      connection,
      `SELECT *, epoch_ms(started_at) AS s, epoch_ms(ended_at) AS e, epoch_ms(archived_at) AS a,
        typeof(started_at) AS ts_type, typeof(labels) AS labels_type FROM calls ORDER BY call_id`,
    );
    // Assess
    const details = await detailsOf(h);
    expect(answer.rows).toHaveLength(3);
    for (const values of answer.rows) {
      const row = Object.fromEntries(answer.columns.map((c, i) => [c, values[i]]));
      const found = details.get(String(row.call_id));
      if (!found) throw new Error(`no detail.json for ${row.call_id}`);
      const { call, recording, archivedAt } = found.doc;
      expect(row).toMatchObject({
        date: DAY,
        task_id: call.taskId,
        callee: call.callee,
        caller: call.caller,
        duration_seconds: call.durationSeconds,
        dialog_count: call.dialogCount,
        recall_count: call.recallCount,
        call_result: call.callResult,
        hangup_by: call.hangupBy,
        transfer_status: call.transfer.status,
        labels: call.labels,
        dialog_text: call.dialog.map((t) => `${t.role}: ${t.content}`).join('\n'),
        recording_key: recording?.key ?? null,
        recording_sha256: recording?.sha256 ?? null,
        recording_content_type: recording?.contentType ?? null,
        recording_bytes: recording ? String(recording.bytes) : null,
        detail_key: found.key,
        ts_type: 'TIMESTAMP WITH TIME ZONE',
        labels_type: 'VARCHAR[]',
      });
      expect(row.s === null ? null : Number(row.s)).toBe(instant(call.startedAt));
      expect(row.e === null ? null : Number(row.e)).toBe(instant(call.endedAt));
      expect(Number(row.a)).toBe(instant(archivedAt));
    }
  });

  it('given a call re-archived after compaction, then the view shows its newer row once', async () => {
    await compactIndex({ store: h.store });
    const [first] = [...(await detailsOf(h)).values()];
    if (!first) throw new Error('nothing archived');
    const newer = {
      ...indexRow(1),
      task_id: first.doc.call.taskId,
      call_id: first.doc.call.callId,
      call_result: 'rearchived',
      archived_at: '2030-01-01T00:00:00.000Z',
    };
    await h.store.put(pendingRowKey(DAY, newer), JSON.stringify(newer), { contentType: 'x' });
    const connection = await openCalls(await localIndex());
    const answer = await runQuery(
      connection,
      `SELECT count(*) AS n, count(*) FILTER (WHERE call_result = 'rearchived') AS r FROM calls`,
    );
    expect(answer.rows).toEqual([['3', '1']]);
  });

  it('index check names a removed row, a stray row and a changed one, and rebuild mends them', async () => {
    // Prepare: compact, then break the index three ways through pending rows and parts.
    await compactIndex({ store: h.store });
    expect(await checkIndex(h.store, { date: DAY })).toEqual([]);
    const details = [...(await detailsOf(h)).values()];
    const [removed, changed] = details;
    if (!removed || !changed) throw new Error('too few calls');
    await h.store.delete(removed.key.replace('/detail.json', '/recording.wav'));
    await h.store.delete(removed.key);
    const stray = indexRow(7);
    await h.store.put(pendingRowKey(DAY, stray), JSON.stringify(stray), { contentType: 'x' });
    const edited = { ...changed.doc, call: { ...changed.doc.call, callResult: 'edited' } };
    await h.store.put(changed.key, JSON.stringify(edited), { contentType: 'x' });
    // Act
    const lines = await checkIndex(h.store, { date: DAY });
    // Assess
    expect(lines.map((d) => `${d.kind} ${d.taskId}/${d.date}/${d.callId}`).sort()).toEqual(
      [
        `differs ${changed.doc.call.taskId}/${DAY}/${changed.doc.call.callId}`,
        `stray ${removed.doc.call.taskId}/${DAY}/${removed.doc.call.callId}`,
        `stray ${stray.task_id}/${DAY}/${stray.call_id}`,
      ].sort(),
    );
    const summary = await rebuildIndex(h.store, { from: DAY, to: DAY });
    expect(summary).toMatchObject({ days: 1, rows: 2, unreadable: [], busy: [] });
    expect(await checkIndex(h.store, { date: DAY })).toEqual([]);
  });

  it('given a call whose row is missing, then index check says missing', async () => {
    const { pending } = await listDay(h.store, DAY);
    const [gone] = pending;
    if (!gone) throw new Error('no pending rows');
    await h.store.delete(gone);
    const lines = await checkIndex(h.store, { date: DAY });
    expect(lines.map((d) => d.kind)).toEqual(['missing']);
  });
});
