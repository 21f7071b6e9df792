import { randomBytes } from 'node:crypto';
import { forEachLimited } from '../common/for-each-limited';
import { type IndexRow, parsePendingKey, partKey } from '../layout/index-rows';
import { callKeyOf } from '../layout/lifecycle';
import type { ObjectStore } from '../storage/object-store';
import { StorageError } from '../storage/object-store';
import { acquireLease } from './lease';
import { encodePart } from './parquet';
import { listDay, readPart, readPartKeys } from './reader';

export interface IndexRemoval {
  partsRewritten: number;
  pendingDeleted: number;
  /** Stored versions removed with them (parts replaced, pending rows deleted). */
  versions: number;
}

/** A day's compactor holds its lease for seconds: a few tries a couple of seconds apart. */
const LEASE_TRIES = 10;
const LEASE_WAIT_MS = 2_000;

/**
 * Takes `calls` (keys `{taskId}/{date}/{callId with ^ as _}`) out of one day's index
 * (docs/design.md "Letting data go"): only the parts that hold one of them are rewritten
 * (read whole, written again without those rows under a new name, the old part purged with
 * every version), and their pending rows are purged, told by their key alone. Runs under the
 * day's compaction lease, so no compactor folds a row back in meanwhile; a part's merge keys
 * (three column chunks) say whether it holds one, so other parts are not read.
 */
export async function removeFromIndex(
  store: ObjectStore,
  date: string,
  calls: ReadonlySet<string>,
  deps: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<IndexRemoval> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const run = randomBytes(4).toString('hex');
  let lease = await acquireLease(store, date, run, now);
  for (let attempt = 1; !lease && attempt < LEASE_TRIES; attempt++) {
    await sleep(LEASE_WAIT_MS);
    lease = await acquireLease(store, date, run, now);
  }
  if (!lease)
    throw new StorageError(`the index of ${date} is being compacted: run the erasure again`);
  try {
    return await removeLeased(store, date, calls, run, now);
  } finally {
    await lease.release();
  }
}

const named = (
  calls: ReadonlySet<string>,
  date: string,
  row: Pick<IndexRow, 'task_id' | 'call_id'>,
) => calls.has(callKeyOf(row.task_id, date, row.call_id));

async function removeLeased(
  store: ObjectStore,
  date: string,
  calls: ReadonlySet<string>,
  run: string,
  now: () => number,
): Promise<IndexRemoval> {
  const listing = await listDay(store, date);
  const out: IndexRemoval = { partsRewritten: 0, pendingDeleted: 0, versions: 0 };
  let n = 0;
  for (const part of listing.parts) {
    const keys = await readPartKeys(store, part);
    if (!keys.some((row) => named(calls, date, row))) continue;
    const kept = (await readPart(store, part)).filter((row) => !named(calls, date, row));
    // The rows kept are written before the part that held them goes: a crash leaves a
    // call twice at worst (readers dedupe), never lost.
    if (kept.length > 0)
      await store.put(partKey(date, now(), run, n++), Buffer.from(encodePart(kept)), {
        contentType: 'application/vnd.apache.parquet',
      });
    out.versions += await store.purge(part);
    out.partsRewritten++;
  }
  const pending = listing.pending.filter((key) => {
    const parsed = parsePendingKey(key);
    return parsed !== undefined && calls.has(callKeyOf(parsed.taskId, date, parsed.callSegment));
  });
  await forEachLimited(pending, 16, async (key) => {
    out.versions += await store.purge(key);
    out.pendingDeleted++;
  });
  return out;
}
