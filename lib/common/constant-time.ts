import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether two secrets are equal, in a time that says nothing about how close they are:
 * both are hashed first, so the comparison is always over 32 bytes whatever their lengths.
 * An empty `presented` never matches.
 */
export function constantTimeEqual(presented: string | undefined, expected: string): boolean {
  const equal = timingSafeEqual(digest(presented ?? ''), digest(expected));
  return equal && presented !== undefined && presented !== '';
}

/**
 * The one of `keys` that `presented` is, or undefined. Every key is compared (no early
 * exit), each in constant time: the time taken says nothing about how close a guess was.
 */
export function acceptedKey(
  presented: string | undefined,
  keys: readonly string[],
): string | undefined {
  let accepted: string | undefined;
  for (const key of keys) if (constantTimeEqual(presented, key)) accepted ??= key;
  return accepted;
}

/** True when `presented` is one of `keys` (acceptedKey). */
export function isAcceptedKey(presented: string | undefined, keys: readonly string[]): boolean {
  return acceptedKey(presented, keys) !== undefined;
}
