import { createHmac } from 'node:crypto';
import * as z from 'zod';
import { canonicalTaskId } from '../call-detail/identity';
import { PREFIXES } from './prefixes';

/**
 * Where letting data go keeps its proof (docs/design.md "Letting data go", "Access audit"):
 * tombstones under `_erased/`, suppressed numbers beside them, holds under `_holds/`,
 * erasure receipts and access rows under `_audit/`. Every key is built here and every
 * document read back parses with its schema below.
 */
export const LIFECYCLE_SCHEMA_VERSION = 1;

export const ERASED_PREFIX = PREFIXES.erased;
/** Not digits, so never a task folder of `_erased/`. */
export const SUPPRESSED_PREFIX = `${PREFIXES.erased}suppressed/`;
export const HOLDS_PREFIX = PREFIXES.holds;
export const RECEIPTS_PREFIX = `${PREFIXES.audit}erasures/`;
export const ACCESS_PREFIX = `${PREFIXES.audit}access/`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const JSON_TYPE = { contentType: 'application/json; charset=utf-8' } as const;
export const LIFECYCLE_JSON = JSON_TYPE;

/** `{taskId}/{date}/{callId with ^ as _}`: how a receipt, a hold and the audit name a call. */
export const callKeyOf = (taskId: string, date: string, callId: string): string =>
  `${canonicalTaskId(taskId)}/${date}/${callId.replaceAll('^', '_')}`;

/** A call key as its parts, or undefined when it is not one. */
export function parseCallKey(
  key: string,
): { taskId: string; date: string; callSegment: string } | undefined {
  const match = /^(\d{1,20})\/(\d{4}-\d{2}-\d{2})\/([0-9A-Za-z_^-]{1,128})$/.exec(key);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return {
    taskId: canonicalTaskId(match[1]),
    date: match[2],
    callSegment: match[3].replaceAll('^', '_'),
  };
}

// ---- numbers kept for matching --------------------------------------------------------

/** The digits that name a number whatever way it was written (`+86 138-0000-0001`). */
export const numberDigits = (number: string): string =>
  number.replace(/[\s-]/g, '').replace(/^\+?86(?=\d{11}$)/, '');

/**
 * HMAC-SHA256 of a number under AUDIT_HASH_SECRET, hex: a plain hash of an 11-digit number
 * is reversed in seconds by trying them all, a keyed one is not without the secret.
 */
export const numberHash = (secret: string, number: string): string =>
  createHmac('sha256', secret).update(numberDigits(number)).digest('hex');

// ---- tombstones and suppression --------------------------------------------------------

/** `_erased/{taskId}/{date}/{callId with ^ as _}.json`: written before anything is deleted. */
export const tombstoneKey = (taskId: string, date: string, callId: string): string =>
  `${ERASED_PREFIX}${callKeyOf(taskId, date, callId)}.json`;

export const TombstoneSchema = z.object({
  schemaVersion: z.number().int(),
  erasedAt: z.string(),
  receiptId: z.string(),
  /**
   * Set once the call's objects are gone (what the receipt counts): a rerun after a crash
   * skips those calls and still counts what the first run removed.
   */
  objects: z.number().int().nonnegative().optional(),
  versions: z.number().int().nonnegative().optional(),
});
export type Tombstone = z.output<typeof TombstoneSchema>;

/** The call key a tombstone's key names, or undefined (a suppression, a stray). */
export function callKeyOfTombstone(key: string): string | undefined {
  const match = /^_erased\/(\d+\/\d{4}-\d{2}-\d{2}\/[0-9A-Za-z_-]+)\.json$/.exec(key);
  return match?.[1];
}

/** `_erased/suppressed/{hmac}.json`: calls to this number are refused from now on. */
export const suppressionKey = (hash: string): string => `${SUPPRESSED_PREFIX}${hash}.json`;

export const SuppressionSchema = z.object({
  schemaVersion: z.number().int(),
  suppressedAt: z.string(),
  receiptId: z.string(),
  /** The number masked (`138****0001`), for people. */
  callee: z.string(),
});
export type Suppression = z.output<typeof SuppressionSchema>;

// ---- holds -----------------------------------------------------------------------------

export const HoldScopeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('callee'),
    calleeHash: z.string().regex(/^[0-9a-f]{64}$/),
    /** Masked, for people. */
    callee: z.string(),
    date: z.string().regex(DAY).optional(),
  }),
  z.object({ kind: z.literal('call'), call: z.string() }),
  z.object({
    kind: z.literal('task'),
    taskId: z.string().regex(/^\d{1,20}$/),
    date: z.string().regex(DAY).optional(),
  }),
]);
export type HoldScope = z.output<typeof HoldScopeSchema>;

export const HoldSchema = z.object({
  schemaVersion: z.number().int(),
  id: z.string().regex(/^hold-[0-9a-f]{12}$/),
  createdAt: z.string(),
  who: z.string(),
  reason: z.string(),
  scope: HoldScopeSchema,
});
export type Hold = z.output<typeof HoldSchema>;

export const HOLD_ID = /^hold-[0-9a-f]{12}$/;
export const holdKey = (id: string): string => `${HOLDS_PREFIX}${id}.json`;

// ---- erasure receipts ------------------------------------------------------------------

export const ReceiptSchema = z.object({
  schemaVersion: z.number().int(),
  id: z.string(),
  at: z.string(),
  reason: z.string(),
  /** What asked for it: one callee, one call, or the retention sweep. */
  kind: z.enum(['callee', 'call', 'retention']),
  /** Who ran it (a key name, `cli:<user>`, `retention`). */
  who: z.string().optional(),
  /** The callee masked and as its keyed hash, for an erasure by callee. */
  callee: z.object({ masked: z.string(), hash: z.string() }).optional(),
  suppressed: z.boolean().optional(),
  calls: z.array(
    z.object({
      key: z.string(),
      /** Objects deleted (recording, detail.json). */
      objects: z.number().int().nonnegative(),
      /** Stored versions removed (one per object on a store without versions). */
      versions: z.number().int().nonnegative(),
    }),
  ),
  held: z.array(z.string()),
  /**
   * Index parts rewritten and pending rows deleted; `versions`: the stored versions removed
   * with them (on a versioned bucket, the older versions of the days' index objects too).
   */
  index: z
    .object({
      partsRewritten: z.number().int(),
      pendingDeleted: z.number().int(),
      versions: z.number().int().optional(),
    })
    .optional(),
  /** `_rejected/` and `_pending/` entries rewritten without the callee, or deleted. */
  sideEntries: z.object({ rewritten: z.number().int(), deleted: z.number().int() }).optional(),
  /** For the retention sweep: the days it erased, and the side objects of those days. */
  days: z.array(z.string()).optional(),
  sideObjects: z.number().int().optional(),
});
export type Receipt = z.output<typeof ReceiptSchema>;

/** `_audit/erasures/date={D}/{id}.json`, `D` the erasure's day in Asia/Shanghai. */
export const receiptKey = (day: string, id: string): string =>
  `${RECEIPTS_PREFIX}date=${day}/${id}.json`;

// ---- access audit ----------------------------------------------------------------------

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'view',
  'play',
  'download',
  'search',
  'export',
  'erase',
  'hold',
  'release',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditRowSchema = z.object({
  at: z.string(),
  who: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  /** A call key, or the filters (numbers masked). */
  target: z.string(),
  ip: z.string().nullable(),
});
export type AuditRow = z.output<typeof AuditRowSchema>;

/**
 * `_audit/access/date={D}/{at}-{requestId}.jsonl`: one object per invocation. `at` has no
 * `:` (not a key character here); the request id keeps only key characters.
 */
export function accessRowsKey(day: string, atIso: string, requestId: string): string {
  const at = atIso.replace(/[:.]/g, '-');
  const id = requestId.replace(/[^0-9A-Za-z-]/g, '').slice(0, 64) || 'request';
  return `${ACCESS_PREFIX}date=${day}/${at}-${id}.jsonl`;
}

/** The day of a key under `_audit/…/date={D}/`, or undefined. */
export const dayOfAuditKey = (key: string): string | undefined =>
  /^_audit\/[a-z]+\/date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];

/**
 * The first day RETENTION_DAYS still keeps: a call of day D goes when D is before today
 * (Asia/Shanghai) minus that many days. China keeps no daylight saving time, so a day is
 * always 24 h.
 */
export function retentionCutoff(retentionDays: number, nowMs: number): string {
  const shanghaiToday = new Date(nowMs + 8 * 3600_000).toISOString().slice(0, 10);
  const today = Date.parse(`${shanghaiToday}T00:00:00Z`);
  return new Date(today - retentionDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The erased calls of a task as `{date}/{callId with ^ as _}` (how `listedCallOf` names
 * them): one listing of `_erased/{taskId}/`, never a request per call.
 */
export async function erasedCallsOf(
  store: { list(prefix: string): Promise<string[]> },
  taskId: string,
): Promise<Set<string>> {
  const prefix = `${ERASED_PREFIX}${canonicalTaskId(taskId)}/`;
  const erased = new Set<string>();
  for (const key of await store.list(prefix)) {
    const call = callKeyOfTombstone(key);
    if (call) erased.add(call.slice(call.indexOf('/') + 1));
  }
  return erased;
}

/** The keyed hashes of every suppressed number: one listing of `_erased/suppressed/`. */
export async function suppressedHashes(store: {
  list(prefix: string): Promise<string[]>;
}): Promise<Set<string>> {
  const hashes = new Set<string>();
  for (const key of await store.list(SUPPRESSED_PREFIX)) {
    const match = /^_erased\/suppressed\/([0-9a-f]{64})\.json$/.exec(key);
    if (match?.[1]) hashes.add(match[1]);
  }
  return hashes;
}
