import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { constantTimeEqual } from '../common/constant-time';
import { UnauthorizedError } from '../errors';

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
