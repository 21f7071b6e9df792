import { VmsArchiveError } from '../errors';

/** What went wrong in the archive's layout: a key that cannot be made, a document that does not read. */
export class LayoutError extends VmsArchiveError {
  override name = 'LayoutError';
}

/**
 * A key cannot be made from these ids (a segment that could climb out of the prefix or
 * alias another call). The ids come from a job, so it fails as an invalid job does: parked
 * with the code `InvalidJob`, never retried (the day overview groups reasons by that code).
 */
export class InvalidKeyError extends LayoutError {
  override name = 'InvalidKeyError';
  constructor(message: string) {
    super(message, { code: 'InvalidJob' });
  }
}

/**
 * A stored document that does not match its schema; the message names the key and the
 * first field that failed. Not retryable: reading it again gives the same bytes. A 500
 * where it reaches an HTTP answer (the caller did nothing wrong), its detail logged only.
 */
export class StoredDocumentError extends LayoutError {
  override name = 'StoredDocumentError';
  readonly key: string;
  constructor(key: string, message: string, cause?: unknown) {
    super(`${key}: ${message}`, { code: 'StoredDocumentInvalid', cause });
    this.key = key;
  }
}
