import { VmsArchiveError } from '../errors';

/** Codes the Voice Service uses for "slow down": retried, then answered 429. */
const THROTTLING = /^(Throttling(\..*)?|isv\.BUSINESS_LIMIT_CONTROL)$/;
/** Transient server-side failures worth another try. */
const TRANSIENT = /^(isp\.SYSTEM_ERROR|ServiceUnavailable|InternalError)$/;

export type DyvmsFailureKind =
  | 'throttled'
  | 'timeout'
  | 'network'
  | 'server'
  | 'client'
  | 'invalid';

export interface DyvmsErrorDetails {
  kind: DyvmsFailureKind;
  /** Upstream `Code`, or our own name for a failure that has none (`NetworkError`). */
  upstreamCode: string;
  upstreamMessage: string;
  requestId?: string;
  /** HTTP status the upstream answered with, when it answered. */
  httpStatus?: number;
  cause?: unknown;
}

const HTTP_STATUS: Record<DyvmsFailureKind, number> = {
  throttled: 429,
  timeout: 504,
  network: 502,
  server: 502,
  client: 502,
  invalid: 502,
};

/**
 * Any failure of a Dyvmsapi call. `statusCode` is what the lookup answers (429, 502, 504);
 * `retryable` says whether the client or the platform should try again.
 */
export class DyvmsError extends VmsArchiveError {
  override name = 'DyvmsError';
  readonly kind: DyvmsFailureKind;
  readonly upstreamCode: string;
  readonly upstreamMessage: string;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(details: DyvmsErrorDetails) {
    const status = details.httpStatus === undefined ? '' : ` (HTTP ${details.httpStatus})`;
    super(`Dyvmsapi ${details.upstreamCode}${status}: ${details.upstreamMessage}`, {
      code:
        details.kind === 'throttled'
          ? 'Throttled'
          : details.kind === 'timeout'
            ? 'UpstreamTimeout'
            : 'UpstreamError',
      statusCode: HTTP_STATUS[details.kind],
      retryable: ['throttled', 'timeout', 'network', 'server'].includes(details.kind),
      cause: details.cause,
    });
    this.kind = details.kind;
    this.upstreamCode = details.upstreamCode;
    this.upstreamMessage = details.upstreamMessage;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
  }
}

/** Classifies an upstream `Code` (with its HTTP status) into a failure kind. */
export function kindOfUpstreamCode(code: string, httpStatus: number | undefined): DyvmsFailureKind {
  if (THROTTLING.test(code)) return 'throttled';
  if (TRANSIENT.test(code)) return 'server';
  if (httpStatus !== undefined && httpStatus >= 500) return 'server';
  return 'client';
}
