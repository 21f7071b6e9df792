import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactDay } from '../../lib/call-index/compact';
import { declaredParts, openCalls } from '../../lib/call-index/duckdb/calls-view';
import { inPlaceIndex } from '../../lib/call-index/duckdb/local-index';
import { runQuery } from '../../lib/call-index/duckdb/query-output';
import { daysWithoutDuplicates } from '../../lib/call-index/part-sets';
import { listDay } from '../../lib/call-index/reader';
import { type IndexRow, pendingRowKey } from '../../lib/layout/index-rows';
import { FsObjectStore } from '../../lib/storage/fs-store';
import { indexRow } from '../support/index-rows';

jest.setTimeout(60_000);

const later = (row: IndexRow, minutes: number) =>
  new Date(Date.parse(row.archived_at) + minutes * 60_000).toISOString();

describe('the calls view over several days (file://)', () => {
  let dir: string;
  let store: FsObjectStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'calls-view-'));
    store = new FsObjectStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const pend = async (date: string, ...rows: IndexRow[]) => {
    for (const row of rows)
      await store.put(pendingRowKey(date, row), JSON.stringify(row), {
        contentType: 'application/json',
      });
  };
  const view = async (sql: string) => {
    const connection = await openCalls(await inPlaceIndex(store, dir, {}));
    const answer = await runQuery(connection, sql);
    connection.closeSync();
    return answer.rows;
  };

  it('given parts and pending rows on four days, then each call once: the greater archived_at wins, a tie goes to the pending row', async () => {
    // Prepare. 06-14: one compaction's part (its writer vouches for it), then a newer row,
    // a tie and an older row of three of its calls, and a new call, all pending.
    const a = [1, 2, 3, 4].map((n) => indexRow(n, { call_result: 'part' }));
    await pend('2019-06-14', ...a);
    await compactDay('2019-06-14', { store });
    const [a1, a2, a3] = a as [IndexRow, IndexRow, IndexRow];
    await pend(
      '2019-06-14',
      { ...a1, call_result: 'newer', archived_at: later(a1, 5) },
      { ...a2, call_result: 'tie' },
      { ...a3, call_result: 'older', archived_at: later(a3, -5) },
      indexRow(5, { call_result: 'pending' }),
    );
    // 06-15: a compaction killed after writing its part leaves a call in two parts, then a
    // tie with the newer part row is pending.
    const b = [11, 12].map((n) => indexRow(n, { call_result: 'part' }));
    await pend('2019-06-15', ...b);
    await compactDay('2019-06-15', { store });
    const [b11, b12] = b as [IndexRow, IndexRow];
    const b11Newer = { ...b11, call_result: 'newer', archived_at: later(b11, 5) };
    await pend('2019-06-15', b11Newer);
    const kill = () => {
      throw new Error('killed');
    };
    const onStep = (step: string) => (step === 'part-written' ? kill() : undefined);
    await expect(compactDay('2019-06-15', { store, onStep })).rejects.toThrow('killed');
    expect((await listDay(store, '2019-06-15')).parts).toHaveLength(2);
    await pend('2019-06-15', { ...b11Newer, call_result: 'tie' }, { ...b12, call_result: 'tie' });
    // 06-13: compacted, nothing pending since.
    await pend(
      '2019-06-13',
      indexRow(31, { call_result: 'part' }),
      indexRow(32, { call_result: 'part' }),
    );
    await compactDay('2019-06-13', { store });
    // 06-16: pending only, a call archived twice.
    const c = indexRow(21, { call_result: 'first' });
    await pend('2019-06-16', c, { ...c, call_result: 'second', archived_at: later(c, 1) });
    const connection = await openCalls({ parts: [], pending: [] });
    const { parts } = await inPlaceIndex(store, dir, {});
    expect(daysWithoutDuplicates(await declaredParts(connection, parts))).toEqual(
      new Set(['2019-06-13', '2019-06-14']),
    );
    // Act
    const rows = await view(
      `SELECT "date", call_id, call_result FROM calls ORDER BY "date", call_id`,
    );
    // Assess
    const id = (n: number) => indexRow(n).call_id;
    expect(rows).toEqual([
      ['2019-06-13', id(31), 'part'],
      ['2019-06-13', id(32), 'part'],
      ['2019-06-14', id(1), 'newer'],
      ['2019-06-14', id(2), 'tie'],
      ['2019-06-14', id(3), 'part'],
      ['2019-06-14', id(4), 'part'],
      ['2019-06-14', id(5), 'pending'],
      ['2019-06-15', id(11), 'tie'],
      ['2019-06-15', id(12), 'tie'],
      ['2019-06-16', id(21), 'second'],
    ]);
  });

  it('given a day of several parts one compaction vouched for, then its rows read as they are', async () => {
    // Prepare: parts of one row each, so the day has three.
    const rows = [1, 2, 3].map((n) => indexRow(n));
    await pend('2019-06-14', ...rows);
    await compactDay('2019-06-14', { store, maxRowsPerPart: 1 });
    expect((await listDay(store, '2019-06-14')).parts).toHaveLength(3);
    await pend('2019-06-14', {
      ...indexRow(2),
      call_result: 'newer',
      archived_at: later(indexRow(2), 1),
    });
    // Act
    const answer = await view(`SELECT call_result, count(*) FROM calls GROUP BY ALL ORDER BY ALL`);
    // Assess
    expect(answer).toEqual([
      ['newer', '1'],
      ['已接通', '2'],
    ]);
  });
});
