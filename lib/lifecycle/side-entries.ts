import * as z from 'zod';
import { forEachLimited } from '../common/for-each-limited';
import { numberDigits, numberHash } from '../layout/lifecycle';
import { PREFIXES } from '../layout/prefixes';
import type { ObjectStore } from '../storage/object-store';

/** Whether a stored text names what is being erased (a number, or one call). */
export type Naming = (text: string) => boolean;

/** Number-like runs in text (`+86 138-0000-0001`, `13800000001`), and every plain digit run. */
function candidateNumbers(text: string): Set<string> {
  const out = new Set<string>();
  for (const match of text.matchAll(/\+?\d[\d\s-]{5,}\d/g)) out.add(numberDigits(match[0]));
  for (const match of text.matchAll(/\d{5,}/g)) out.add(numberDigits(match[0]));
  return out;
}

/**
 * Text names the callee when one of its numbers has the callee's keyed hash: matched
 * through AUDIT_HASH_SECRET, so a rerun that knows only the hash (an interrupted run's
 * document keeps no number in clear) finds the same entries.
 */
export function namingCallee(hashSecret: string, calleeHash: string): Naming {
  return (text) => {
    for (const number of candidateNumbers(text))
      if (numberHash(hashSecret, number) === calleeHash) return true;
    return false;
  };
}

/** Text names one of the calls when it holds its call id (`^` or `_`). */
export function namingCalls(callIds: readonly string[]): Naming {
  const ids = [...new Set(callIds.flatMap((id) => [id, id.replaceAll('^', '_')]))];
  return (text) => ids.some((id) => text.includes(id));
}

/**
 * The lists inside a side document that hold one item per record, job or call: a parked
 * push's `records`, a journal entry's `jobs`, a reconcile summary's `missingCalls`. An item
 * naming the erased goes; the document stays with the others.
 */
const ITEM_LISTS = ['records', 'jobs', 'missingCalls'] as const;
const SideDocumentSchema = z.looseObject(
  Object.fromEntries(ITEM_LISTS.map((name) => [name, z.array(z.unknown()).optional()])),
);

export interface SideOutcome {
  rewritten: number;
  deleted: number;
  /** Stored versions removed (the deleted entries', and the older ones of those rewritten). */
  versions: number;
}

/**
 * The prefixes whose entries may name a callee or a call (docs/design.md "Letting data go").
 * A note of a failed attempt holds no number (masked when it is written), so only one whose
 * reason names an erased call is matched, and purged whole.
 */
export const SIDE_PREFIXES = [
  PREFIXES.rejected,
  PREFIXES.pending,
  PREFIXES.attempts,
  PREFIXES.reconcile,
  PREFIXES.exports,
] as const;

/**
 * Rewrites every entry under `prefixes` that names the erased without what names it, and
 * purges the entries left with nothing (or that name it outside any item list, or are not
 * JSON: a CSV export): on a versioned bucket the older versions go too.
 */
export async function scrubSideEntries(
  store: ObjectStore,
  names: Naming,
  prefixes: readonly string[] = SIDE_PREFIXES,
): Promise<SideOutcome> {
  const out: SideOutcome = { rewritten: 0, deleted: 0, versions: 0 };
  const keys: string[] = [];
  for (const prefix of prefixes) keys.push(...(await store.list(prefix)));
  await forEachLimited(keys, 8, async (key) => {
    const bytes = await store.get(key);
    if (!bytes) return;
    const text = bytes.toString('utf8');
    if (!names(text)) return;
    const rest = key.endsWith('.json') ? without(text, names) : undefined;
    if (rest === undefined) {
      out.versions += await store.purge(key);
      out.deleted++;
      return;
    }
    await store.put(key, rest, { contentType: 'application/json; charset=utf-8' });
    out.versions += await store.purge(key, { keepLatest: true });
    out.rewritten++;
  });
  return out;
}

/** The document without its items that name the erased; undefined when it should go whole. */
function without(text: string, names: Naming): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = SideDocumentSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const document: Record<string, unknown> = { ...parsed.data };
  let items = 0;
  for (const name of ITEM_LISTS) {
    const list = parsed.data[name];
    if (!Array.isArray(list)) continue;
    const kept = list.filter((item) => !names(JSON.stringify(item)));
    document[name] = kept;
    items += kept.length;
  }
  const rewritten = `${JSON.stringify(document, null, 2)}\n`;
  // A parked record or job (one item), an emptied push or journal entry: nothing left to keep.
  if (items === 0 && !('missingCalls' in document)) return undefined;
  return names(rewritten) ? undefined : rewritten;
}
