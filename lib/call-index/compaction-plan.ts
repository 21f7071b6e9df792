import type { IndexRow } from '../layout/index-rows';
import { rowIdentity } from './merge-rows';
import type { RowKey } from './parquet';

/** Where a call's row lives in a part. */
interface InPart {
  part: string;
  index: number;
  at: number;
}

/**
 * What one compaction does to a day, decided from the parts' merge keys and the pending
 * rows alone (pure, so every crash point is easy to reason about):
 * - `rewrite`: the parts to write anew (a row of theirs lost to a pending row or to a copy of
 *   the same call in another part, or they take new rows);
 * - `replace`: per part, the pending rows that replace its row of the same call;
 * - `added`: pending rows of calls no part holds yet;
 * - `ties`: pending rows whose `archived_at` equals their part row's: the same commit, so
 *   usually the same row (the already-archived path wrote it again); the compactor compares
 *   them and rewrites only when they differ (`index rebuild` mending a changed row).
 * Every pending key read is deleted at the end, whatever its fate.
 */
export interface CompactionPlan {
  keep: Map<string, InPart>;
  rewrite: Set<string>;
  replace: Map<string, IndexRow[]>;
  added: IndexRow[];
  ties: { part: string; index: number; row: IndexRow }[];
}

function bestPartRows(parts: ReadonlyMap<string, readonly RowKey[]>) {
  const keep = new Map<string, InPart>();
  const rewrite = new Set<string>();
  for (const [part, keys] of parts) {
    keys.forEach((key, index) => {
      const id = rowIdentity(key);
      const at = Date.parse(key.archived_at);
      const seen = keep.get(id);
      if (!seen) keep.set(id, { part, index, at });
      else if (at > seen.at) {
        rewrite.add(seen.part);
        keep.set(id, { part, index, at });
      } else rewrite.add(part);
    });
  }
  return { keep, rewrite };
}

/** Of several pending rows of one call, the newest (a tie: the later key, the later write). */
function newestPending(pending: readonly { key: string; row: IndexRow }[]): IndexRow[] {
  const newest = new Map<string, IndexRow>();
  for (const { row } of [...pending].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const seen = newest.get(rowIdentity(row));
    if (!seen || Date.parse(row.archived_at) >= Date.parse(seen.archived_at))
      newest.set(rowIdentity(row), row);
  }
  return [...newest.values()];
}

export function planCompaction(
  parts: ReadonlyMap<string, readonly RowKey[]>,
  pending: readonly { key: string; row: IndexRow }[],
): CompactionPlan {
  const { keep, rewrite } = bestPartRows(parts);
  const plan: CompactionPlan = { keep, rewrite, replace: new Map(), added: [], ties: [] };
  for (const row of newestPending(pending)) {
    const held = keep.get(rowIdentity(row));
    const at = Date.parse(row.archived_at);
    if (!held) plan.added.push(row);
    else if (at > held.at) replaceIn(plan, held.part, row);
    else if (at === held.at) plan.ties.push({ part: held.part, index: held.index, row });
    // An older pending row (a late write of an earlier commit) only goes away.
  }
  return plan;
}

/** The part's row of `row`'s call gives way to `row`. */
export function replaceIn(plan: CompactionPlan, part: string, row: IndexRow): void {
  plan.rewrite.add(part);
  plan.replace.set(part, [...(plan.replace.get(part) ?? []), row]);
}

const byStart = (a: IndexRow, b: IndexRow) => {
  const ta = a.started_at === null ? Number.POSITIVE_INFINITY : Date.parse(a.started_at);
  const tb = b.started_at === null ? Number.POSITIVE_INFINITY : Date.parse(b.started_at);
  if (ta !== tb) return ta - tb;
  return rowIdentity(a) < rowIdentity(b) ? -1 : 1;
};

/**
 * The rows a rewritten part keeps: its own rows that are their call's chosen copy, with the
 * pending rows that replace some of them; in call-start order.
 */
export function rewrittenRows(
  plan: CompactionPlan,
  part: string,
  rows: readonly IndexRow[],
): IndexRow[] {
  const replaced = new Map((plan.replace.get(part) ?? []).map((row) => [rowIdentity(row), row]));
  const out: IndexRow[] = [];
  rows.forEach((row, index) => {
    const id = rowIdentity(row);
    const chosen = plan.keep.get(id);
    if (chosen?.part !== part || chosen.index !== index) return;
    out.push(replaced.get(id) ?? row);
  });
  return out.sort(byStart);
}

/** New calls' rows, topped up into `open` (a part with room) and then parts of `max`. */
export function packAdded(added: readonly IndexRow[], open: IndexRow[], max: number): IndexRow[][] {
  const sorted = [...added].sort(byStart);
  const room = Math.max(0, max - open.length);
  const first = [...open, ...sorted.slice(0, room)].sort(byStart);
  const chunks = first.length > 0 ? [first] : [];
  for (let i = room; i < sorted.length; i += max) chunks.push(sorted.slice(i, i + max));
  return chunks;
}
