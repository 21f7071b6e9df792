import { forEachLimited } from '../common/for-each-limited';
import {
  dayOfFolder,
  type IndexColumn,
  type IndexRow,
  IndexRowSchema,
  PARTS_PREFIX,
  PENDING_PREFIX,
  parsePartKey,
  parsePendingKey,
  partsDayPrefix,
  pendingDayPrefix,
} from '../layout/index-rows';
import type { ObjectStore } from '../storage/object-store';
import { mergeRows } from './merge-rows';
import {
  decodeColumns,
  decodeKeys,
  decodePart,
  KEY_COLUMNS,
  partMetadata,
  type RowKey,
} from './parquet';
import { openPartFile } from './part-file';

/** Pending objects read at once: they are small, and S3 takes many GETs in parallel. */
const READ_CONCURRENCY = 32;
/** A compactor may replace what a reader listed; a fresh listing settles it within a few tries. */
const READ_ATTEMPTS = 4;

/** What one day of the index holds right now: its parts and its pending rows (keys). */
export interface DayListing {
  date: string;
  parts: string[];
  pending: string[];
}

/** Two listings: the day's parts and its pending rows (anything else there is ignored). */
export async function listDay(store: ObjectStore, date: string): Promise<DayListing> {
  const [pending, parts] = await Promise.all([
    store.list(pendingDayPrefix(date)),
    store.list(partsDayPrefix(date)),
  ]);
  return {
    date,
    parts: parts.filter((key) => parsePartKey(key)?.date === date),
    pending: pending.filter((key) => parsePendingKey(key)?.date === date),
  };
}

/** The days that have parts or pending rows, oldest first (two folder listings). */
export async function listIndexedDays(store: ObjectStore): Promise<string[]> {
  const [parts, pending] = await Promise.all([
    store.listDirs(PARTS_PREFIX),
    store.listDirs(PENDING_PREFIX),
  ]);
  const days = new Set<string>();
  for (const folder of [...parts, ...pending]) {
    const day = dayOfFolder(folder);
    if (day) days.add(day);
  }
  return [...days].sort();
}

/** A listed object that was gone when read: the listing is stale, list again. */
export class StaleListingError extends Error {
  override name = 'StaleListingError';
}

/** The pending rows of `keys`, each parsed with its schema; throws StaleListingError when one is gone. */
export async function readPendingRows(
  store: ObjectStore,
  keys: readonly string[],
): Promise<{ key: string; row: IndexRow }[]> {
  const out: { key: string; row: IndexRow }[] = [];
  await forEachLimited(keys, READ_CONCURRENCY, async (key) => {
    const bytes = await store.get(key);
    if (!bytes) throw new StaleListingError(key);
    out.push({ key, row: IndexRowSchema.parse(JSON.parse(bytes.toString('utf8'))) });
  });
  return out.sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Every row of one part; throws StaleListingError when the part is gone. */
export async function readPart(store: ObjectStore, key: string): Promise<IndexRow[]> {
  const file = await openPartFile(store, key);
  if (!file) throw new StaleListingError(key);
  return decodePart(file, await partMetadata(file));
}

/** The merge keys of one part's rows (its footer and three column chunks). */
export async function readPartKeys(store: ObjectStore, key: string): Promise<RowKey[]> {
  const file = await openPartFile(store, key);
  if (!file) throw new StaleListingError(key);
  return decodeKeys(file, await partMetadata(file));
}

/** Some columns (and always the merge keys) of one part: its footer and those column chunks. */
export async function readPartColumns(
  store: ObjectStore,
  key: string,
  columns: readonly IndexColumn[],
): Promise<(RowKey & Partial<IndexRow>)[]> {
  const file = await openPartFile(store, key);
  if (!file) throw new StaleListingError(key);
  const wanted = [...new Set<IndexColumn>([...KEY_COLUMNS, ...columns])];
  const rows = await decodeColumns(file, wanted, await partMetadata(file));
  return rows.map((row) => ({ ...row, ...keyOf(row) }));
}

function keyOf(row: Partial<IndexRow>): RowKey {
  if (row.task_id === undefined || row.call_id === undefined || row.archived_at === undefined)
    throw new TypeError('a part row without its merge keys');
  return { task_id: row.task_id, call_id: row.call_id, archived_at: row.archived_at };
}

export interface ReadDayOptions {
  /**
   * Calls to leave out (erased: the lifecycle's tombstones). The index drops them on read
   * so an erasure counts from the moment its tombstone exists.
   */
  exclude?: (row: RowKey) => boolean;
}

/** Runs `read` over a fresh listing until nothing it listed vanished under it. */
export async function withFreshListing<T>(
  store: ObjectStore,
  date: string,
  read: (listing: DayListing) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read(await listDay(store, date));
    } catch (error: unknown) {
      if (!(error instanceof StaleListingError) || attempt >= READ_ATTEMPTS) throw error;
    }
  }
}

/**
 * One day's calls from the index, every column, merged and deduped. Reads the day's parts
 * and pending rows only: never a task folder or a `detail.json`.
 * @example const rows = await readDay(store, '2019-06-14');
 */
export function readDay(
  store: ObjectStore,
  date: string,
  options: ReadDayOptions = {},
): Promise<IndexRow[]> {
  return withFreshListing(store, date, async ({ parts, pending }) => {
    const partRows: IndexRow[] = [];
    for (const key of parts) partRows.push(...(await readPart(store, key)));
    const pendingRows = (await readPendingRows(store, pending)).map(({ row }) => row);
    return dropExcluded(mergeRows(partRows, pendingRows), options);
  });
}

/**
 * One day's calls with only `columns` (and the merge keys) read from the parts: the footers
 * and those column chunks. Pending rows are whole objects, so their other columns come too.
 */
export function readDayColumns(
  store: ObjectStore,
  date: string,
  columns: readonly IndexColumn[],
  options: ReadDayOptions = {},
): Promise<(RowKey & Partial<IndexRow>)[]> {
  return withFreshListing(store, date, async ({ parts, pending }) => {
    const partRows: (RowKey & Partial<IndexRow>)[] = [];
    for (const key of parts) partRows.push(...(await readPartColumns(store, key, columns)));
    const pendingRows = (await readPendingRows(store, pending)).map(({ row }) => row);
    return dropExcluded(mergeRows<RowKey & Partial<IndexRow>>(partRows, pendingRows), options);
  });
}

const dropExcluded = <T extends RowKey>(rows: T[], { exclude }: ReadDayOptions): T[] =>
  exclude ? rows.filter((row) => !exclude(row)) : rows;
