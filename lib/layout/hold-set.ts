import { canonicalTaskId } from '../call-detail/identity';
import type { ObjectStore } from '../storage/object-store';
import { readDocument } from './document';
import { callKeyOf, HOLDS_PREFIX, type Hold, HoldSchema, numberHash } from './lifecycle';

/** A call as the hold rules need it: its key's parts and the callee in full. */
export interface HeldCandidate {
  taskId: string;
  date: string;
  callId: string;
  callee: string | null;
}

/** The holds in force, loaded once (one listing of `_holds/`, one read per hold). */
export interface HoldSet {
  readonly holds: readonly Hold[];
  /** The holds that keep this call, none when it is free to go. */
  holding(call: HeldCandidate): Hold[];
  isHeld(call: HeldCandidate): boolean;
}

/**
 * The holds under `_holds/` (docs/design.md "Letting data go"). A hold by callee matches
 * through the keyed hash of the number (AUDIT_HASH_SECRET): without the secret no callee
 * hold can be matched, so `holding` then treats every call with a callee as held by each
 * such hold rather than let one go by mistake.
 */
export async function loadHoldSet(
  store: Pick<ObjectStore, 'list' | 'get'>,
  hashSecret: string | undefined,
): Promise<HoldSet> {
  const holds: Hold[] = [];
  for (const key of await store.list(HOLDS_PREFIX)) {
    // A hold that does not read fails the load (StoredDocumentError naming the key): read
    // as "no hold", it would let erasure or the sweep take the calls it keeps.
    const hold = await readDocument(store, HoldSchema, key);
    if (hold) holds.push(hold);
  }
  const holding = (call: HeldCandidate): Hold[] => {
    const key = callKeyOf(call.taskId, call.date, call.callId);
    let hash: string | undefined;
    return holds.filter(({ scope }) => {
      if (scope.kind === 'call') return scope.call === key;
      if (scope.date !== undefined && scope.date !== call.date) return false;
      if (scope.kind === 'task') return scope.taskId === canonicalTaskId(call.taskId);
      if (call.callee === null) return false;
      if (hashSecret === undefined) return true;
      hash ??= numberHash(hashSecret, call.callee);
      return scope.calleeHash === hash;
    });
  };
  return { holds, holding, isHeld: (call) => holding(call).length > 0 };
}
