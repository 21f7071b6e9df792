import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
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

interface ApiKeyAuthOptions {
  header: string;
  /** The accepted keys; a function when they arrive with the first invocation (SSM). */
  keys: readonly string[] | ((context: Context) => readonly string[]);
}

const defaults: ApiKeyAuthOptions = { header: 'x-api-key', keys: [] };

/** Requires a known API key in `x-api-key` (after @middy/http-header-normalizer). */
export const apiKeyAuth = (
  opts: Partial<ApiKeyAuthOptions> = {},
): MiddlewareObj<APIGatewayProxyEventV2, unknown, Error, Context> => {
  const options = { ...defaults, ...opts };
  const apiKeyAuthBefore = (request: { event: APIGatewayProxyEventV2; context: Context }) => {
    const keys = typeof options.keys === 'function' ? options.keys(request.context) : options.keys;
    if (!isAcceptedKey(request.event.headers?.[options.header], keys)) {
      throw new UnauthorizedError();
    }
  };
  return { before: apiKeyAuthBefore };
};
