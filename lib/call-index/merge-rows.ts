import type { IndexRow } from '../layout/index-rows';
import type { RowKey } from './parquet';

/** The identity the index merges on: (task_id, call_id). */
export const rowIdentity = (row: Pick<IndexRow, 'task_id' | 'call_id'>): string =>
  `${row.task_id}/${row.call_id}`;

/**
 * Of two rows of one call, the one a reader keeps: the greater `archived_at`, and on a tie
 * `b` when `bPending` (docs/design.md: a tie goes to the pending row).
 */
export function newerRow<T extends Pick<IndexRow, 'archived_at'>>(
  a: T,
  b: T,
  bPending: boolean,
): T {
  const ta = Date.parse(a.archived_at);
  const tb = Date.parse(b.archived_at);
  if (tb > ta) return b;
  if (tb < ta) return a;
  return bPending ? b : a;
}

/**
 * Pending rows laid over the parts' rows (docs/design.md "The call index"): one row per
 * (task_id, call_id), the greater `archived_at` winning and a tie going to the pending row,
 * so a call a crash left in two parts counts once.
 */
export function mergeRows<T extends RowKey>(partRows: Iterable<T>, pendingRows: Iterable<T>): T[] {
  const merged = new Map<string, T>();
  for (const row of partRows) {
    const id = rowIdentity(row);
    const seen = merged.get(id);
    merged.set(id, seen ? newerRow(seen, row, false) : row);
  }
  for (const row of pendingRows) {
    const id = rowIdentity(row);
    const seen = merged.get(id);
    merged.set(id, seen ? newerRow(seen, row, true) : row);
  }
  return [...merged.values()];
}
