import type { MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { ConfigError, VmsArchiveError } from '../errors';
import { errorFields, log } from '../log';
import { jsonResponse } from './json-response';

/** What a caller may read for a 5xx: never the upstream's or our internals. */
const GENERIC_MESSAGES: Record<number, string> = {
  500: 'Internal error',
  502: 'The Voice Service answered with an error; try again later',
  503: 'Service unavailable; try again later',
  504: 'The Voice Service did not answer in time; try again later',
};

/** Seconds a throttled caller should wait: the client already spent its own retries. */
const RETRY_AFTER_SECONDS = 1;

export interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

function requestIdOf(error: unknown): string | undefined {
  const id =
    typeof error === 'object' && error !== null
      ? (error as { requestId?: unknown }).requestId
      : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The one `onError` step of every HTTP function: renders any error as the contract's body
 * `{"error":{"code","message","requestId"}}` with its status (docs/design.md "HTTP
 * contracts"). The status travels on the error (`statusCode`, `expose`, as with
 * http-errors); 5xx details are logged, never shown.
 */
export const errorResponse = (): MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Error,
  Context
> => {
  const errorResponseOnError = async (request: {
    error: unknown;
    context: Context;
    response?: APIGatewayProxyStructuredResultV2 | null;
  }) => {
    if (request.response !== undefined && request.response !== null) return;
    const error = request.error;
    // A configuration the function cannot run with is the deployment's fault, not the
    // request's: it fails the invocation as a failed start would (services are built on the
    // first invocation), and the platform logs it and answers its own 5xx.
    if (error instanceof ConfigError) throw error;
    const known = error instanceof VmsArchiveError;
    const statusCode = known ? error.statusCode : 500;
    const code = known ? error.code : 'InternalError';
    const message =
      known && error.expose
        ? error.message
        : (GENERIC_MESSAGES[statusCode] ?? (GENERIC_MESSAGES[500] as string));
    const requestId = requestIdOf(error) ?? request.context.awsRequestId;
    log(statusCode >= 500 ? 'error' : 'warn', 'request failed', {
      statusCode,
      code,
      requestId,
      ...errorFields(error),
    });
    const body: ErrorBody = { error: { code, message, requestId } };
    request.response = jsonResponse(
      statusCode,
      body,
      statusCode === 429 ? { 'Retry-After': String(RETRY_AFTER_SECONDS) } : {},
    );
  };
  return { onError: errorResponseOnError };
};
