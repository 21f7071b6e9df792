import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { acceptedKey, isAcceptedKey } from '../common/constant-time';

export { acceptedKey, isAcceptedKey };

import { UnauthorizedError } from '../errors';

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
