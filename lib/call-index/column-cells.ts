import type { IndexColumn } from '../layout/index-rows';

// How hyparquet's decoded values become the cells of day-table.ts's column tables.

/** A cell as a table holds it: strings, numbers (timestamps in ms, int64 as number), labels. */
export type Cell = string | number | readonly string[] | null;

/** Columns hyparquet may hand back as ISO strings (pending rows) or Dates. */
export const TIMESTAMPS = new Set<IndexColumn>(['started_at', 'ended_at', 'archived_at']);
export const cellOf = (name: IndexColumn, value: unknown): Cell => {
  if (value === null || value === undefined) return name === 'labels' ? [] : null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  return value as Cell;
};

/**
 * A column's cells from hyparquet's chunks. Strings and timestamps (already numbers) are
 * taken as decoded when one chunk holds the whole column, the common case (a part is one
 * row group); int64 becomes number and a missing list `[]`, value by value.
 */
export function cellsOf(
  name: IndexColumn,
  length: number,
  chunks: readonly { rowStart: number; data: ArrayLike<unknown> }[],
): Cell[] {
  const convert = name === 'labels' || name === 'recording_bytes';
  const only = chunks.length === 1 ? chunks[0] : undefined;
  if (
    !convert &&
    only &&
    only.rowStart === 0 &&
    only.data.length === length &&
    Array.isArray(only.data)
  )
    return only.data as Cell[];
  const cells = new Array<Cell>(length);
  for (let i = 0; i < length; i++) cells[i] = name === 'labels' ? [] : null;
  for (const { rowStart, data } of chunks)
    for (let i = 0; i < data.length && rowStart + i < length; i++)
      cells[rowStart + i] = cellOf(name, data[i]);
  return cells;
}
