/**
 * The orders a search lists calls in, and the key a cursor carries: a call's sort value,
 * then its day, task and call, all in the same direction (docs/design.md "Finding calls").
 */
export type CallSort = '-time' | 'time' | '-duration' | 'duration';
export const CALL_SORTS: readonly CallSort[] = ['-time', 'time', '-duration', 'duration'];

/** A call's place in an order: started_at (ms) or duration_seconds, date, task id, call id. */
export type SortKey = [number | null, string, string, string];

/** Task ids are canonical decimals: shorter is smaller. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** The order of `sort`: its value (nulls last), then day, task and call in the same direction. */
export function comparator(sort: CallSort): (a: SortKey, b: SortKey) => number {
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

/** The `n` first of `items` in `compare`'s order, without sorting them all. */
export function smallest<T>(items: readonly T[], n: number, compare: (a: T, b: T) => number): T[] {
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
