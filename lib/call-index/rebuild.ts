import { randomBytes } from 'node:crypto';
import { forEachLimited } from '../common/for-each-limited';
import { indexRowOf } from '../layout/index-row-of';
import {
  DetailForIndexSchema,
  INDEX_COLUMNS,
  type IndexRow,
  parseDetailKey,
  partFileName,
  partKey,
} from '../layout/index-rows';
import { log } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { MAX_ROWS_PER_PART } from './compact';
import { acquireLease } from './lease';
import { mergeRows, rowIdentity } from './merge-rows';
import { encodePart } from './parquet';
import {
  listDay,
  listIndexedDays as listIndexDays,
  readDay,
  readPart,
  readPendingRows,
} from './reader';

export interface ArchiveScope {
  from?: string;
  to?: string;
  taskId?: string;
}

const inScope = (date: string, { from, to }: ArchiveScope) =>
  (!from || date >= from) && (!to || date <= to);

/**
 * The `detail.json` keys of the archive within `scope`, by day: one listing per task folder
 * (S3 pages of 1,000 keys), since the archive has no other map of its calls.
 */
export async function archivedDetailKeys(
  store: ObjectStore,
  scope: ArchiveScope,
): Promise<Map<string, string[]>> {
  const tasks = scope.taskId
    ? [scope.taskId]
    : (await store.listDirs('')).filter((name) => /^\d+$/.test(name));
  const byDay = new Map<string, string[]>();
  await forEachLimited(tasks, 8, async (task) => {
    for (const key of await store.list(`${task}/`)) {
      const parsed = parseDetailKey(key);
      if (!parsed || !inScope(parsed.date, scope)) continue;
      // Pushed in place: a copy per key made 100,000 keys of a day quadratic (minutes).
      const day = byDay.get(parsed.date) ?? [];
      day.push(key);
      byDay.set(parsed.date, day);
    }
  });
  return byDay;
}

/** Each `detail.json`'s row, read and derived as the commit derived it; unreadable ones are named. */
export async function derivedRows(
  store: ObjectStore,
  detailKeys: readonly string[],
): Promise<{ rows: IndexRow[]; unreadable: string[] }> {
  const rows: IndexRow[] = [];
  const unreadable: string[] = [];
  await forEachLimited(detailKeys, 32, async (key) => {
    const parsed = DetailForIndexSchema.safeParse(jsonOf(await store.get(key)));
    if (parsed.success) rows.push(indexRowOf(parsed.data, key));
    else unreadable.push(key);
  });
  return { rows, unreadable };
}

function jsonOf(bytes: Buffer | undefined): unknown {
  try {
    return bytes === undefined ? undefined : JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Replaces one day's index with `derived` (the rows of its `detail.json`s; with `taskId`,
 * of that task alone, the other tasks' rows kept), under the day's lease. A call archived
 * while the rebuild ran keeps its newer pending row; every part and pending row listed is
 * replaced, stray rows included.
 */
export async function rebuildDay(
  store: ObjectStore,
  date: string,
  derived: readonly IndexRow[],
  options: { taskId?: string; startedAt: number; now?: () => number },
): Promise<'rebuilt' | 'busy'> {
  const now = options.now ?? Date.now;
  const run = randomBytes(4).toString('hex');
  const lease = await acquireLease(store, date, run, now);
  if (!lease) return 'busy';
  try {
    const listing = await listDay(store, date);
    const kept: IndexRow[] = [];
    if (options.taskId) {
      for (const part of listing.parts) kept.push(...(await readPart(store, part)));
    }
    const others = kept.filter((row) => row.task_id !== options.taskId);
    const known = new Set(derived.map(rowIdentity));
    const pending = (await readPendingRows(store, listing.pending))
      .map(({ row }) => row)
      .filter(
        (row) => known.has(rowIdentity(row)) || Date.parse(row.archived_at) >= options.startedAt,
      )
      .filter((row) => !options.taskId || row.task_id === options.taskId);
    const rows = mergeRows([...others, ...derived], pending);
    // The rows are merged, each call once: the new parts say so to readers (they replace
    // every part listed).
    const at = now();
    const keys = Array.from({ length: Math.ceil(rows.length / MAX_ROWS_PER_PART) }, (_, n) =>
      partKey(date, at, run, n),
    );
    const dayParts = keys.map(partFileName);
    for (const [n, key] of keys.entries()) {
      const chunk = rows.slice(n * MAX_ROWS_PER_PART, (n + 1) * MAX_ROWS_PER_PART);
      await store.put(key, Buffer.from(encodePart(chunk, { dayParts })), {
        contentType: 'application/vnd.apache.parquet',
      });
    }
    for (const part of listing.parts) await store.delete(part);
    await forEachLimited(listing.pending, 32, (key) => store.delete(key));
    return 'rebuilt';
  } finally {
    await lease.release();
  }
}

export interface RebuildSummary {
  days: number;
  rows: number;
  unreadable: string[];
  busy: string[];
}

/**
 * `index rebuild [--from D --to D] [--task T]`: derives the rows from the `detail.json`s
 * (archives written before the index, or any doubt) and replaces those days' index.
 */
export async function rebuildIndex(
  store: ObjectStore,
  scope: ArchiveScope,
  now: () => number = Date.now,
): Promise<RebuildSummary> {
  const startedAt = now();
  const byDay = await archivedDetailKeys(store, scope);
  const summary: RebuildSummary = { days: 0, rows: 0, unreadable: [], busy: [] };
  for (const date of [...byDay.keys()].sort()) {
    const { rows, unreadable } = await derivedRows(store, byDay.get(date) ?? []);
    summary.unreadable.push(...unreadable);
    const outcome = await rebuildDay(store, date, rows, { taskId: scope.taskId, startedAt, now });
    if (outcome === 'busy') {
      summary.busy.push(date);
      continue;
    }
    summary.days++;
    summary.rows += rows.length;
  }
  log('info', 'index rebuilt', { ...summary, unreadable: summary.unreadable.length });
  return summary;
}

/** One line of `index check`. */
export interface IndexDifference {
  kind: 'missing' | 'stray' | 'differs';
  taskId: string;
  date: string;
  callId: string;
}

const canonical = (row: IndexRow) => JSON.stringify(INDEX_COLUMNS.map((c) => row[c.name]));

/**
 * `index check [--date D]`: the index (parts and pending, merged as readers merge them)
 * against the rows the archive's `detail.json`s give: a call the index lacks is `missing`,
 * a row with no `detail.json` behind it `stray`, a row unlike its `detail.json` `differs`.
 */
export async function checkIndex(
  store: ObjectStore,
  scope: { date?: string; taskId?: string },
): Promise<IndexDifference[]> {
  const byDay = await archivedDetailKeys(store, {
    from: scope.date,
    to: scope.date,
    taskId: scope.taskId,
  });
  const days = new Set(byDay.keys());
  if (scope.date) days.add(scope.date);
  else for (const day of await listIndexDays(store)) days.add(day);
  const out: IndexDifference[] = [];
  for (const date of [...days].sort()) {
    const { rows } = await derivedRows(store, byDay.get(date) ?? []);
    const indexed = (await readDay(store, date)).filter(
      (row) => !scope.taskId || row.task_id === scope.taskId,
    );
    out.push(...differences(date, rows, indexed));
  }
  return out;
}

function differences(date: string, archived: IndexRow[], indexed: IndexRow[]): IndexDifference[] {
  const have = new Map(indexed.map((row) => [rowIdentity(row), row]));
  const want = new Map(archived.map((row) => [rowIdentity(row), row]));
  const line = (kind: IndexDifference['kind'], row: IndexRow): IndexDifference => ({
    kind,
    taskId: row.task_id,
    date,
    callId: row.call_id,
  });
  const out: IndexDifference[] = [];
  for (const [id, row] of want) {
    const got = have.get(id);
    if (!got) out.push(line('missing', row));
    else if (canonical(got) !== canonical(row)) out.push(line('differs', row));
  }
  for (const [id, row] of have) if (!want.has(id)) out.push(line('stray', row));
  return out.sort((a, b) => (`${a.taskId}/${a.callId}` < `${b.taskId}/${b.callId}` ? -1 : 1));
}
