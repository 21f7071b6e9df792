import { callKeyOf, callKeyOfTombstone, ERASED_PREFIX } from '../layout/lifecycle';
import type { ObjectStore } from '../storage/object-store';

/** The calls tombstoned under `_erased/`, which every list leaves out from the moment they are. */
export interface ErasedCalls {
  readonly size: number;
  has(date: string, taskId: string, callId: string): boolean;
  /** The day's `exclude` for the index reader; undefined when nothing is tombstoned. */
  forDay(date: string): ((taskId: string, callId: string) => boolean) | undefined;
}

/**
 * One listing of `_erased/` (a request per 1,000 tombstones): an erasure removes its calls'
 * index rows too, so this covers the moments between a tombstone and that rewrite.
 */
export async function erasedCalls(store: Pick<ObjectStore, 'list'>): Promise<ErasedCalls> {
  const keys = new Set<string>();
  for (const key of await store.list(ERASED_PREFIX)) {
    const call = callKeyOfTombstone(key);
    if (call) keys.add(call);
  }
  const has = (date: string, taskId: string, callId: string) =>
    keys.has(callKeyOf(taskId, date, callId));
  return {
    size: keys.size,
    has,
    forDay: (date) => (keys.size === 0 ? undefined : (taskId, callId) => has(date, taskId, callId)),
  };
}
