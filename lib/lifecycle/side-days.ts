import { forEachLimited } from '../common/for-each-limited';
import { ACCESS_PREFIX } from '../layout/lifecycle';
import { PREFIXES } from '../layout/prefixes';
import type { ObjectStore } from '../storage/object-store';

const plainDay = (folder: string) => (/^\d{4}-\d{2}-\d{2}$/.test(folder) ? folder : undefined);
const partitionDay = (folder: string) => /^date=(\d{4}-\d{2}-\d{2})$/.exec(folder)?.[1];

/**
 * The side prefixes retention lets go with a day's calls (docs/design.md "Letting data
 * go"): parked items, notes of failed attempts left behind, reconcile's summaries, exports
 * and access rows of that day. Erasure receipts stay: they are the proof.
 */
const DAY_FOLDERS: readonly { prefix: string; day: (folder: string) => string | undefined }[] = [
  { prefix: PREFIXES.rejected, day: plainDay },
  { prefix: PREFIXES.attempts, day: plainDay },
  { prefix: PREFIXES.reconcile, day: plainDay },
  { prefix: PREFIXES.exports, day: partitionDay },
  { prefix: ACCESS_PREFIX, day: partitionDay },
];

/** The side folders whose day `keep` refuses, with their day: one folder listing per prefix. */
export async function sideFolders(
  store: ObjectStore,
  goes: (day: string) => boolean,
): Promise<{ folder: string; day: string }[]> {
  const out: { folder: string; day: string }[] = [];
  for (const { prefix, day } of DAY_FOLDERS)
    for (const folder of await store.listDirs(prefix)) {
      const d = day(folder);
      if (d !== undefined && goes(d)) out.push({ folder: `${prefix}${folder}/`, day: d });
    }
  return out;
}

/** Purges every object of the side folders of `days` (every version); resolves with how many went. */
export async function sweepSideDays(store: ObjectStore, days: readonly string[]): Promise<number> {
  const wanted = new Set(days);
  let gone = 0;
  for (const { folder } of await sideFolders(store, (day) => wanted.has(day)))
    await forEachLimited(await store.list(folder), 16, async (key) => {
      if ((await store.purge(key)) > 0) gone++;
    });
  return gone;
}
