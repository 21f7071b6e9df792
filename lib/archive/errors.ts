import { VmsArchiveError } from '../errors';

// Event-only errors (the archive job): no HTTP status, the platform retries or parks them.

/** recordFile points somewhere we will not fetch from: parked, never retried. */
export class RecordingRefusedError extends VmsArchiveError {
  override name = 'RecordingRefusedError';
  constructor(message: string) {
    super(message, { code: 'RecordingRefused' });
  }
}

/** The signed URL has expired (OSS 403 "Request has expired") and no fresh one came. */
export class RecordingExpiredError extends VmsArchiveError {
  override name = 'RecordingExpiredError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'RecordingExpired', retryable: true, cause });
  }
}

/** A failed, stalled, reset or short download: retried. */
export class RecordingDownloadError extends VmsArchiveError {
  override name = 'RecordingDownloadError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'RecordingDownloadFailed', retryable: true, cause });
  }
}

/**
 * The lookup answered another call of the same callee: the detail API is keyed by task,
 * callee and day, so it names only the latest. Parked as `superseded by {callId}`, never
 * retried (the answer will not change back), and not dispatched again by reconcile.
 */
export class SupersededCallError extends VmsArchiveError {
  override name = 'SupersededCallError';
  constructor(readonly supersededBy: string) {
    super(
      `superseded by ${supersededBy}: the upstream answers only the callee's latest call of the day`,
      {
        code: 'Superseded',
      },
    );
  }
}
