import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { S3Client } from '@aws-sdk/client-s3';
import { findCalls, SUMMARY_COLUMNS } from '../lib/browse/find-calls';
import { callMatcher } from '../lib/call-index/call-filters';
import { encodePart } from '../lib/call-index/parquet';
import { readDayColumns } from '../lib/call-index/reader';
import { type IndexRow, partKey, pendingRowKey } from '../lib/layout/index-rows';
import { FsObjectStore } from '../lib/storage/fs-store';
import type { ObjectStore } from '../lib/storage/object-store';
import { openStore } from '../lib/storage/open-store';
import { BUCKET, startS3 } from '../test/support/harness';
import { indexRow } from '../test/support/index-rows';
import { report, say } from './common';
import { summarize } from './stats';

const DAY = '2019-06-20';
const PART_ROWS = 20_000;
const PARQUET = { contentType: 'application/vnd.apache.parquet' };
const JSON_TYPE = { contentType: 'application/json' };
const S3_OPTIONS = { awsRegion: 'us-east-1', ossRegion: 'cn-hangzhou', sse: undefined };
const TURNS = [
  '您好，这里是滨江花园售楼处，请问您最近有购房的打算吗？',
  '嗯，有的，想了解一下',
  '我们有一个新楼盘，均价三万五，带精装修，您看周末方便来看看吗？',
  '太贵了，有没有便宜一点的',
  '有的，还有两居室的户型，总价三百万左右',
  '那我考虑一下，你们地址在哪里',
  '在滨江区江南大道一号，我稍后把位置发到您手机上',
  '好的，谢谢',
  '不客气，祝您生活愉快，再见',
];
const RESULTS = ['已接通', '无法接通', '用户忙', '关机', '空号'];
const LABELS = [['邀约'], ['有房', '邀约'], [], ['投诉'], ['意向强']];

/** Call `n` of a day of `tasks` tasks: a nine-turn dialog with one turn that differs. */
function callRow(n: number, tasks: number): IndexRow {
  const dialog = TURNS.map((turn, i) => `${i % 2 === 0 ? 'robot' : 'user'}: ${turn}`);
  dialog[3] = `user: ${n % 997 === 0 ? '我要投诉你们' : TURNS[3]}，编号${n}`;
  return indexRow(
    n,
    {
      call_id: `${226950320000 + n}^${203750100000 + n}`,
      callee: `13${String(100000000 + n).slice(-9)}`,
      started_at: new Date(Date.parse('2019-06-20T00:00:00Z') + n * 800).toISOString(),
      archived_at: new Date(Date.parse('2019-06-20T00:05:00Z') + n * 800).toISOString(),
      duration_seconds: (n * 7) % 300,
      call_result: RESULTS[n % RESULTS.length] ?? null,
      labels: LABELS[n % LABELS.length] ?? [],
      dialog_text: dialog.join('\n'),
      detail_key: `${6000000 + (n % tasks)}/${DAY}/${226950320000 + n}_${203750100000 + n}/detail.json`,
    },
    String(6000000 + (n % tasks)),
  );
}

/** One day of `calls` calls: compacted parts, and `pending` rows of the last interval. */
async function writeDay(store: ObjectStore, calls: number, tasks: number, pending: number) {
  const compacted = calls - pending;
  for (let start = 0, n = 0; start < compacted; start += PART_ROWS, n++) {
    const rows = Array.from({ length: Math.min(PART_ROWS, compacted - start) }, (_, i) =>
      callRow(start + i, tasks),
    );
    await store.put(partKey(DAY, Date.now(), 'bench', n), Buffer.from(encodePart(rows)), PARQUET);
  }
  for (let n = compacted; n < calls; n++) {
    const row = callRow(n, tasks);
    await store.put(pendingRowKey(DAY, row), JSON.stringify(row), JSON_TYPE);
  }
}

const SEARCHES = {
  'the first page': {},
  'a label filter': { label: '投诉' },
  'a full-number search': { callee: '13100012345' },
  'a words-said search': { text: '我要投诉' },
} as const;

/** The same search through the row reader (one object per row, each through its schema). */
async function baselineSearch(store: ObjectStore, filters: Record<string, string>) {
  const rows = await readDayColumns(store, DAY, [
    ...SUMMARY_COLUMNS,
    ...(filters.text ? (['dialog_text'] as const) : []),
  ]);
  const matches = callMatcher(filters);
  return rows
    .filter((row) =>
      matches({
        task_id: row.task_id,
        callee: row.callee ?? null,
        call_result: row.call_result ?? null,
        labels: row.labels ?? [],
        recording_bytes: row.recording_bytes ?? null,
        dialog_text: row.dialog_text ?? null,
      }),
    )
    .sort((a, b) => Date.parse(b.started_at ?? '') - Date.parse(a.started_at ?? ''))
    .slice(0, 50);
}

/**
 * Benchmark 8. browse over the index: a day of `calls` calls among `tasks` tasks (file://),
 * each search cold (a new store: nothing cached) and warm (the next page of a warm
 * function), beside the row reader as the baseline; then a full-number search across 92
 * days; then the store requests of a page against s3rver at 100 and at 5,000 tasks.
 */
export async function browseSearch(calls: number, tasks: number): Promise<void> {
  say(`\n8. browse: searching a day of ${calls} calls among ${tasks} tasks (the call index)`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-browse-'));
  await writeDay(new FsObjectStore(dir), calls, tasks, 500);
  const filtersOf = (extra: Record<string, string>) => ({ from: DAY, to: DAY, ...extra });
  for (const [name, extra] of Object.entries(SEARCHES)) {
    const cold: number[] = [];
    const warm: number[] = [];
    const base: number[] = [];
    let matching = 0;
    for (let rep = 0; rep < 3; rep++) {
      const store = new FsObjectStore(dir);
      let t = performance.now();
      const page = await findCalls(store, { filters: filtersOf(extra), sort: '-time' });
      cold.push(performance.now() - t);
      matching = page.totals.matching;
      t = performance.now();
      await findCalls(store, {
        filters: filtersOf(extra),
        sort: '-time',
        cursor: page.cursor ?? undefined,
      });
      warm.push(performance.now() - t);
      t = performance.now();
      await baselineSearch(new FsObjectStore(dir), extra);
      base.push(performance.now() - t);
    }
    const limit = name === 'a words-said search' ? 2000 : 1000;
    const coldFigure = summarize(`8. ${name} (${matching} matching), cold`, 'ms', cold);
    const baseFigure = summarize('', '', base);
    report({
      ...coldFigure,
      ratio: coldFigure.median / baseFigure.median,
      baseline: `row reader ${baseFigure.median.toFixed(0)} ms`,
      target: `≤ ${limit} ms`,
      met: coldFigure.median <= limit,
    });
    report(summarize(`8. ${name}, the next page (warm)`, 'ms', warm));
  }
  // 92 days: the one day of calls and 91 days of 200 calls each.
  const wide = mkdtempSync(join(tmpdir(), 'bench-browse-92-'));
  const wideStore = new FsObjectStore(wide);
  await writeDay(wideStore, calls, tasks, 500);
  for (let d = 1; d < 92; d++) {
    const date = new Date(Date.UTC(2019, 5, 20 - d)).toISOString().slice(0, 10);
    const rows = Array.from({ length: 200 }, (_, i) => ({
      ...callRow(i, tasks),
      detail_key: `1/${date}/x/detail.json`,
    }));
    await wideStore.put(
      partKey(date, Date.now(), 'bench', 0),
      Buffer.from(encodePart(rows)),
      PARQUET,
    );
  }
  const across: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t = performance.now();
    await findCalls(new FsObjectStore(wide), {
      filters: { from: '2019-03-21', to: DAY, callee: '13100012345' },
      sort: '-time',
    });
    across.push(performance.now() - t);
  }
  report({
    ...summarize('8. a full-number search across 92 days, cold', 'ms', across),
    target: '≤ 2000 ms',
    met: summarize('', '', across).median <= 2000,
  });
  rmSync(dir, { recursive: true, force: true });
  rmSync(wide, { recursive: true, force: true });
  await storeRequests();
}

/** Store requests of one page (cold) against s3rver, at 100 and at 5,000 tasks. */
async function storeRequests(): Promise<void> {
  const s3 = await startS3();
  process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  for (const tasks of [100, 5000]) {
    const prefix = `tasks-${tasks}`;
    const url = `s3://${BUCKET}/${prefix}`;
    const store = openStore(url, { ...S3_OPTIONS, s3Endpoint: s3.endpoint });
    await writeDay(store, 5000, tasks, 200);
    const counted = openStore(url, { ...S3_OPTIONS, s3Endpoint: s3.endpoint });
    let requests = 0;
    (counted as unknown as { client: S3Client }).client.middlewareStack.add(
      (next) => (args) => {
        requests++;
        return next(args);
      },
      { step: 'initialize', name: 'countBrowse' },
    );
    await findCalls(counted, { filters: { from: DAY, to: DAY, label: '投诉' }, sort: '-time' });
    report({
      ...summarize(`8. store requests for a page, ${tasks} tasks (s3rver)`, 'req', [requests]),
    });
  }
  await s3.stop();
}
