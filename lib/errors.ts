/**
 * One base error for the whole library. Each subclass sets `name` and a stable `code`, the
 * machine-readable name that ends up in `{"error":{"code",...}}` (part of the HTTP
 * contract, so it does not always repeat the class name). Errors that an HTTP function can
 * answer carry `statusCode` and `expose` the way http-errors does; errors that only ever
 * fail an event (a download, a job) carry none and would render as a 500.
 */
export class VmsArchiveError extends Error {
  override name = 'VmsArchiveError';
  readonly code: string;
  readonly statusCode: number;
  /** Whether `message` may be shown to the caller. 5xx details never are. */
  readonly expose: boolean;
  /** Whether trying the same thing again later may succeed. */
  readonly retryable: boolean;

  constructor(
    message: string,
    opts: { code: string; statusCode?: number; retryable?: boolean; cause?: unknown },
  ) {
    super(message, { cause: opts.cause });
    this.code = opts.code;
    this.statusCode = opts.statusCode ?? 500;
    this.expose = this.statusCode < 500;
    this.retryable = opts.retryable ?? false;
  }
}

/** What a failure says in a summary or a parked item: `code: message` for our own errors. */
export function reasonOf(error: unknown): string {
  return error instanceof VmsArchiveError
    ? `${error.code}: ${error.message}`
    : String((error as Error)?.message ?? error);
}

/** A bad or missing environment variable: start-up stops with the variable's name. */
export class ConfigError extends VmsArchiveError {
  override name = 'ConfigError';
  constructor(message: string) {
    super(message, { code: 'ConfigError' });
  }
}

/** Input from the caller that fails validation; the message names the parameter. */
export class BadRequestError extends VmsArchiveError {
  override name = 'BadRequestError';
  constructor(message: string) {
    super(message, { code: 'BadRequest', statusCode: 400 });
  }
}

export class UnauthorizedError extends VmsArchiveError {
  override name = 'UnauthorizedError';
  constructor(message = 'Missing or unknown API key in x-api-key') {
    super(message, { code: 'Unauthorized', statusCode: 401 });
  }
}

/** A known caller asking for what its key may not do (export, say). */
export class ForbiddenError extends VmsArchiveError {
  override name = 'ForbiddenError';
  constructor(message: string) {
    super(message, { code: 'Forbidden', statusCode: 403 });
  }
}

/**
 * The upstream answered `Code: OK` with no `Data`. The API does not tell "no such call"
 * from "the call just ended and its detail is not written yet", so this is a 404 for the
 * lookup and a retryable failure for the archive, never "no recording".
 */
export class CallNotReadyError extends VmsArchiveError {
  override name = 'CallNotReadyError';
  readonly requestId: string | undefined;
  constructor(message: string, requestId?: string) {
    super(message, { code: 'CallNotFound', statusCode: 404, retryable: true });
    this.requestId = requestId;
  }
}

/**
 * No such call, for certain (a day that has not come yet in China): a 404 like
 * CallNotReadyError's, but not worth retrying.
 */
export class CallNotFoundError extends VmsArchiveError {
  override name = 'CallNotFoundError';
  constructor(message: string) {
    super(message, { code: 'CallNotFound', statusCode: 404 });
  }
}

/** `Data` could not be read as a call detail, even after repair. */
export class CallDetailParseError extends VmsArchiveError {
  override name = 'CallDetailParseError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'CallDetailParseError', statusCode: 502, cause });
  }
}

/** A route that must not reveal it exists (a wrong push token). */
export class NotFoundError extends VmsArchiveError {
  override name = 'NotFoundError';
  constructor(message = 'Not Found') {
    super(message, { code: 'NotFound', statusCode: 404 });
  }
}

export class PayloadTooLargeError extends VmsArchiveError {
  override name = 'PayloadTooLargeError';
  constructor(message: string) {
    super(message, { code: 'PayloadTooLarge', statusCode: 413 });
  }
}
