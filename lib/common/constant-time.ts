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
