import type { Readable } from 'node:stream';
import { VmsArchiveError } from '../errors';

export interface PutOptions {
  contentType: string;
}

/** How a signed read URL answers, whatever type the object was stored with. */
export interface ReadUrlAnswer {
  contentType: string;
  /** A file name: the answer is `Content-Disposition: attachment` (a download). */
  attachment?: string;
}

export interface ObjectInfo {
  size: number;
  /**
   * What the store itself says identifies the stored bytes: the S3/OSS ETag, or size and
   * modification time for `file://`. Read with one HEAD (or stat), never by reading the
   * object: comparing it with the one recorded at write time tells "still the same object".
   */
  storeTag: string;
}

/**
 * A temp file untouched this long belongs to a write that will never finish (its process
 * was killed or interrupted): backfill and verify remove such files as they start. An hour
 * is far beyond the read timeout of any write still in progress, so one archive may be
 * written by a sandbox and a CLI at once.
 */
export const STALE_TEMP_MS = 3600_000;

/**
 * Where the archive lives (docs/design.md "The archive"): one implementation per backend,
 * `file://` and `s3://`/`oss://`. Keys are relative to the ARCHIVE_URL prefix.
 *
 * `put` never leaves a partial object at `key`: when `body` errors (a short or broken
 * download), the write is abandoned and the error is rethrown.
 */
export interface ObjectStore {
  readonly describe: string;
  /** Resolves with the stored object's `storeTag` once it is whole at `key`. */
  put(key: string, body: Readable | Buffer | string, options: PutOptions): Promise<ObjectInfo>;
  head(key: string): Promise<ObjectInfo | undefined>;
  get(key: string): Promise<Buffer | undefined>;
  /** The object's bytes as a stream (`verify` re-reads recordings this way); `range` inclusive. */
  openRead(key: string, range?: { start: number; end: number }): Promise<Readable | undefined>;
  /** The names of the "folders" right under `prefix` (`1045001`, `_rejected`, …). */
  listDirs(prefix: string): Promise<string[]>;
  /**
   * A URL that GETs the object (with `Range`) for `seconds`, signed by the store itself
   * (S3/OSS presigned), answering with `answer`'s type and, for a download, as an
   * attachment named `attachment`; undefined when the store has none (`file://`).
   */
  readUrl(key: string, seconds: number, answer?: ReadUrlAnswer): Promise<string | undefined>;
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /**
   * Erasure (docs/design.md "Letting data go"): removes `key` and, on a bucket that keeps
   * versions, every stored version and delete marker of it, so nothing of it can be
   * restored. With `keepLatest`, only the versions older than the current one go (after a
   * rewrite without the erased number). Resolves with the versions removed.
   */
  purge(key: string, options?: { keepLatest?: boolean }): Promise<number>;
  /**
   * On a bucket that keeps versions: removes every noncurrent version and delete marker
   * under `prefix`, the current objects left as they are; what stays of objects deleted or
   * replaced there before (compaction's replaced index parts, for one). `prefix` is a folder
   * (ends with `/`). Resolves with the versions removed; a store that keeps no versions has
   * none (0). Required, so a store that wraps another cannot drop it unnoticed.
   */
  purgeNoncurrent(prefix: string): Promise<number>;
  /**
   * Temp files of writes that will never finish (a run killed or interrupted mid-write):
   * those under `prefix` (and the store's own temp folder) untouched for `olderThanMs` are
   * removed; returns how many. A write in progress touches its file as data arrives, so a
   * threshold of minutes never removes another process's live write. Stores whose
   * abandoned writes leave nothing visible (S3/OSS: an unfinished upload is no object)
   * have none.
   */
  sweepTemps?(prefix: string, olderThanMs: number): Promise<number>;
  /**
   * Removes the temp files of this process's writes still in progress, for a process about
   * to exit before they finish (Ctrl-C); returns how many.
   */
  abandonWrites?(): Promise<number>;
}

/** The store could not be reached or refused a write: retryable. */
export class StorageError extends VmsArchiveError {
  override name = 'StorageError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'StorageError', statusCode: 503, retryable: true, cause });
  }
}

const SEGMENT = /^[0-9A-Za-z_.-]+$/;
/** Hive's partition segment, allowed only under the prefixes that are partitioned by day. */
const DAY_PARTITION = /^date=\d{4}-\d{2}-\d{2}$/;
const PARTITIONED = new Set(['index', '_audit', '_exports']);

/**
 * A key is a `/`-joined list of safe segments: nothing can climb out of the prefix. The one
 * other segment accepted is exactly `date=YYYY-MM-DD`, and only under `index/`, `_audit/`
 * and `_exports/`.
 */
export function assertSafeKey(key: string): void {
  const segments = key.split('/');
  const partitioned = PARTITIONED.has(segments[0] ?? '');
  for (const segment of segments) {
    if (partitioned && DAY_PARTITION.test(segment)) continue;
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw new VmsArchiveError(`unsafe object key segment ${JSON.stringify(segment)}`, {
        code: 'UnsafeKey',
        statusCode: 400,
      });
    }
  }
}
