import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildIndex } from '../lib/call-index/rebuild';
import type { IndexRow } from '../lib/layout/index-rows';
import { FsObjectStore } from '../lib/storage/fs-store';
import { report, say } from './common';
import { pushAndArchive } from './many';
import { withPeakRss } from './peak-rss';
import { realisticRow } from './realistic-rows';
import { summarize } from './stats';

const DAY = '2019-06-30';
const china = (iso: string | null) =>
  iso === null
    ? null
    : `${new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;

/** The `detail.json` a commit would have written for `row` (what `index rebuild` reads). */
function detailOf(row: IndexRow) {
  const dialog = (row.dialog_text ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [role = '', ...content] = line.split(': ');
      return { role, content: content.join(': '), spokenAt: null };
    });
  const raw = { taskId: Number(row.task_id), callId: row.call_id, called: row.callee, dialog };
  return {
    call: {
      taskId: row.task_id,
      callId: row.call_id,
      caller: row.caller,
      callee: row.callee,
      durationSeconds: row.duration_seconds,
      labels: row.labels,
      dialogCount: row.dialog_count,
      callResult: row.call_result,
      hangupBy: row.hangup_by,
      transfer: { status: row.transfer_status, number: null, failReason: null },
      recallCount: row.recall_count,
      startedAt: china(row.started_at),
      endedAt: china(row.ended_at),
      counts: {
        sure: 0,
        deny: 0,
        reject: 0,
        custom: 0,
        knowledge: 0,
        default: 0,
        knowledgeBusiness: 0,
        knowledgeCommon: 0,
      },
      recording: { status: row.recording_key ? 'available' : 'none', url: null, expiresAt: null },
      dialog,
      raw,
    },
    recording: row.recording_key
      ? {
          key: row.recording_key,
          bytes: row.recording_bytes ?? 0,
          sha256: row.recording_sha256 ?? '',
          contentType: row.recording_content_type ?? 'audio/wav',
        }
      : null,
    archivedAt: row.archived_at,
  };
}

/** `index rebuild` over an archive of `calls` `detail.json`s (one day, 100 tasks, file://). */
async function rebuild(calls: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rebuild-'));
  try {
    for (let n = 0; n < calls; n++) {
      const row = realisticRow(n, DAY, String(1045000 + (n % 100)));
      const folder = join(dir, ...row.detail_key.split('/').slice(0, -1));
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'detail.json'), JSON.stringify(detailOf(row)));
    }
    const store = new FsObjectStore(dir);
    const { seconds, peakMb, value } = await withPeakRss(() => rebuildIndex(store, {}));
    if (value.rows !== calls || value.unreadable.length > 0)
      throw new Error(`rebuild derived ${value.rows} rows, ${value.unreadable.length} unreadable`);
    report(summarize(`index rebuild of ${calls} calls (one day, 100 tasks): time`, 's', [seconds]));
    report(summarize('index rebuild: peak RSS', 'MB', [peakMb]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the index row costs the archive: 2a (`count` pushed calls, lookups paced at
 * `maxRps`) with the row and without it, in `pairs` back-to-back pairs whose order
 * alternates (this machine's load drifts within minutes); the paired ratios' median; and
 * the row's size.
 */
async function rowCost(count: number, maxRps: number, pairs: number): Promise<void> {
  const withRow: number[] = [];
  const without: number[] = [];
  const ratios: number[] = [];
  let rowBytes = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? [false, true] : [true, false];
    const rates = new Map<boolean, number>();
    for (const indexRow of order) {
      const run = await pushAndArchive(count, maxRps, { indexRow });
      rates.set(indexRow, run.rate);
      if (indexRow) rowBytes = run.rowBytes / run.rows;
    }
    withRow.push(rates.get(true) ?? 0);
    without.push(rates.get(false) ?? 0);
    ratios.push((rates.get(true) ?? 0) / (rates.get(false) ?? 1));
  }
  const label = `2a ${count} pushed calls at DYVMS_MAX_RPS ${maxRps}`;
  report(summarize(`${label}, without the index row`, 'calls/s', without));
  const figure = summarize(`${label}, with the index row`, 'calls/s', withRow);
  report({
    ...figure,
    ratio: summarize('', '', ratios).median,
    baseline: 'without (paired median)',
  });
  report(summarize('the index row of a pushed call (JSON), mean', 'bytes', [rowBytes]));
}

/** Benchmark 10. the call index's cost to the archive: the row on each commit, a rebuild. */
export async function indexArchiveCost(calls: number, pushes: number, maxRps: number) {
  say(`\n10. the call index's cost: the row on ${pushes} pushed calls, a rebuild of ${calls}`);
  await rowCost(pushes, maxRps, 3);
  await rebuild(calls);
}
