import { chinaIsoOf } from '../call-detail/china-time';
import { type CallFilters, callMatcher, filterColumns } from '../call-index/call-filters';
import {
  type Cell,
  type DayCalls,
  type RowRef,
  readDayCalls,
  readPartTable,
} from '../call-index/day-table';
import { listIndexedDays } from '../call-index/reader';
import { forEachLimited } from '../common/for-each-limited';
import type { HoldSet } from '../layout/hold-set';
import type { IndexColumn } from '../layout/index-rows';
import { maskPhone } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { type CallSort, comparator, type SortKey, smallest } from './call-order';
import type { CallSummary } from './call-summary';
import { erasedCalls } from './erased-calls';
import { decodeCursor, encodeCursor, searchDigest } from './search-cursor';

export { CALL_SORTS, type CallSort } from './call-order';

/** A search: the filters, the order, and the page after `cursor`. */
export interface CallSearch {
  filters: CallFilters;
  sort: CallSort;
  cursor?: string;
}

/** How a list shows its calls: full numbers for keys allowed, and which calls are held. */
export interface ListView {
  fullNumbers?: boolean;
  holds?: HoldSet;
}

export const PAGE_SIZE = 50;
/** Days read at once: each is two listings and its parts. */
const DAY_CONCURRENCY = 4;

/** The columns a CallSummary shows (with the merge keys). */
export const SUMMARY_COLUMNS: readonly IndexColumn[] = [
  'task_id',
  'call_id',
  'archived_at',
  'callee',
  'started_at',
  'duration_seconds',
  'call_result',
  'labels',
  'hangup_by',
  'recording_bytes',
  'recording_content_type',
];

/** What a search reads of every row: the merge keys, the order and what its filters need. */
function searchColumns(
  filters: CallFilters,
  sort: CallSort,
  extra: readonly IndexColumn[],
): IndexColumn[] {
  return [
    'task_id',
    'call_id',
    'archived_at',
    sort.endsWith('duration') ? 'duration_seconds' : 'started_at',
    ...filterColumns(filters),
    ...extra,
    ...(filters.callee ? (['callee'] as const) : []),
    ...(filters.result ? (['call_result'] as const) : []),
    ...(filters.label ? (['labels'] as const) : []),
  ];
}

/** One matching call: its day, its row, and the value it sorts by. */
interface Found {
  date: string;
  ref: RowRef;
  /** started_at (ms) or duration_seconds; null sorts last either way. */
  value: number | null;
  taskId: string;
  callId: string;
}

const cell = (ref: RowRef, name: IndexColumn): Cell => ref.table.column(name)[ref.row] ?? null;
const text = (ref: RowRef, name: IndexColumn) => {
  const value = cell(ref, name);
  return typeof value === 'string' ? value : null;
};
const number = (ref: RowRef, name: IndexColumn) => {
  const value = cell(ref, name);
  return typeof value === 'number' ? value : null;
};

const keyOf = (found: Found): SortKey => [found.value, found.date, found.taskId, found.callId];

/** The days of `from`..`to` that the index holds (two folder listings, whatever the range). */
async function indexedDaysIn(store: ObjectStore, from: string, to: string): Promise<string[]> {
  return (await listIndexedDays(store)).filter((day) => day >= from && day <= to);
}

/** Each indexed day of the search, read by column (`columns` only). */
async function readDays(store: ObjectStore, filters: CallFilters, columns: readonly IndexColumn[]) {
  const days = await indexedDaysIn(store, filters.from, filters.to);
  const erased = await erasedCalls(store);
  const read: DayCalls[] = [];
  await forEachLimited(days, DAY_CONCURRENCY, async (date) => {
    read.push(await readDayCalls(store, date, columns, erased.forDay(date)));
  });
  return read;
}

/** Every matching call of the search's days (unordered). */
function matching(days: readonly DayCalls[], filters: CallFilters, sort: CallSort): Found[] {
  const matches = callMatcher(filters);
  const byDuration = sort.endsWith('duration');
  const found: Found[] = [];
  for (const { date, rows } of days) {
    for (const ref of rows) {
      // Only the columns the filters read were read (searchColumns).
      const call = {
        task_id: text(ref, 'task_id') ?? '',
        callee: filters.callee ? text(ref, 'callee') : null,
        call_result: filters.result ? text(ref, 'call_result') : null,
        labels: filters.label ? ((cell(ref, 'labels') as readonly string[] | null) ?? []) : [],
        recording_bytes: filters.recording ? number(ref, 'recording_bytes') : null,
        dialog_text: filters.text ? text(ref, 'dialog_text') : null,
      };
      if (!matches(call)) continue;
      found.push({
        date,
        ref,
        value: number(ref, byDuration ? 'duration_seconds' : 'started_at'),
        taskId: call.task_id,
        callId: text(ref, 'call_id') ?? '',
      });
    }
  }
  return found;
}

function summaryOf(found: Found, view: ListView): CallSummary {
  const { ref, date, taskId, callId } = found;
  const callee = text(ref, 'callee') ?? '';
  const started = number(ref, 'started_at');
  const bytes = number(ref, 'recording_bytes');
  return {
    date,
    taskId,
    callId,
    callee: view.fullNumbers ? callee : maskPhone(callee),
    held: view.holds?.isHeld({ taskId, date, callId, callee: text(ref, 'callee') }) ?? false,
    startedAt: started === null ? null : chinaIsoOf(started),
    durationSeconds: number(ref, 'duration_seconds'),
    callResult: text(ref, 'call_result'),
    labels: [...((cell(ref, 'labels') as readonly string[] | null) ?? [])],
    hangupBy: text(ref, 'hangup_by'),
    recording:
      bytes === null
        ? null
        : { bytes, contentType: text(ref, 'recording_content_type') ?? 'application/octet-stream' },
  };
}

export interface CallPage {
  calls: CallSummary[];
  cursor: string | null;
  totals: { matching: number };
}

/**
 * One page of a search over the index (docs/design.md "Finding calls"): the days' parts
 * (footers and the columns the filters need) and pending rows, never a task folder or a
 * `detail.json`; ordered by `sort`, keyset-paged by a cursor bound to the search.
 * `scope` names the route, so a day's cursor is not taken by the cross-day search;
 * `columns` are read for every row besides (the day route counts recordings).
 */
export async function findCalls(
  store: ObjectStore,
  search: CallSearch,
  view: ListView = {},
  { scope = 'calls', columns = [] }: { scope?: string; columns?: readonly IndexColumn[] } = {},
): Promise<CallPage & { days: DayCalls[] }> {
  const digest = searchDigest(search, scope);
  const after = search.cursor === undefined ? undefined : decodeCursor(search.cursor, digest);
  const days = await readDays(
    store,
    search.filters,
    searchColumns(search.filters, search.sort, columns),
  );
  const compare = comparator(search.sort);
  const found = matching(days, search.filters, search.sort);
  const rest = after === undefined ? found : found.filter((f) => compare(keyOf(f), after) > 0);
  const page = smallest(rest, PAGE_SIZE + 1, (a, b) => compare(keyOf(a), keyOf(b)));
  const shown = await withSummaryColumns(store, page.slice(0, PAGE_SIZE));
  const last = shown.at(-1);
  return {
    calls: shown.map((f) => summaryOf(f, view)),
    cursor: page.length > PAGE_SIZE && last ? encodeCursor(digest, keyOf(last)) : null,
    totals: { matching: found.length },
    days,
  };
}

/**
 * The page's calls with every column a summary shows: read only from the parts that hold
 * them (a page sorted by time mostly comes from the newest part or two), cached after.
 */
async function withSummaryColumns(store: ObjectStore, page: readonly Found[]): Promise<Found[]> {
  const parts = [...new Set(page.flatMap((f) => f.ref.table.part ?? []))];
  const tables = new Map(
    await Promise.all(
      parts.map(async (part) => [part, await readPartTable(store, part, SUMMARY_COLUMNS)] as const),
    ),
  );
  return page.map((f) => {
    const table = f.ref.table.part === undefined ? undefined : tables.get(f.ref.table.part);
    return table ? { ...f, ref: { table, row: f.ref.row } } : f;
  });
}

/** Every matching call, in `sort`'s order, with the columns `extra` names (the export). */
export async function allMatching(
  store: ObjectStore,
  filters: CallFilters,
  sort: CallSort,
  extra: readonly IndexColumn[],
): Promise<{ date: string; get(name: IndexColumn): Cell }[]> {
  const days = await readDays(store, filters, [
    ...SUMMARY_COLUMNS,
    ...filterColumns(filters),
    ...extra,
  ]);
  const compare = comparator(sort);
  return matching(days, filters, sort)
    .sort((a, b) => compare(keyOf(a), keyOf(b)))
    .map((f) => ({ date: f.date, get: (name: IndexColumn) => cell(f.ref, name) }));
}
