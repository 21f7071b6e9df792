import type * as z from 'zod';
import { type RowRef, readDayCalls } from '../call-index/day-table';
import { listIndexedDays } from '../call-index/reader';
import { forEachLimited } from '../common/for-each-limited';
import { type ArchivedDetail, ArchivedDetailSchema, archiveKeys } from '../layout/call-folder';
import { readDocument } from '../layout/document';
import { StoredDocumentError } from '../layout/errors';
import { ParkedItemSchema, rejectedDayPrefix } from '../layout/parked';
import { ReconcileSummarySchema, reconcileRunsPrefix } from '../layout/reconcile';
import { errorFields, log } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { erasedCalls } from './erased-calls';

export type { CallSummary } from './call-summary';

/**
 * A document of a listing, or undefined when it is gone or does not read: one bad file must
 * not hide a whole day, so it is logged with its key and the field that failed.
 */
async function readListed<S extends z.ZodType>(store: ObjectStore, schema: S, key: string) {
  try {
    return await readDocument(store, schema, key);
  } catch (error: unknown) {
    if (!(error instanceof StoredDocumentError)) throw error;
    log('error', 'stored document does not read', { key, ...errorFields(error) });
    return undefined;
  }
}

/** A day's calls with and without a recording, from the index (two columns of its parts). */
export async function dayCounts(store: ObjectStore, date: string) {
  const erased = await erasedCalls(store);
  const { rows } = await readDayCalls(store, date, ['recording_bytes'], erased.forDay(date));
  return recordingCounts(rows);
}

/** How many of a day's rows (read with `recording_bytes`) have a recording, and how many not. */
export function recordingCounts(rows: readonly RowRef[]) {
  const withRecording = rows.filter(
    ({ table, row }) => table.column('recording_bytes')[row] !== null,
  ).length;
  return { archived: rows.length, withRecording, withoutRecording: rows.length - withRecording };
}

/**
 * The day at a glance: calls archived and without recording (from the index), parked with
 * reasons, reconcile's latest run, and the latest day that has calls (so an empty day can
 * point to where the data is).
 */
export async function dayOverview(store: ObjectStore, date: string) {
  const [counts, days] = await Promise.all([dayCounts(store, date), listIndexedDays(store)]);
  const { parked, reasons } = await parkedReasons(store, date);
  const latest = await latestReconcile(store, date);
  return {
    date,
    archived: counts.archived,
    withoutRecording: counts.withoutRecording,
    parked,
    parkedReasons: reasons,
    latestDay: days.at(-1) ?? null,
    reconcile: latest
      ? {
          runId: latest.runId,
          finishedAt: latest.finishedAt,
          callsListed: latest.callsListed,
          alreadyArchived: latest.alreadyArchived,
          dispatched: latest.dispatched,
          failed: latest.failed.length,
        }
      : null,
  };
}

/** What the day parked in `_rejected/`, counted by the kind of its reason. */
async function parkedReasons(
  store: ObjectStore,
  date: string,
): Promise<{ parked: number; reasons: Record<string, number> }> {
  const parkedKeys = await store.list(rejectedDayPrefix(date));
  const reasons: Record<string, number> = {};
  let parked = 0;
  await forEachLimited(parkedKeys, 16, async (key) => {
    const item = await readListed(store, ParkedItemSchema, key);
    if (!item) return;
    const entries =
      item.kind === 'records' ? (item.records ?? []).map((r) => r.reason) : [item.reason];
    for (const reason of entries) {
      const kind = reason.replace(/^after \d+ attempts?: /, '').split(':')[0] ?? reason;
      reasons[kind] = (reasons[kind] ?? 0) + 1;
      parked++;
    }
  });
  return { parked, reasons };
}

/** The summary of the day's latest reconcile run, if any. */
async function latestReconcile(store: ObjectStore, date: string) {
  const latestRun = (await store.list(reconcileRunsPrefix(date)))
    .filter((key) => key.endsWith('.json'))
    .sort()
    .at(-1);
  return latestRun === undefined
    ? undefined
    : await readListed(store, ReconcileSummarySchema, latestRun);
}

/** One archived call: its whole `detail.json`, or undefined when there is none. */
export async function archivedCall(
  store: ObjectStore,
  taskId: string,
  date: string,
  callId: string,
): Promise<ArchivedDetail | undefined> {
  return readDocument(store, ArchivedDetailSchema, archiveKeys(taskId, date, callId).detail);
}
