import { randomBytes } from 'node:crypto';
import { canonicalTaskId } from '../call-detail/identity';
import { BadRequestError } from '../errors';
import type { AccessAudit } from '../layout/access-audit';
import { readDocument } from '../layout/document';
import {
  HOLD_ID,
  HOLDS_PREFIX,
  type Hold,
  HoldSchema,
  holdKey,
  LIFECYCLE_JSON,
  LIFECYCLE_SCHEMA_VERSION,
  numberHash,
  parseCallKey,
} from '../layout/lifecycle';
import { maskPhone } from '../log';
import type { ObjectStore } from '../storage/object-store';

/** What a hold keeps: one callee's calls, one call, or a task's (each optionally one day). */
export type HoldTarget =
  | { callee: string; date?: string }
  | { call: string }
  | { taskId: string; date?: string };

export interface LifecycleActor {
  store: ObjectStore;
  /** AUDIT_HASH_SECRET: numbers are matched by their keyed hash, never kept in clear. */
  hashSecret: string;
  /** Who is acting, as the audit names them (`cli:alice`, a key's name). */
  who: string;
  audit: AccessAudit;
  now?: () => number;
}

function scopeOf(target: HoldTarget, hashSecret: string): Hold['scope'] {
  if ('call' in target) {
    const call = parseCallKey(target.call);
    if (!call) throw new BadRequestError('--call: expected {taskId}/{YYYY-MM-DD}/{callId}');
    return { kind: 'call', call: `${call.taskId}/${call.date}/${call.callSegment}` };
  }
  if ('taskId' in target)
    return { kind: 'task', taskId: canonicalTaskId(target.taskId), date: target.date };
  return {
    kind: 'callee',
    calleeHash: numberHash(hashSecret, target.callee),
    callee: maskPhone(target.callee),
    date: target.date,
  };
}

/** A hold's scope as the audit and `hold --list` show it: no number in clear. */
export function describeScope(scope: Hold['scope']): string {
  if (scope.kind === 'call') return scope.call;
  const day = scope.date ? ` on ${scope.date}` : '';
  return scope.kind === 'task' ? `task ${scope.taskId}${day}` : `callee ${scope.callee}${day}`;
}

/**
 * Places a hold (docs/design.md "Letting data go"): erasure and the retention sweep skip
 * what it names until it is released. Audited as `hold`.
 * @example await placeHold({ call: '1045001/2019-06-14/116950320375_1' }, 'dispute 42', actor)
 */
export async function placeHold(
  target: HoldTarget,
  reason: string,
  actor: LifecycleActor,
): Promise<Hold> {
  if (reason.trim() === '') throw new BadRequestError('--reason: say why the calls are kept');
  const hold: Hold = {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: `hold-${randomBytes(6).toString('hex')}`,
    createdAt: new Date((actor.now ?? Date.now)()).toISOString(),
    who: actor.who,
    reason,
    scope: scopeOf(target, actor.hashSecret),
  };
  await actor.store.put(holdKey(hold.id), `${JSON.stringify(hold, null, 2)}\n`, LIFECYCLE_JSON);
  actor.audit.record(actor.who, 'hold', `${hold.id} ${describeScope(hold.scope)}`);
  return hold;
}

/** Releases a hold: the next erasure or sweep may take its calls. Audited as `release`. */
export async function releaseHold(id: string, actor: LifecycleActor): Promise<Hold | undefined> {
  if (!HOLD_ID.test(id)) throw new BadRequestError('--id: expected hold-<12 hex digits>');
  const hold = await readDocument(actor.store, HoldSchema, holdKey(id));
  if (!hold) return undefined;
  await actor.store.purge(holdKey(id));
  actor.audit.record(actor.who, 'release', `${hold.id} ${describeScope(hold.scope)}`);
  return hold;
}

/** The holds in force, oldest first. */
export async function listHolds(store: Pick<ObjectStore, 'list' | 'get'>): Promise<Hold[]> {
  const holds: Hold[] = [];
  for (const key of await store.list(HOLDS_PREFIX)) {
    const hold = await readDocument(store, HoldSchema, key);
    if (hold) holds.push(hold);
  }
  return holds.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
