import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import { compactDay } from '../lib/call-index/compact';
import { callsViewSql, openCalls, partsSql, pendingSql } from '../lib/call-index/duckdb/calls-view';
import type { LocalIndex } from '../lib/call-index/duckdb/local-index';
import { listDay } from '../lib/call-index/reader';
import {
  DAY_PARTS_METADATA_KEY,
  type IndexRow,
  partsDayPrefix,
  pendingRowKey,
} from '../lib/layout/index-rows';
import { FsObjectStore } from '../lib/storage/fs-store';
import { MB, report, say } from './common';
import { withPeakRss } from './peak-rss';
import { realisticRow } from './realistic-rows';
import { summarize } from './stats';

const DAY = '2019-06-30';
const GROUP_BY = `SELECT "date", call_result, count(*) AS calls, sum(duration_seconds) AS seconds
  FROM calls GROUP BY ALL ORDER BY ALL`;
const path = (dir: string, key: string) => join(dir, ...key.split('/'));
const dayOf = (d: number) => new Date(Date.UTC(2019, 5, 1 + d)).toISOString().slice(0, 10);
const taskOf = (n: number) => String(1045000 + (n % 100));

function writeRow(dir: string, date: string, row: IndexRow): number {
  const file = path(dir, pendingRowKey(date, row));
  mkdirSync(join(file, '..'), { recursive: true });
  const text = `${JSON.stringify(row)}\n`;
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}

/** The `calls` view as it was (the baseline): one window over every row read, across days. */
const wholeWindowSql = (index: LocalIndex): string[] => [
  `SET TimeZone = 'Asia/Shanghai'`,
  `CREATE OR REPLACE TEMP VIEW calls AS
    SELECT * EXCLUDE (_pending, _rank) FROM (
      SELECT *, row_number() OVER (
        PARTITION BY task_id, call_id ORDER BY archived_at DESC, _pending DESC) AS _rank
      FROM (
        SELECT *, 0 AS _pending FROM (${partsSql(index.parts)})
        UNION ALL BY NAME
        SELECT *, 1 AS _pending FROM (${pendingSql(index.pending)})
      )
    ) WHERE _rank = 1`,
];

/** The same window, the pending rows read once by one thread as the view reads them. */
function wholeWindowOncePendingSql(index: LocalIndex): string[] {
  const [timeZone, one, table, reset] = callsViewSql({ parts: [], pending: index.pending });
  const view = wholeWindowSql({ parts: index.parts, pending: [] })[1]?.replace(
    /SELECT \*, 1 AS _pending FROM \(SELECT .* WHERE false\)/s,
    'SELECT *, 1 AS _pending FROM _pending_rows',
  );
  return [timeZone, one, table, reset, view].map((sql) => sql ?? '');
}

async function connectionWith(statements: string[]): Promise<DuckDBConnection> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  for (const sql of statements) await connection.run(sql);
  return connection;
}

/**
 * Compacting one day of `calls` pending rows with realistic dialogs (file://): time, peak
 * RSS, the parts' size and the rows' own. Answers the day's parts.
 */
async function compaction(dir: string, calls: number): Promise<string[]> {
  const store = new FsObjectStore(dir);
  let rowBytes = 0;
  for (let n = 0; n < calls; n++) rowBytes += writeRow(dir, DAY, realisticRow(n, DAY, taskOf(n)));
  const { seconds, peakMb, value } = await withPeakRss(() => compactDay(DAY, { store }));
  const parts = (await listDay(store, DAY)).parts;
  const bytes = parts.reduce((sum, key) => sum + statSync(path(dir, key)).size, 0);
  report(summarize(`compact ${calls} pending rows: time`, 's', [seconds]));
  report({
    ...summarize('compact: peak RSS', 'MB', [peakMb]),
    target: '<= 512',
    met: peakMb <= 512,
  });
  report(summarize(`compact: ${value.partsWritten.length} parts, total`, 'MB', [bytes / MB]));
  report(summarize('an index row (pending JSON), mean', 'bytes', [rowBytes / calls]));
  return parts;
}

/**
 * 30 days: the compacted day, and 29 days of its parts rewritten by DuckDB with their own
 * call ids (a call lives in one day), each vouched for as a compaction vouches; on the last
 * day a compaction interval's pending rows: 1,000 re-archives, 500 ties, 500 new calls.
 */
async function thirtyDays(dir: string, day0: string[], days: number): Promise<LocalIndex> {
  const duck = await connectionWith([]);
  const parts = day0.map((key) => path(dir, key));
  for (let d = 0; d < days - 1; d++) {
    const folder = path(dir, partsDayPrefix(dayOf(d)));
    mkdirSync(folder, { recursive: true });
    const names = day0.map((_, i) => `part-copy-${i}.parquet`);
    for (const [i, name] of names.entries()) {
      await duck.run(`COPY (SELECT * REPLACE (call_id || '-${d}' AS call_id)
        FROM read_parquet('${parts[i]}', hive_partitioning = false)) TO '${join(folder, name)}'
        (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 20000,
         KV_METADATA {'${DAY_PARTS_METADATA_KEY}': '${JSON.stringify(names)}'})`);
      parts.push(join(folder, name));
    }
  }
  duck.closeSync();
  const pending: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const n = i < 1500 ? i * 50 : 10_000_000 + i;
    const row = { ...realisticRow(n, DAY, taskOf(n)), call_result: 'pending' };
    if (i < 1000) row.archived_at = new Date(Date.parse(row.archived_at) + 3_600_000).toISOString();
    writeRow(dir, DAY, row);
    pending.push(path(dir, pendingRowKey(DAY, row)));
  }
  return { parts, pending };
}

/** `query`'s GROUP BY, opening the view and answering as the CLI does, three times. */
async function timeQuery(open: () => Promise<DuckDBConnection>) {
  const times: number[] = [];
  let answer = '';
  for (let rep = 0; rep < 3; rep++) {
    const t = performance.now();
    const connection = await open();
    answer = JSON.stringify((await connection.runAndReadAll(GROUP_BY)).getRowsJson());
    times.push((performance.now() - t) / 1000);
    connection.closeSync();
  }
  return { times, answer };
}

async function groupBy(index: LocalIndex, days: number, calls: number): Promise<void> {
  const label = `query GROUP BY over ${days} days x ${calls} calls + 2,000 pending`;
  const old = await timeQuery(() => connectionWith(wholeWindowSql(index)));
  const once = await timeQuery(() => connectionWith(wholeWindowOncePendingSql(index)));
  const perDay = await timeQuery(() => connectionWith(callsViewSql(index)));
  const view = await timeQuery(() => openCalls(index));
  if ([once, perDay, view].some((run) => run.answer !== old.answer))
    throw new Error('the views answer differently: the dedupe is wrong');
  const baseline = summarize(
    `${label}: one window over all rows (the view before)`,
    's',
    old.times,
  );
  report(baseline);
  for (const [name, run] of [
    ['the same, pending rows read once by one thread', once],
    ['a window per day over all rows (pending read once)', perDay],
    ['the view: vouched parts as they are, contested calls ranked', view],
  ] as const) {
    const figure = summarize(`${label}: ${name}`, 's', run.times);
    report({
      ...figure,
      ratio: figure.median / baseline.median,
      baseline: 'the view before',
      target: '<= 2 s',
      met: figure.median <= 2,
    });
  }
}

/**
 * Benchmark 9. the call index: compacting a day of `calls` pending rows, then `query`'s
 * GROUP BY over `days` days of `calls` calls, the view against the one it replaced.
 */
export async function callIndexCost(calls: number, days: number): Promise<void> {
  say(`\n9. the call index: compacting ${calls} pending rows, a GROUP BY over ${days} days`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-index-'));
  try {
    const day0 = await compaction(dir, calls);
    await groupBy(await thirtyDays(dir, day0, days), days, calls);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
