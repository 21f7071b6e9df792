import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CompactStep, compactDay, compactIndex } from '../../../lib/call-index/compact';
import { listDay, readDay, readPart } from '../../../lib/call-index/reader';
import { type IndexRow, pendingRowKey } from '../../../lib/layout/index-rows';
import { FsObjectStore } from '../../../lib/storage/fs-store';
import { dayPartsOf, indexRow } from '../../support/index-rows';

const DAY = '2019-06-14';
let dir: string;
let store: FsObjectStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'index-compact-'));
  store = new FsObjectStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function writePending(rows: IndexRow[]): Promise<void> {
  for (const row of rows) {
    await store.put(pendingRowKey(DAY, row), JSON.stringify(row), {
      contentType: 'application/json',
    });
  }
}

/** Every row the day's parts hold, duplicates included, sorted by call. */
async function partRows(): Promise<IndexRow[]> {
  const { parts } = await listDay(store, DAY);
  const rows: IndexRow[] = [];
  for (const part of parts) rows.push(...(await readPart(store, part)));
  return rows.sort((a, b) => (a.call_id < b.call_id ? -1 : 1));
}

const byCall = (rows: IndexRow[]) => [...rows].sort((a, b) => (a.call_id < b.call_id ? -1 : 1));

describe('compacting a day of the call index', () => {
  it('folds pending rows into parts of at most the limit and deletes exactly the folded keys', async () => {
    // Prepare
    const rows = Array.from({ length: 25 }, (_, n) => indexRow(n));
    await writePending(rows);
    // Act
    const result = await compactDay(DAY, { store, maxRowsPerPart: 10 });
    // Assess
    expect(result).toMatchObject({ status: 'compacted', pendingFolded: 25, rows: 25 });
    const listing = await listDay(store, DAY);
    expect(listing.pending).toEqual([]);
    expect(listing.parts).toHaveLength(3);
    expect(await partRows()).toEqual(byCall(rows));
    expect(await store.list('index/state/')).toEqual([]);
  });

  it('keeps a row written after the listing for the next run', async () => {
    await writePending([indexRow(1)]);
    const late = indexRow(2);
    await compactDay(DAY, {
      store,
      onStep: async (step) => {
        if (step === 'read') await writePending([late]);
      },
    });
    expect((await listDay(store, DAY)).pending).toEqual([pendingRowKey(DAY, late)]);
    expect(byCall(await readDay(store, DAY))).toEqual([indexRow(1), late]);
  });

  it('lets a re-archived call replace its row in the part that held it, and tops up that part', async () => {
    await writePending([indexRow(1), indexRow(2)]);
    await compactDay(DAY, { store });
    const rearchived = indexRow(1, { archived_at: '2019-06-15T00:00:00.000Z', labels: ['投诉'] });
    await writePending([rearchived, indexRow(3)]);
    const second = await compactDay(DAY, { store });
    expect(second.partsWritten).toHaveLength(1);
    expect(second.partsDeleted).toHaveLength(1);
    expect(await partRows()).toEqual([rearchived, indexRow(2), indexRow(3)]);
  });

  it('drops a pending row older than the part row of the same call', async () => {
    await writePending([indexRow(1, { archived_at: '2019-06-15T00:00:00.000Z' })]);
    await compactDay(DAY, { store });
    await writePending([indexRow(1)]);
    const result = await compactDay(DAY, { store });
    expect(result.partsWritten).toEqual([]);
    expect((await partRows())[0]?.archived_at).toBe('2019-06-15T00:00:00.000Z');
    expect((await listDay(store, DAY)).pending).toEqual([]);
  });

  it('rewrites nothing for a row written again as it was, and mends a tie that differs', async () => {
    await writePending([indexRow(1), indexRow(2)]);
    await compactDay(DAY, { store });
    await writePending([indexRow(1)]);
    const same = await compactDay(DAY, { store });
    expect(same).toMatchObject({ pendingFolded: 1, partsWritten: [], partsDeleted: [] });
    const mended = indexRow(2, { call_result: '无法接通' });
    await writePending([mended]);
    const changed = await compactDay(DAY, { store });
    expect(changed.partsWritten).toHaveLength(1);
    expect(await partRows()).toEqual([indexRow(1), mended]);
  });

  it('answers busy while another compactor holds the day, and takes over an expired lease', async () => {
    await writePending([indexRow(1)]);
    let release: () => void = () => undefined;
    const frozen = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = compactDay(DAY, { store, runId: 'first', onStep: () => frozen });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(compactDay(DAY, { store, runId: 'second' })).resolves.toMatchObject({
      status: 'busy',
    });
    const later = () => Date.now() + 16 * 60_000;
    await expect(compactDay(DAY, { store, runId: 'third', now: later })).resolves.toMatchObject({
      status: 'compacted',
    });
    release();
    await first;
    expect(byCall(await readDay(store, DAY))).toEqual([indexRow(1)]);
  });
});

describe('a compaction that dies at any step', () => {
  const steps: CompactStep[] = [
    'listed',
    'read',
    'part-written',
    'parts-deleted',
    'pending-deleted',
  ];

  it.each(steps)(
    'loses nothing when it stops after %s, and the next run leaves each call once',
    async (stop) => {
      // Prepare: a day with parts already, a re-archive and new calls pending.
      await writePending([indexRow(1), indexRow(2), indexRow(3)]);
      await compactDay(DAY, { store, maxRowsPerPart: 2 });
      const rearchived = indexRow(2, { archived_at: '2019-06-16T00:00:00.000Z' });
      await writePending([rearchived, indexRow(4), indexRow(5)]);
      const expected = [indexRow(1), rearchived, indexRow(3), indexRow(4), indexRow(5)];
      // Act: a run that never gets past `stop` (its process is gone: no finally, lease kept).
      void compactDay(DAY, {
        store,
        runId: 'killed',
        maxRowsPerPart: 2,
        onStep: (step) => (step === stop ? new Promise<void>(() => undefined) : undefined),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Assess: readers see every call once at once, and after the next run so do the parts.
      expect(byCall(await readDay(store, DAY))).toEqual(expected);
      const later = () => Date.now() + 16 * 60_000;
      await compactIndex({ store, now: later, maxRowsPerPart: 2 });
      await compactDay(DAY, { store, now: later, maxRowsPerPart: 2 });
      expect(await partRows()).toEqual(expected);
      expect((await listDay(store, DAY)).pending).toEqual([]);
    },
  );

  it('two compactions at once (the lease taken over mid-run) lose nothing, and a third run dedupes', async () => {
    await writePending([indexRow(1), indexRow(2)]);
    await compactDay(DAY, { store });
    await writePending([indexRow(3)]);
    let release: () => void = () => undefined;
    const frozen = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = compactDay(DAY, {
      store,
      runId: 'slow',
      onStep: (step) => (step === 'read' ? frozen : undefined),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writePending([indexRow(4)]);
    const later = () => Date.now() + 16 * 60_000;
    await compactDay(DAY, { store, runId: 'fast', now: later });
    release();
    await slow;
    const expected = [1, 2, 3, 4].map((n) => indexRow(n));
    expect(byCall(await readDay(store, DAY))).toEqual(expected);
    await compactDay(DAY, { store, now: later });
    expect(await partRows()).toEqual(expected);
  });
});

describe('a scheduled compaction run', () => {
  const NOW = Date.parse('2019-06-14T08:00:00.000Z');

  it('given pending rows, when it runs, then it notes how it ended in index/state/last-compaction.json', async () => {
    await writePending([indexRow(1), indexRow(2)]);

    await compactIndex({ store, now: () => NOW });

    expect(JSON.parse(String(await store.get('index/state/last-compaction.json')))).toEqual({
      finishedAt: '2019-06-14T08:00:00.000Z',
      ok: true,
      days: [DAY],
      pendingFolded: 2,
    });
  });

  it('given a store whose listing fails, when it runs, then the run fails and the note says why', async () => {
    const broken = Object.assign(Object.create(store) as FsObjectStore, {
      listDirs: async () => Promise.reject(new Error('listing refused')),
    });

    await expect(compactIndex({ store: broken, now: () => NOW })).rejects.toThrow(
      'listing refused',
    );

    expect(JSON.parse(String(await store.get('index/state/last-compaction.json')))).toMatchObject({
      ok: false,
      error: 'listing refused',
    });
  });
});

describe('what a compaction vouches for', () => {
  const listOf = (part: string) => dayPartsOf(store, part);

  it('given parts it keeps and parts it writes, then each part it writes names them all', async () => {
    // Prepare: two full parts of one row, then a re-archive of the second call.
    await writePending([indexRow(1), indexRow(2)]);
    await compactDay(DAY, { store, maxRowsPerPart: 1 });
    const rearchived = indexRow(2, { archived_at: '2019-06-15T00:00:00.000Z' });
    await writePending([rearchived, indexRow(3)]);
    // Act
    const second = await compactDay(DAY, { store, maxRowsPerPart: 1 });
    // Assess
    const names = (await listDay(store, DAY)).parts.map((key) => key.split('/').at(-1)).sort();
    expect(names).toHaveLength(3);
    for (const part of second.partsWritten) expect(await listOf(part)).toEqual(names);
  });
});
