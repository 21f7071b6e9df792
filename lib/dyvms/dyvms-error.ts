import { VmsArchiveError } from '../errors';

/** Codes the Voice Service uses for "slow down": retried, then answered 429. */
const THROTTLING = /^(Throttling(\..*)?|isv\.BUSINESS_LIMIT_CONTROL)$/;
/**
 * A refused signature, timestamp or nonce: a clock that drifted, a nonce cache that
 * hiccupped, or a key rotated mid-flight look alike from here. Retried, bounded as usual
 * (a wrong secret then ends parked like any other persistent failure).
 */
const SIGNATURE =
  /^(SignatureDoesNotMatch|IncompleteSignature|InvalidTimeStamp(\..*)?|SignatureNonceUsed)$/;
/** Transient server-side failures worth another try. */
const TRANSIENT = /^(isp\.SYSTEM_ERROR|ServiceUnavailable|InternalError)$/;

export type DyvmsFailureKind =
  | 'throttled'
  | 'timeout'
  | 'network'
  | 'server'
  | 'signature'
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
  signature: 502,
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
    const upstreamMessage = maskUpstreamText(details.upstreamMessage);
    super(`Dyvmsapi ${details.upstreamCode}${status}: ${upstreamMessage}`, {
      code:
        details.kind === 'throttled'
          ? 'Throttled'
          : details.kind === 'timeout'
            ? 'UpstreamTimeout'
            : 'UpstreamError',
      statusCode: HTTP_STATUS[details.kind],
      retryable: ['throttled', 'timeout', 'network', 'server', 'signature'].includes(details.kind),
      cause: maskedCause(details.cause),
    });
    this.kind = details.kind;
    this.upstreamCode = details.upstreamCode;
    this.upstreamMessage = upstreamMessage;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
  }
}

/**
 * Upstream text with its numbers and AccessKey ids masked (docs/design.md "Least
 * privilege"): a SignatureDoesNotMatch message quotes the whole string to sign, the callee
 * and the AccessKey id in it, and such text reaches logs and `_rejected/`. A run of 7+
 * digits is shown as `130****0000`; `LTAI…` and `STS.…` ids as `LTAI****`, `STS.****`.
 */
export function maskUpstreamText(text: string): string {
  return text
    .replace(/LTAI[0-9A-Za-z]{4,}/g, 'LTAI****')
    .replace(/STS\.[0-9A-Za-z]{4,}/g, 'STS.****')
    .replace(/\d{7,}/g, (digits) => `${digits.slice(0, 3)}****${digits.slice(-4)}`);
}

/** The client's own error, kept as the cause with its message masked like the rest. */
function maskedCause(cause: unknown): unknown {
  if (!(cause instanceof Error)) return cause;
  const masked = new Error(maskUpstreamText(cause.message));
  masked.name = cause.name;
  return Object.assign(masked, { code: (cause as { code?: unknown }).code });
}

/** Classifies an upstream `Code` (with its HTTP status) into a failure kind. */
export function kindOfUpstreamCode(code: string, httpStatus: number | undefined): DyvmsFailureKind {
  if (THROTTLING.test(code)) return 'throttled';
  if (SIGNATURE.test(code)) return 'signature';
  if (TRANSIENT.test(code)) return 'server';
  if (httpStatus !== undefined && httpStatus >= 500) return 'server';
  return 'client';
}
