import { createHash } from 'node:crypto';

/**
 * How an API key without a name is known (docs/design.md "Access audit"): `key-` and the
 * first 8 hex digits of its SHA-256. Enough to tell keys apart in the audit and in a
 * session, far too little to find the key from.
 */
export const apiKeyId = (key: string): string =>
  `key-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
