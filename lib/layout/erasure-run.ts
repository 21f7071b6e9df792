import * as z from 'zod';
import { ERASED_PREFIX, RECEIPTS_PREFIX, ReceiptSchema } from './lifecycle';

/**
 * An erasure under way (docs/design.md "Letting data go"): `_erased/runs/{receiptId}.json`,
 * written before the first tombstone and removed once the receipt is written. A run killed
 * half-way leaves it behind, and the next `erase` or retention sweep finishes that run first
 * (its calls, its receipt id), so a rerun writes one receipt, not two. It names calls by
 * key and the callee only masked and as its keyed hash: never a number in clear.
 */
export const RUNS_PREFIX = `${ERASED_PREFIX}runs/`;

const ERASURE_ID = /^er-\d{14}-[0-9a-f]{8}$/;
export const isErasureId = (id: string): boolean => ERASURE_ID.test(id);

/** `er-{yyyyMMddHHmmss}-{8 hex}`: sorts by time, safe as a key segment. */
export function erasureId(at: number, random: string): string {
  const stamp = new Date(at).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `er-${stamp}-${random}`;
}

export const erasureRunKey = (id: string): string => `${RUNS_PREFIX}${id}.json`;

export const ErasureCallSchema = z.object({
  /** `{taskId}/{date}/{callId with ^ as _}`. */
  key: z.string(),
  taskId: z.string(),
  date: z.string(),
  /** The call id as the index holds it (`^` kept). */
  callId: z.string(),
  /** The objects the index names for it (recording, detail.json); its folder is listed too. */
  objects: z.array(z.string()),
});
export type ErasureCall = z.output<typeof ErasureCallSchema>;

export const ErasureRunSchema = z.object({
  schemaVersion: z.number().int(),
  id: z.string().regex(ERASURE_ID),
  startedAt: z.string(),
  reason: z.string(),
  kind: ReceiptSchema.shape.kind,
  who: z.string(),
  callee: z.object({ masked: z.string(), hash: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  suppress: z.boolean(),
  calls: z.array(ErasureCallSchema),
  held: z.array(z.string()),
  /** Retention: the days swept, whose side prefixes go too. */
  days: z.array(z.string()).optional(),
});
export type ErasureRun = z.output<typeof ErasureRunSchema>;

/** The days under `_audit/erasures/` within `from`..`to` come from folders `date={D}`. */
export const receiptsDayPrefix = (day: string): string => `${RECEIPTS_PREFIX}date=${day}/`;
