import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compactDay } from '../lib/call-index/compact';
import { openCalls } from '../lib/call-index/duckdb/calls-view';
import { listDay } from '../lib/call-index/reader';
import { type IndexRow, partsDayPrefix, pendingRowKey } from '../lib/layout/index-rows';
import { FsObjectStore } from '../lib/storage/fs-store';
import { indexRow } from '../test/support/index-rows';
import { report, say } from './common';
import { summarize } from './stats';

const DIALOG = [
  'robot: 您好，这里是某某房产，请问您最近有购房的打算吗？',
  'user: 嗯，有的，想了解一下',
  'robot: 好的，我们在滨江有一个新楼盘，均价三万五，您看周末方便来看看吗？',
  'user: 太贵了，你们再打我就投诉',
  'robot: 抱歉打扰您，祝您生活愉快',
].join('\n');

const row = (n: number): IndexRow =>
  indexRow(
    n,
    { call_id: `${116950320000 + n}^${103750100000 + n}`, dialog_text: DIALOG },
    String(1045000 + (n % 100)),
  );

/**
 * Benchmark: the call index. Compacting one day of `calls` pending rows (file://): time,
 * peak RSS, the parts' size; then `query`'s GROUP BY over `days` days of `calls` rows.
 */
export async function callIndexCost(calls: number, days: number): Promise<void> {
  say(`\n9. the call index: compacting ${calls} pending rows, a GROUP BY over ${days} days`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-index-'));
  const store = new FsObjectStore(dir);
  const day = '2019-06-14';
  for (let n = 0; n < calls; n++) {
    const r = row(n);
    const key = pendingRowKey(day, r);
    mkdirSync(join(dir, ...key.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(dir, ...key.split('/')), JSON.stringify(r));
  }
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const result = await compactDay(day, { store });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const parts = (await listDay(store, day)).parts;
  const bytes = parts.reduce((sum, key) => sum + statSync(join(dir, ...key.split('/'))).size, 0);
  report(summarize(`compact ${calls} pending rows: time`, 's', [seconds]));
  report(summarize('compact: peak RSS', 'MB', [peak / 1024 / 1024]));
  report(
    summarize(`compact: ${result.partsWritten.length} parts, total`, 'MB', [bytes / 1024 / 1024]),
  );
  // 30 days of parts: the day's parts copied under each day (the same work for DuckDB).
  const files: string[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.UTC(2019, 5, 1 + d)).toISOString().slice(0, 10);
    const folder = join(dir, ...partsDayPrefix(date).split('/'));
    mkdirSync(folder, { recursive: true });
    parts.forEach((key, i) => {
      const path = join(folder, `part-copy-${i}.parquet`);
      copyFileSync(join(dir, ...key.split('/')), path);
      files.push(path);
    });
  }
  const connection = await openCalls({ parts: files, pending: [] });
  const times: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t = performance.now();
    await connection.runAndReadAll(
      `SELECT "date", call_result, count(*), sum(duration_seconds) FROM calls GROUP BY ALL`,
    );
    times.push((performance.now() - t) / 1000);
  }
  report(summarize(`query GROUP BY over ${days} days x ${calls} calls`, 's', times));
  connection.closeSync();
  rmSync(dir, { recursive: true, force: true });
}
