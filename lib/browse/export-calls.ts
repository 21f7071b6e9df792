import { randomBytes } from 'node:crypto';
import { chinaDate, chinaIsoOf } from '../call-detail/china-time';
import { type CallFilters, type ExportRow, exportCsv } from '../call-index/call-filters';
import { CSV_TYPE, EXPORTS_PREFIX, exportDayOfFolder, exportKey } from '../layout/exports';
import { log, maskPhone } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { allMatching } from './find-calls';

const DAY_MS = 86_400_000;

/**
 * Every call of `filters` as CSV (docs/design.md "Finding calls"), newest first, written to
 * `_exports/date={today}/{id}.csv`; callees masked unless `fullNumbers`. Exports of days
 * before yesterday are deleted on the way (an export lives a day; on AWS the bucket's
 * lifecycle does it too).
 */
export async function writeExport(
  store: ObjectStore,
  filters: CallFilters,
  { fullNumbers, now }: { fullNumbers: boolean; now: number },
): Promise<{ key: string; rows: number; bytes: number }> {
  const calls = await allMatching(store, filters, '-time', ['transfer_status', 'recording_sha256']);
  const rows: ExportRow[] = calls.map(({ date, get }) => {
    const callee = (get('callee') as string | null) ?? '';
    const started = get('started_at') as number | null;
    return {
      date,
      task_id: get('task_id') as string,
      call_id: get('call_id') as string,
      callee: fullNumbers ? callee : maskPhone(callee),
      started_at: started === null ? null : chinaIsoOf(started),
      duration_seconds: get('duration_seconds') as number | null,
      call_result: get('call_result') as string | null,
      labels: ((get('labels') as readonly string[] | null) ?? []).join('|'),
      hangup_by: get('hangup_by') as string | null,
      transfer_status: get('transfer_status') as string | null,
      recording_bytes: get('recording_bytes') as number | null,
      recording_sha256: get('recording_sha256') as string | null,
    };
  });
  const body = Buffer.from(exportCsv(rows), 'utf8');
  const key = exportKey(chinaDate(now), `${now}-${randomBytes(6).toString('hex')}`);
  await store.put(key, body, { contentType: CSV_TYPE });
  await dropOldExports(store, now);
  return { key, rows: rows.length, bytes: body.length };
}

async function dropOldExports(store: ObjectStore, now: number): Promise<void> {
  const yesterday = chinaDate(now - DAY_MS);
  try {
    for (const folder of await store.listDirs(EXPORTS_PREFIX)) {
      const day = exportDayOfFolder(folder);
      if (day === undefined || day >= yesterday) continue;
      for (const key of await store.list(`${EXPORTS_PREFIX}date=${day}/`)) await store.delete(key);
    }
  } catch (error: unknown) {
    // The export itself is written: an old one left for the next run is no reason to fail.
    log('warn', 'old exports not removed', { error: String(error) });
  }
}
