import { createHash } from 'node:crypto';
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
import { BadRequestError } from '../errors';
import type { HoldSet } from '../layout/hold-set';
import type { IndexColumn } from '../layout/index-rows';
import { maskPhone } from '../log';
import type { ObjectStore } from '../storage/object-store';
import type { CallSummary } from './call-summary';
import { erasedCalls } from './erased-calls';

export type CallSort = '-time' | 'time' | '-duration' | 'duration';
export const CALL_SORTS: readonly CallSort[] = ['-time', 'time', '-duration', 'duration'];

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

/** Task ids are canonical decimals: shorter is smaller. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

type SortKey = [number | null, string, string, string];
const keyOf = (found: Found): SortKey => [found.value, found.date, found.taskId, found.callId];

/** The order of `sort`: its value (nulls last), then day, task and call in the same direction. */
function comparator(sort: CallSort): (a: SortKey, b: SortKey) => number {
  const direction = sort.startsWith('-') ? -1 : 1;
  return (a, b) => {
    if (a[0] !== b[0]) {
      if (a[0] === null) return 1;
      if (b[0] === null) return -1;
      return direction * (a[0] - b[0]);
    }
    return (
      direction *
      ((a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) ||
        compareIds(a[2], b[2]) ||
        (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0))
    );
  };
}

/** A cursor is bound to the search it came from: a digest of its filters and order. */
function searchDigest(search: CallSearch, scope: string): string {
  const { filters, sort } = search;
  const canonical = JSON.stringify([
    scope,
    sort,
    ...Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .sort(),
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

function encodeCursor(digest: string, key: SortKey): string {
  return Buffer.from(JSON.stringify({ f: digest, k: key })).toString('base64url');
}

/** The key after which the page starts; a 400 naming `cursor` when it is not one of this search's. */
function decodeCursor(cursor: string, digest: string): SortKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('cursor: not one of ours');
  }
  const { f, k } = (parsed ?? {}) as { f?: unknown; k?: unknown };
  const valid =
    Array.isArray(k) &&
    k.length === 4 &&
    (k[0] === null || typeof k[0] === 'number') &&
    k.slice(1).every((part) => typeof part === 'string');
  if (typeof f !== 'string' || !valid) throw new BadRequestError('cursor: not one of ours');
  if (f !== digest)
    throw new BadRequestError(
      'cursor: made for other filters or another order; start again without it',
    );
  return k as SortKey;
}

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

/** The `n` first of `items` in `compare`'s order, without sorting them all. */
function smallest<T>(items: readonly T[], n: number, compare: (a: T, b: T) => number): T[] {
  if (items.length <= n * 8) return [...items].sort(compare).slice(0, n);
  const kept: T[] = [];
  for (const item of items) {
    if (kept.length === n && compare(item, kept[n - 1] as T) >= 0) continue;
    let at = kept.length;
    while (at > 0 && compare(item, kept[at - 1] as T) < 0) at--;
    kept.splice(at, 0, item);
    if (kept.length > n) kept.pop();
  }
  return kept;
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
