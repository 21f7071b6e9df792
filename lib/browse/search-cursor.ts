import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { CallFilters } from '../call-index/call-filters';
import { BadRequestError } from '../errors';
import type { CallSort, SortKey } from './call-order';

/**
 * A search's keyset cursor: the last call's sort key and a digest of the search it came
 * from, so a cursor given with other filters, another order or to another route is a 400.
 */

/** A cursor is bound to the search it came from: a digest of its filters and order. */
export function searchDigest(
  search: { filters: CallFilters; sort: CallSort },
  scope: string,
): string {
  const { filters, sort } = search;
  const canonical = JSON.stringify([
    scope,
    sort,
    ...Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .sort(),
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeCursor(digest: string, key: SortKey): string {
  return Buffer.from(JSON.stringify({ f: digest, k: key })).toString('base64url');
}

/** What a cursor decodes to: the search's digest and the last call's sort key. */
const CursorSchema = z.object({
  f: z.string(),
  k: z.tuple([z.number().nullable(), z.string(), z.string(), z.string()]),
});

/** The key after which the page starts; a 400 naming `cursor` when it is not one of this search's. */
export function decodeCursor(cursor: string, digest: string): SortKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('cursor: not one of ours');
  }
  const decoded = CursorSchema.safeParse(parsed);
  if (!decoded.success) throw new BadRequestError('cursor: not one of ours');
  if (decoded.data.f !== digest)
    throw new BadRequestError(
      'cursor: made for other filters or another order; start again without it',
    );
  return decoded.data.k;
}
