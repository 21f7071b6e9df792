import { randomBytes } from 'node:crypto';
import { forEachLimited } from '../common/for-each-limited';
import {
  type IndexRow,
  parsePendingKey,
  partFileName,
  partKey,
  partsDayPrefix,
  pendingDayPrefix,
} from '../layout/index-rows';
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
 * (three column chunks) say whether it holds one, so other parts are not read. On a bucket
 * that keeps versions, the day's index objects that compaction replaced before (parts and
 * pending rows it deleted, whose old versions still hold the rows) lose those versions too:
 * the index is derived from the archive, so nothing of value goes with them.
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
    const removal = await removeLeased(store, date, calls, run, now);
    for (const prefix of [partsDayPrefix(date), pendingDayPrefix(date)])
      removal.versions += await store.purgeNoncurrent(prefix);
    return removal;
  } finally {
    await lease.release();
  }
}

const named = (
  calls: ReadonlySet<string>,
  date: string,
  row: Pick<IndexRow, 'task_id' | 'call_id'>,
) => calls.has(callKeyOf(row.task_id, date, row.call_id));

/** What a day's parts become: those to rewrite (and whether any row stays) and the list to vouch. */
interface RewritePlan {
  rewrite: { part: string; keepsRows: boolean }[];
  /** The day's part names after the run, when between them they hold each call once. */
  dayParts?: string[];
}

/**
 * Which of the day's parts hold one of `calls` (their merge keys tell), and the day's part
 * list afterwards: the parts left alone and the new ones, named in each new part's footer
 * (`DAY_PARTS_METADATA_KEY`) only when the rows they hold name each call once, so readers
 * keep skipping the dedupe of a day compaction had vouched for.
 */
async function planRewrite(
  store: ObjectStore,
  date: string,
  calls: ReadonlySet<string>,
  parts: readonly string[],
  newPart: (n: number) => string,
): Promise<RewritePlan> {
  const rewrite: RewritePlan['rewrite'] = [];
  const untouched: string[] = [];
  const seen = new Set<string>();
  let once = true;
  for (const part of parts) {
    const keys = await readPartKeys(store, part);
    const kept = keys.filter((row) => !named(calls, date, row));
    if (kept.length === keys.length) untouched.push(part);
    else rewrite.push({ part, keepsRows: kept.length > 0 });
    for (const row of kept) {
      const key = callKeyOf(row.task_id, date, row.call_id);
      if (seen.has(key)) once = false;
      seen.add(key);
    }
  }
  const written = rewrite.filter((r) => r.keepsRows).map((_, n) => newPart(n));
  return {
    rewrite,
    dayParts: once ? [...untouched, ...written].map(partFileName) : undefined,
  };
}

async function removeLeased(
  store: ObjectStore,
  date: string,
  calls: ReadonlySet<string>,
  run: string,
  now: () => number,
): Promise<IndexRemoval> {
  const listing = await listDay(store, date);
  const out: IndexRemoval = { partsRewritten: 0, pendingDeleted: 0, versions: 0 };
  const at = now();
  const newPart = (n: number) => partKey(date, at, run, n);
  const plan = await planRewrite(store, date, calls, listing.parts, newPart);
  let n = 0;
  for (const { part, keepsRows } of plan.rewrite) {
    // The rows kept are written before the part that held them goes: a crash leaves a
    // call twice at worst (readers dedupe), never lost.
    if (keepsRows) {
      const kept = (await readPart(store, part)).filter((row) => !named(calls, date, row));
      await store.put(newPart(n++), Buffer.from(encodePart(kept, { dayParts: plan.dayParts })), {
        contentType: 'application/vnd.apache.parquet',
      });
    }
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
