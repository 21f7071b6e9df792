import {
  type CompactionLease,
  CompactionLeaseSchema,
  compactionLeaseKey,
} from '../layout/index-rows';
import type { ObjectStore } from '../storage/object-store';

/** Longer than any one day's compaction (100,000 rows take well under a minute). */
export const LEASE_MINUTES = 15;

export interface Lease {
  owner: string;
  release(): Promise<void>;
}

async function currentLease(store: ObjectStore, key: string): Promise<CompactionLease | undefined> {
  const bytes = await store.get(key);
  if (!bytes) return undefined;
  const parsed = CompactionLeaseSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  // A lease nobody can read holds nothing: it is taken over like an expired one.
  return parsed.success ? parsed.data : undefined;
}

/**
 * Takes the day's compaction lease (`index/state/date={D}/compaction.json`), or undefined
 * when another compactor holds one that has not expired. Object stores offer no
 * compare-and-swap everywhere (s3rver, OSS), so the lease is written, then read back: it
 * keeps a second compactor away, and compaction stays correct if two ever run at once
 * (every part it deletes was first copied into one it wrote; readers dedupe).
 */
export async function acquireLease(
  store: ObjectStore,
  date: string,
  owner: string,
  now: () => number,
): Promise<Lease | undefined> {
  const key = compactionLeaseKey(date);
  const held = await currentLease(store, key);
  if (held && held.owner !== owner && Date.parse(held.expiresAt) > now()) return undefined;
  const lease: CompactionLease = {
    owner,
    acquiredAt: new Date(now()).toISOString(),
    expiresAt: new Date(now() + LEASE_MINUTES * 60_000).toISOString(),
  };
  await store.put(key, `${JSON.stringify(lease)}\n`, { contentType: 'application/json' });
  if ((await currentLease(store, key))?.owner !== owner) return undefined;
  return {
    owner,
    async release() {
      if ((await currentLease(store, key))?.owner === owner) await store.delete(key);
    },
  };
}
