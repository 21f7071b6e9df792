import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnauthorizedError } from '../errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * True when `presented` is one of `keys`. Both sides are hashed first so every comparison
 * is over 32 bytes, whatever the key lengths, and every key is compared (no early exit):
 * the time taken says nothing about how close a guess was.
 */
export function isAcceptedKey(presented: string | undefined, keys: readonly string[]): boolean {
  const candidate = digest(presented ?? '');
  let accepted = false;
  for (const key of keys) {
    accepted = timingSafeEqual(candidate, digest(key)) || accepted;
  }
  return accepted && presented !== undefined && presented !== '';
}

const defaults = { header: 'x-api-key', keys: [] as readonly string[] };

/** Requires a known API key in `x-api-key` (after @middy/http-header-normalizer). */
export const apiKeyAuth = (
  opts: Partial<typeof defaults> = {},
): MiddlewareObj<APIGatewayProxyEventV2> => {
  const options = { ...defaults, ...opts };
  const apiKeyAuthBefore = (request: { event: APIGatewayProxyEventV2 }) => {
    if (!isAcceptedKey(request.event.headers?.[options.header], options.keys)) {
      throw new UnauthorizedError();
    }
  };
  return { before: apiKeyAuthBefore };
};
