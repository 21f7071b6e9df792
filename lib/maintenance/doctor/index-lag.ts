import { reasonOf } from '../../errors';
import { readDocument } from '../../layout/document';
import {
  dayOfFolder,
  LAST_COMPACTION_KEY,
  LastCompactionSchema,
  PENDING_PREFIX,
  parsePendingKey,
} from '../../layout/index-rows';
import type { ObjectStore } from '../../storage/object-store';
import { type CheckResult, fail, ok } from './check-result';

/**
 * The index's pending rows against its compaction: it lags when a pending row is older
 * than two compaction intervals (the index-lagging alarm's threshold). Reads the listing of
 * `index/pending/` and the last run's note, no row.
 */
export async function checkIndex(
  store: ObjectStore,
  compactEveryMinutes: number,
  now: () => number,
): Promise<CheckResult> {
  const check = 'index';
  let pendingRows: { pending: number; oldestMs: number };
  let last: Awaited<ReturnType<typeof readLastCompaction>>;
  try {
    pendingRows = await readPendingRows(store);
    last = await readLastCompaction(store);
  } catch (error: unknown) {
    return fail(check, `cannot read index/: ${reasonOf(error)}`, 'see the archive check');
  }
  const { pending, oldestMs } = pendingRows;
  const lastRun = last
    ? `last compaction ${ago(now() - Date.parse(last.finishedAt))} ago${last.ok ? '' : ` failed: ${last.error ?? 'no reason kept'}`}`
    : 'no compaction recorded yet';
  const limitMs = 2 * compactEveryMinutes * 60_000;
  const ageMs = pending > 0 ? now() - oldestMs : 0;
  const detail = `${pending} pending rows${pending > 0 ? `, the oldest ${ago(ageMs)} old` : ''}; ${lastRun}`;
  if (ageMs > limitMs)
    return fail(
      check,
      `${detail}: lagging (over 2 × ${compactEveryMinutes} min)`,
      'the index-compact function is not running or fails: check its schedule and log, or run `vms-call-archive index compact`',
    );
  if (last && !last.ok)
    return fail(
      check,
      detail,
      "the last compaction failed: see the index-compact function's log, then run `vms-call-archive index compact`",
    );
  return ok(check, detail);
}

/** How many rows wait under `index/pending/`, and when the oldest was archived (from the keys). */
async function readPendingRows(store: ObjectStore): Promise<{ pending: number; oldestMs: number }> {
  let oldestMs = Number.POSITIVE_INFINITY;
  let pending = 0;
  for (const folder of await store.listDirs(PENDING_PREFIX)) {
    const day = dayOfFolder(folder);
    if (!day) continue;
    for (const key of await store.list(`${PENDING_PREFIX}${folder}/`)) {
      const row = parsePendingKey(key);
      if (!row) continue;
      pending++;
      oldestMs = Math.min(oldestMs, row.archivedAtMs);
    }
  }
  return { pending, oldestMs };
}

async function readLastCompaction(store: ObjectStore) {
  return readDocument(store, LastCompactionSchema, LAST_COMPACTION_KEY);
}

/** `1 h 5 min`, `3 min`, `12 s`. */
function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
