import { createHash } from 'node:crypto';
import { chinaDate } from '../call-detail/china-time';
import type { ObjectStore } from '../storage/object-store';

/** `records`: the rejected records of one push, `[{index, reason, record}]`, kept together. */
export type ParkedKind = 'record' | 'records' | 'job';

/**
 * What could not be processed, kept where `replay` can find it (docs/design.md "Nothing lost"):
 * `_rejected/{date}/{id}.json` with the reason. The id is a hash of the payload, so the
 * same bad record pushed three times is parked once, and no phone number is in the key.
 */
export interface ParkedItem {
  kind: ParkedKind;
  reason: string;
  parkedAt: string;
  record?: unknown;
  records?: { index: number; reason: string; record: unknown }[];
  job?: unknown;
}

export async function park(
  store: ObjectStore,
  kind: ParkedKind,
  payload: unknown,
  reason: string,
  nowMs = Date.now(),
): Promise<string> {
  const id = createHash('sha256')
    .update(JSON.stringify(payload) ?? 'undefined')
    .digest('hex')
    .slice(0, 32);
  const key = `_rejected/${chinaDate(nowMs)}/${id}.json`;
  const item: ParkedItem = {
    kind,
    reason,
    parkedAt: new Date(nowMs).toISOString(),
    [kind]: payload,
  };
  await store.put(key, `${JSON.stringify(item, null, 2)}\n`, {
    contentType: 'application/json; charset=utf-8',
  });
  return key;
}
