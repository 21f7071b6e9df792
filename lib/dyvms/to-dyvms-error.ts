import { DyvmsError, kindOfUpstreamCode } from './dyvms-error';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNABORTED',
]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** An error with no answer body behind it: a time-out, the network, or our own side. */
function bareError(
  kind: DyvmsError['kind'],
  upstreamCode: string,
  message: string,
  cause: unknown,
) {
  return new DyvmsError({ kind, upstreamCode, upstreamMessage: message, cause });
}

/** JSON.parse failed on the body: an error page (HTML from a gateway) or a broken answer. */
function notJsonError(error: SyntaxError, httpStatus: number | undefined): DyvmsError {
  const status = httpStatus ?? 502;
  return new DyvmsError({
    kind: status >= 500 ? 'server' : 'invalid',
    upstreamCode: 'InvalidResponse',
    upstreamMessage: 'the answer was not JSON (an error page from a gateway?)',
    httpStatus: status,
    cause: error,
  });
}

/** A ResponseError: the upstream answered 4xx/5xx with a JSON (or XML) error body. */
function answeredError(
  error: unknown,
  sysCode: string,
  data: unknown,
  message: string,
  httpStatus: number | undefined,
): DyvmsError {
  const status = Number(field(data, 'statusCode') ?? httpStatus) || undefined;
  return new DyvmsError({
    kind: kindOfUpstreamCode(sysCode, status),
    upstreamCode: sysCode,
    upstreamMessage: String(field(data, 'Message') ?? field(data, 'message') ?? message),
    requestId: (field(data, 'RequestId') ?? field(data, 'requestId')) as string | undefined,
    httpStatus: status,
    cause: error,
  });
}

/** Turns whatever openapi-client threw into a DyvmsError. */
export function toDyvmsError(error: unknown, httpStatus: number | undefined): DyvmsError {
  if (error instanceof DyvmsError) return error;
  if (error instanceof SyntaxError) return notJsonError(error, httpStatus);
  const name = String(field(error, 'name') ?? '');
  // httpx appends the request URL, whose query holds the callee: never let it reach a log.
  const message = String(field(error, 'message') ?? error).replace(/\?\S*/g, '?…');
  if (/Timeout/i.test(name) || /(Read|Connect)Timeout/.test(message))
    return bareError('timeout', 'Timeout', message, error);
  const sysCode = field(error, 'code');
  const data = field(error, 'data');
  if (typeof sysCode === 'string' && NETWORK_CODES.has(sysCode) && data === undefined)
    return bareError('network', sysCode, message, error);
  if (data !== undefined && typeof sysCode === 'string')
    return answeredError(error, sysCode, data, message, httpStatus);
  if (message.includes('socket hang up')) return bareError('network', 'ECONNRESET', message, error);
  return bareError('client', 'ClientError', message, error);
}
