import type * as z from 'zod';
import { forEachLimited } from '../common/for-each-limited';
import {
  type ArchivedDetail,
  ArchivedDetailSchema,
  archiveKeys,
  listedCalls,
  listedDetailKey,
} from '../layout/call-folder';
import { readDocument } from '../layout/document';
import { StoredDocumentError } from '../layout/errors';
import type { HoldSet } from '../layout/hold-set';
import { ParkedItemSchema, rejectedDayPrefix } from '../layout/parked';
import { isTaskFolder } from '../layout/prefixes';
import { ReconcileSummarySchema, reconcileRunsPrefix } from '../layout/reconcile';
import { errorFields, log, maskPhone } from '../log';
import type { ObjectStore } from '../storage/object-store';
import type { CallSummary } from './call-summary';

export type { CallSummary } from './call-summary';

export interface DayFilters {
  taskId?: string;
  result?: string;
  label?: string;
  recording?: 'yes' | 'no';
  /** The callee's last four digits. */
  q?: string;
}

export const PAGE_SIZE = 50;

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

/** How a list shows its calls: full numbers for keys allowed, and which calls are held. */
export interface ListView {
  fullNumbers?: boolean;
  holds?: HoldSet;
}

function summaryOf(detail: ArchivedDetail, date: string, view: ListView): CallSummary {
  const call = detail.call;
  const callee = call.callee ?? '';
  return {
    taskId: call.taskId,
    callId: call.callId,
    callee: view.fullNumbers ? callee : maskPhone(callee),
    held: view.holds?.isHeld({ ...call, date }) ?? false,
    startedAt: call.startedAt,
    durationSeconds: call.durationSeconds,
    callResult: call.callResult,
    labels: call.labels,
    hangupBy: call.hangupBy,
    recording: detail.recording
      ? { bytes: detail.recording.bytes, contentType: detail.recording.contentType }
      : null,
  };
}

/** One archived call as the listing names it: no object read yet. */
interface ListedCall {
  taskId: string;
  detailKey: string;
  /** `{callId with ^ as _}`: the upstream numbers its calls in sequence. */
  segment: string;
  recording: boolean;
}

/**
 * The archived calls of a day across tasks, from listings only: the archive's task
 * folders, then per task (8 at a time) one listing of `{taskId}/{date}/`. Newest first by
 * call id (the upstream numbers its calls in sequence).
 */
async function listedCallsOfDay(store: ObjectStore, date: string): Promise<ListedCall[]> {
  const tasks = (await store.listDirs('')).filter(isTaskFolder);
  const calls: ListedCall[] = [];
  await forEachLimited(tasks, 8, async (taskId) => {
    for (const [call, { recording }] of await listedCalls(store, taskId, date)) {
      const segment = call.slice(date.length + 1);
      calls.push({ taskId, detailKey: listedDetailKey(taskId, call), segment, recording });
    }
  });
  const order = (call: ListedCall) => call.segment.replace(/[^0-9]/g, '').padStart(48, '0');
  return calls.sort((a, b) => order(b).localeCompare(order(a)));
}

async function summariesOf(
  store: ObjectStore,
  calls: readonly ListedCall[],
  date: string,
  view: ListView,
) {
  const read = new Map<string, { summary: CallSummary; callee: string }>();
  await forEachLimited(calls, 16, async ({ detailKey }) => {
    const detail = await readListed(store, ArchivedDetailSchema, detailKey);
    if (detail)
      read.set(detailKey, {
        summary: summaryOf(detail, date, view),
        callee: detail.call.callee ?? '',
      });
  });
  return calls.flatMap(({ detailKey }) => read.get(detailKey) ?? []);
}

const cursorOf = (offset: number) => Buffer.from(String(offset)).toString('base64url');

/**
 * A day's calls, filtered, a page at a time (the cursor is where the next page starts).
 * Filters the listing can answer (task, with/without recording) read only the page's
 * `detail.json`s; filters on what a call says (result, label, the callee's digits) read
 * the day's.
 */
export async function listDay(
  store: ObjectStore,
  date: string,
  filters: DayFilters,
  cursor: string | undefined,
  view: ListView = {},
): Promise<{ calls: CallSummary[]; cursor: string | null; totals: Record<string, number> }> {
  const listed = await listedCallsOfDay(store, date);
  const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) || 0 : 0;
  const byListing = listed.filter(
    (call) =>
      (!filters.taskId || call.taskId === filters.taskId) &&
      (!filters.recording || (filters.recording === 'yes') === call.recording),
  );
  const totals = {
    archived: listed.length,
    withRecording: listed.filter((call) => call.recording).length,
    withoutRecording: listed.filter((call) => !call.recording).length,
  };
  if (!filters.result && !filters.label && !filters.q) {
    const page = await summariesOf(store, byListing.slice(start, start + PAGE_SIZE), date, view);
    const next = start + PAGE_SIZE < byListing.length ? cursorOf(start + PAGE_SIZE) : null;
    return {
      calls: page.map(({ summary }) => summary),
      cursor: next,
      totals: { ...totals, matching: byListing.length },
    };
  }
  const matching = (await summariesOf(store, byListing, date, view)).filter(
    ({ summary, callee }) =>
      (!filters.result || summary.callResult === filters.result) &&
      (!filters.label || summary.labels.includes(filters.label)) &&
      (!filters.q || callee.endsWith(filters.q)),
  );
  const next = start + PAGE_SIZE < matching.length ? cursorOf(start + PAGE_SIZE) : null;
  return {
    calls: matching.slice(start, start + PAGE_SIZE).map(({ summary }) => summary),
    cursor: next,
    totals: { ...totals, matching: matching.length },
  };
}

/** The day at a glance: archived, without recording, parked with reasons, reconcile's latest run. */
export async function dayOverview(store: ObjectStore, date: string) {
  const calls = await listedCallsOfDay(store, date);
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
  const latestRun = (await store.list(reconcileRunsPrefix(date)))
    .filter((key) => key.endsWith('.json'))
    .sort()
    .at(-1);
  const latest =
    latestRun === undefined
      ? undefined
      : await readListed(store, ReconcileSummarySchema, latestRun);
  return {
    date,
    archived: calls.length,
    withoutRecording: calls.filter((call) => !call.recording).length,
    parked,
    parkedReasons: reasons,
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

/** One archived call: its whole `detail.json`, or undefined when there is none. */
export async function archivedCall(
  store: ObjectStore,
  taskId: string,
  date: string,
  callId: string,
): Promise<ArchivedDetail | undefined> {
  return readDocument(store, ArchivedDetailSchema, archiveKeys(taskId, date, callId).detail);
}
