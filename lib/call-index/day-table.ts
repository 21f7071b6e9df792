import { type AsyncBuffer, type FileMetaData, parquetMetadataAsync, parquetRead } from 'hyparquet';
import type { IndexColumn, IndexRow } from '../layout/index-rows';
import type { ObjectStore } from '../storage/object-store';
import { type Cell, cellOf, cellsOf, TIMESTAMPS } from './column-cells';
import { readStringListCells } from './list-cells';
import { cacheOf } from './part-cache';
import { openPartFile } from './part-file';
import { readPendingRows, StaleListingError, withFreshListing } from './reader';

/**
 * The index read by column, for browse (docs/design.md "Finding calls"): each part's footer
 * and the column chunks a page needs, decoded straight into arrays (hyparquet's `onChunk`),
 * never into one object per row; timestamps as epoch milliseconds. A day of 100,000 rows
 * reads in a few hundred milliseconds this way, against seconds through row objects and
 * their schema (BENCHMARKS.md "browse"). The parts of a warm function are kept (their keys
 * are never reused), so the next page reads only the listings and new pending rows.
 */

const KEY_COLUMNS: readonly IndexColumn[] = ['task_id', 'call_id', 'archived_at'];
const FOOTER_FETCH_BYTES = 64 * 1024;

export type { Cell } from './column-cells';

/** Columns of one part (or of a day's pending rows), by name, all of `length` rows. */
export interface ColumnTable {
  readonly length: number;
  /** The part's key, to read more of its columns later (undefined: pending rows). */
  readonly part?: string;
  column(name: IndexColumn): readonly Cell[];
}

/** `columns` of one part; throws StaleListingError when the part is gone. */
export async function readPartTable(
  store: ObjectStore,
  key: string,
  columns: readonly IndexColumn[],
): Promise<ColumnTable> {
  const { parts: cache, dialogs: dialogCache } = cacheOf(store);
  const cached = cache.get(key);
  const dialogs = dialogCache.get(key);
  const have = (name: IndexColumn) =>
    name === 'dialog_text' ? dialogs?.columns.has(name) : cached?.columns.has(name);
  const missing = [...new Set([...KEY_COLUMNS, ...columns])].filter((name) => !have(name));
  let length = cached?.length ?? dialogs?.length ?? 0;
  const read = new Map<IndexColumn, Cell[]>();
  if (missing.length > 0) {
    const part = await readColumns(store, key, missing);
    length = part.length;
    for (const [name, values] of part.read) read.set(name, values);
  }
  const merged = new Map<IndexColumn, Cell[]>(cached?.columns ?? []);
  const mergedDialogs = new Map<IndexColumn, Cell[]>(dialogs?.columns ?? []);
  for (const [name, values] of read)
    (name === 'dialog_text' ? mergedDialogs : merged).set(name, values);
  cache.set(key, { length, columns: merged });
  if (mergedDialogs.size > 0) dialogCache.set(key, { length, columns: mergedDialogs });
  return {
    length,
    part: key,
    column(name) {
      const values = name === 'dialog_text' ? mergedDialogs.get(name) : merged.get(name);
      if (!values) throw new TypeError(`column ${name} was not read`);
      return values;
    },
  };
}

type Chunks = Map<IndexColumn, { rowStart: number; data: ArrayLike<unknown> }[]>;

/** The `missing` columns read from the part's file (absent ones as empty cells). */
async function readColumns(
  store: ObjectStore,
  key: string,
  missing: readonly IndexColumn[],
): Promise<{ length: number; read: Map<IndexColumn, Cell[]> }> {
  const file = await openPartFile(store, key);
  if (!file) throw new StaleListingError(key);
  const metadata = await parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH_BYTES });
  const length = Number(metadata.num_rows);
  const present = new Set(metadata.schema.map((element) => element.name));
  const stored = missing.filter((name) => present.has(name));
  const chunks: Chunks = new Map();
  // `labels` by rows of its own (list-cells.ts), beside the other columns; through hyparquet
  // after all when its shape is not the one list-cells.ts reads.
  const [labels] = await Promise.all([
    stored.includes('labels') ? readStringListCells(file, metadata, 'labels') : undefined,
    readChunks(
      file,
      metadata,
      stored.filter((name) => name !== 'labels'),
      chunks,
    ),
  ]);
  if (labels) chunks.set('labels', [{ rowStart: 0, data: labels }]);
  else if (stored.includes('labels')) await readChunks(file, metadata, ['labels'], chunks);
  const read = new Map<IndexColumn, Cell[]>();
  for (const name of missing) read.set(name, cellsOf(name, length, chunks.get(name) ?? []));
  return { length, read };
}

/** `columns` through hyparquet's `onChunk`, into `chunks`. */
async function readChunks(
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: readonly IndexColumn[],
  chunks: Chunks,
): Promise<void> {
  if (columns.length === 0) return;
  await parquetRead({
    file,
    metadata,
    columns: [...columns],
    parsers: { timestampFromMilliseconds: (ms: bigint) => Number(ms) },
    onChunk: ({ columnName, columnData, rowStart }) => {
      const name = columnName as IndexColumn;
      const list = chunks.get(name) ?? [];
      list.push({ rowStart, data: columnData });
      chunks.set(name, list);
    },
  });
}

/** Pending rows (whole objects) as a table of the same cells. */
export function tableOfRows(rows: readonly IndexRow[]): ColumnTable {
  const columns = new Map<IndexColumn, Cell[]>();
  return {
    length: rows.length,
    column(name) {
      let values = columns.get(name);
      if (!values) {
        values = rows.map((row) => {
          const value = row[name];
          return TIMESTAMPS.has(name) && typeof value === 'string'
            ? Date.parse(value)
            : cellOf(name, value);
        });
        columns.set(name, values);
      }
      return values;
    },
  };
}

const PENDING_CACHE_ROWS = 50_000;

async function pendingRows(store: ObjectStore, keys: readonly string[]): Promise<IndexRow[]> {
  const pendingCache = cacheOf(store).pending;
  const fresh = keys.filter((key) => !pendingCache.has(key));
  for (const { key, row } of await readPendingRows(store, fresh)) {
    pendingCache.set(key, row);
    if (pendingCache.size > PENDING_CACHE_ROWS) {
      const oldest = pendingCache.keys().next().value;
      if (oldest !== undefined) pendingCache.delete(oldest);
    }
  }
  return keys.flatMap((key) => pendingCache.get(key) ?? []);
}

/** One row of a day: which table, which row of it. */
export interface RowRef {
  table: ColumnTable;
  row: number;
}

/** A day's calls, merged as docs/design.md "The call index" says, erased ones dropped. */
export interface DayCalls {
  date: string;
  rows: RowRef[];
}

/**
 * One day of the index by column: its parts and pending rows merged by (task_id, call_id),
 * the greater `archived_at` winning and a tie going to the pending row; `exclude` drops
 * erased calls. Reads two listings, the parts' footers and `columns`' chunks (cached), and
 * the pending rows not seen before; never a task folder or a `detail.json`.
 */
export async function readDayCalls(
  store: ObjectStore,
  date: string,
  columns: readonly IndexColumn[],
  exclude?: (taskId: string, callId: string) => boolean,
): Promise<DayCalls> {
  return withFreshListing(store, date, async (listing) => {
    const tables = await Promise.all(
      listing.parts.map((key) => readPartTable(store, key, columns)),
    );
    const pending = tableOfRows(await pendingRows(store, listing.pending));
    return { date, rows: merged(tables, pending, exclude) };
  });
}

function merged(
  parts: ColumnTable[],
  pending: ColumnTable,
  exclude?: (taskId: string, callId: string) => boolean,
): RowRef[] {
  const winners = new Map<string, { ref: RowRef; at: number }>();
  const add = (table: ColumnTable, isPending: boolean) => {
    const tasks = table.column('task_id');
    const calls = table.column('call_id');
    const at = table.column('archived_at');
    for (let row = 0; row < table.length; row++) {
      const id = `${tasks[row]}/${calls[row]}`;
      const time = at[row] as number;
      const seen = winners.get(id);
      if (!seen || time > seen.at || (time === seen.at && isPending))
        winners.set(id, { ref: { table, row }, at: time });
    }
  };
  for (const part of parts) add(part, false);
  add(pending, true);
  const rows: RowRef[] = [];
  for (const { ref } of winners.values()) {
    if (
      exclude?.(
        ref.table.column('task_id')[ref.row] as string,
        ref.table.column('call_id')[ref.row] as string,
      )
    )
      continue;
    rows.push(ref);
  }
  return rows;
}
