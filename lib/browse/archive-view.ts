import { archiveKeys } from '../archive/archive-keys';
import type { ArchivedDetail } from '../archive/archived-detail';
import { TASK_ID } from '../call-detail/identity';
import { forEachLimited } from '../common/for-each-limited';
import { maskPhone } from '../log';
import type { ParkedItem } from '../parking/park';
import type { ObjectStore } from '../storage/object-store';

/** One call in a day's list: enough to find it, never a full phone number. */
export interface CallSummary {
  taskId: string;
  callId: string;
  callee: string;
  startedAt: string | null;
  durationSeconds: number | null;
  callResult: string | null;
  labels: string[];
  hangupBy: string | null;
  recording: { bytes: number; contentType: string } | null;
}

export interface DayFilters {
  taskId?: string;
  result?: string;
  label?: string;
  recording?: 'yes' | 'no';
  /** The callee's last four digits. */
  q?: string;
}

export const PAGE_SIZE = 50;

const readJson = async <T>(store: ObjectStore, key: string): Promise<T | undefined> => {
  try {
    const bytes = await store.get(key);
    return bytes ? (JSON.parse(bytes.toString('utf8')) as T) : undefined;
  } catch {
    return undefined;
  }
};

function summaryOf(detail: ArchivedDetail): CallSummary {
  const call = detail.call;
  return {
    taskId: call.taskId,
    callId: call.callId,
    callee: maskPhone(call.callee ?? ''),
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

/**
 * Every archived call of a day across tasks: one listing of the archive's task folders,
 * then per task (8 at a time) one listing of `{taskId}/{date}/` and its `detail.json`s
 * (16 at a time). Newest first.
 */
export async function callsOfDay(
  store: ObjectStore,
  date: string,
): Promise<{ summary: CallSummary; callee: string }[]> {
  const tasks = (await store.listDirs('')).filter((name) => TASK_ID.test(name));
  const details: string[] = [];
  await forEachLimited(tasks, 8, async (taskId) => {
    for (const key of await store.list(`${taskId}/${date}/`))
      if (key.endsWith('/detail.json')) details.push(key);
  });
  const calls: { summary: CallSummary; callee: string }[] = [];
  await forEachLimited(details, 16, async (key) => {
    const detail = await readJson<ArchivedDetail>(store, key);
    if (detail?.call) calls.push({ summary: summaryOf(detail), callee: detail.call.callee ?? '' });
  });
  return calls.sort((a, b) => (b.summary.startedAt ?? '').localeCompare(a.summary.startedAt ?? ''));
}

/** A day's calls, filtered, a page at a time (the cursor is where the next page starts). */
export async function listDay(
  store: ObjectStore,
  date: string,
  filters: DayFilters,
  cursor: string | undefined,
): Promise<{ calls: CallSummary[]; cursor: string | null; totals: Record<string, number> }> {
  const all = await callsOfDay(store, date);
  const matching = all.filter(
    ({ summary, callee }) =>
      (!filters.taskId || summary.taskId === filters.taskId) &&
      (!filters.result || summary.callResult === filters.result) &&
      (!filters.label || summary.labels.includes(filters.label)) &&
      (!filters.recording || (filters.recording === 'yes') === (summary.recording !== null)) &&
      (!filters.q || callee.endsWith(filters.q)),
  );
  const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) || 0 : 0;
  const page = matching.slice(start, start + PAGE_SIZE).map(({ summary }) => summary);
  const next =
    start + PAGE_SIZE < matching.length
      ? Buffer.from(String(start + PAGE_SIZE)).toString('base64url')
      : null;
  return {
    calls: page,
    cursor: next,
    totals: {
      archived: all.length,
      matching: matching.length,
      withRecording: all.filter(({ summary }) => summary.recording !== null).length,
      withoutRecording: all.filter(({ summary }) => summary.recording === null).length,
    },
  };
}

/** The day at a glance: archived, without recording, parked with reasons, reconcile's latest run. */
export async function dayOverview(store: ObjectStore, date: string) {
  const calls = await callsOfDay(store, date);
  const parkedKeys = await store.list(`_rejected/${date}/`);
  const reasons: Record<string, number> = {};
  let parked = 0;
  await forEachLimited(parkedKeys, 16, async (key) => {
    const item = await readJson<ParkedItem>(store, key);
    if (!item) return;
    const entries =
      item.kind === 'records' ? (item.records ?? []).map((r) => r.reason) : [item.reason];
    for (const reason of entries) {
      const kind = reason.replace(/^after \d+ attempts?: /, '').split(':')[0] ?? reason;
      reasons[kind] = (reasons[kind] ?? 0) + 1;
      parked++;
    }
  });
  const runs = (await store.list(`_reconcile/${date}/`))
    .filter((key) => key.endsWith('.json'))
    .sort();
  const latest =
    runs.length > 0
      ? await readJson<Record<string, unknown>>(store, runs.at(-1) as string)
      : undefined;
  return {
    date,
    archived: calls.length,
    withoutRecording: calls.filter(({ summary }) => summary.recording === null).length,
    parked,
    parkedReasons: reasons,
    reconcile: latest
      ? {
          runId: latest.runId,
          finishedAt: latest.finishedAt,
          callsListed: latest.callsListed,
          alreadyArchived: latest.alreadyArchived,
          dispatched: latest.dispatched,
          failed: Array.isArray(latest.failed) ? latest.failed.length : 0,
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
  return readJson<ArchivedDetail>(store, archiveKeys(taskId, date, callId).detail);
}
