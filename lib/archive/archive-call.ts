import { pipeline } from 'node:stream';
import { chinaMidnight } from '../call-detail/china-time';
import type { CallDetail } from '../call-detail/schema';
import type { DyvmsClient } from '../dyvms/client';
import { type RetryDeps, withRetry } from '../dyvms/retry';
import { CallNotReadyError, VmsArchiveError } from '../errors';
import { log, maskPhone, redactUrl } from '../log';
import { lookupCall } from '../lookup/lookup-call';
import { type ObjectStore, StorageError } from '../storage/object-store';
import { archiveKeys } from './archive-keys';
import type { CallEndedJob } from './call-ended-job';
import { type DownloadTimeouts, openRecording, VerifiedBody } from './download';
import { RecordingDownloadError, RecordingExpiredError } from './errors';
import {
  checkRecordingUrl,
  contentTypeFor,
  expiresAtMs,
  recordingExtension,
} from './recording-url';

export const DETAIL_SCHEMA_VERSION = 1;

export interface StoredRecording {
  key: string;
  bytes: number;
  sha256: string;
  contentType: string;
  /** The URL without its query: the signature is a credential. */
  source: string;
}

/** `detail.json`: written last, the commit marker of an archived call. */
export interface ArchivedDetail {
  schemaVersion: number;
  call: CallDetail;
  recording: StoredRecording | null;
  upstreamRequestId: string | null;
  archivedAt: string;
}

export interface ArchiveDeps extends RetryDeps {
  dyvms: DyvmsClient;
  store: ObjectStore;
  recordingHosts: readonly string[];
  recording: DownloadTimeouts & { expiryMarginMs: number; downloadAttempts: number };
  now?: () => number;
}

export type ArchiveOutcome =
  | { status: 'already-archived'; detailKey: string }
  | { status: 'archived'; detailKey: string; recording: StoredRecording }
  | { status: 'no-recording'; detailKey: string };

const NOON_MS = 12 * 3600 * 1000;

/** A `detail.json` whose recording is present with the same size and SHA-256. */
export async function isArchived(store: ObjectStore, detailKey: string): Promise<boolean> {
  const bytes = await store.get(detailKey);
  if (!bytes) return false;
  let detail: ArchivedDetail;
  try {
    detail = JSON.parse(bytes.toString('utf8')) as ArchivedDetail;
  } catch {
    return false; // unreadable marker: archive again and overwrite it
  }
  if (detail.recording === null) return true;
  const stored = await store.head(detail.recording.key);
  return stored?.size === detail.recording.bytes && stored.sha256 === detail.recording.sha256;
}

/**
 * Archives one ended call (DESIGN.md "The archive"): idempotent, streaming, verified,
 * `detail.json` last. Throws on failure; `retryable` on the error says whether the
 * platform should try the job again or park it.
 */
export async function archiveCall(job: CallEndedJob, deps: ArchiveDeps): Promise<ArchiveOutcome> {
  const now = deps.now ?? Date.now;
  const context = { taskId: job.taskId, callee: maskPhone(job.callee), date: job.date };
  if (job.callId) {
    const keys = archiveKeys(job.taskId, job.date, job.callId);
    if (await isArchived(deps.store, keys.detail)) {
      log('info', 'already archived', { ...context, detailKey: keys.detail });
      return { status: 'already-archived', detailKey: keys.detail };
    }
  }

  const query = { ...job, queryDate: (chinaMidnight(job.date) as number) + NOON_MS };
  let { detail, upstreamRequestId } = await lookupCall(query, deps.dyvms);
  const keys = archiveKeys(job.taskId, job.date, detail.callId);
  if (!job.callId && (await isArchived(deps.store, keys.detail))) {
    return { status: 'already-archived', detailKey: keys.detail };
  }
  if (detail.recording.status === 'pending') {
    // Right after a call ends recordStatus may not be set: not "no recording".
    throw new CallNotReadyError('the call detail has no recordStatus yet', upstreamRequestId);
  }

  let recording: StoredRecording | null = null;
  if (detail.recording.url !== null && detail.recording.status !== 'none') {
    let refreshed = false;
    const refresh = async (reason: string) => {
      if (refreshed) throw new RecordingExpiredError(`${reason}, and the refreshed URL too`);
      refreshed = true;
      log('info', 'refreshing recording URL', { ...context, reason });
      ({ detail, upstreamRequestId } = await lookupCall(query, deps.dyvms));
      if (detail.recording.url === null)
        throw new RecordingExpiredError(`${reason}; no fresh URL came`);
    };

    recording = await withRetry(
      async () => {
        for (;;) {
          const url = checkRecordingUrl(detail.recording.url as string, deps.recordingHosts);
          const expires = expiresAtMs(url);
          if (expires !== undefined && expires - now() < deps.recording.expiryMarginMs) {
            await refresh('recording URL expired or about to');
            continue;
          }
          try {
            return await storeRecording(url, keys.recording(recordingExtension(url)), deps);
          } catch (error: unknown) {
            if (!(error instanceof RecordingExpiredError)) throw error;
            await refresh('recording host answered 403 Request has expired');
          }
        }
      },
      (error) =>
        error instanceof VmsArchiveError &&
        error.retryable &&
        !(error instanceof RecordingExpiredError),
      { maxAttempts: deps.recording.downloadAttempts, baseDelayMs: 500, maxDelayMs: 5_000 },
      {
        ...deps,
        onRetry: (error, attempt) =>
          log('warn', 'download failed, retrying', {
            ...context,
            attempt,
            error: error instanceof Error ? error.message : String(error),
          }),
      },
    );
  }

  const archived: ArchivedDetail = {
    schemaVersion: DETAIL_SCHEMA_VERSION,
    call: detail,
    recording,
    upstreamRequestId: upstreamRequestId ?? null,
    archivedAt: new Date(now()).toISOString(),
  };
  await deps.store.put(keys.detail, `${JSON.stringify(archived, null, 2)}\n`, {
    contentType: 'application/json; charset=utf-8',
  });
  log('info', recording ? 'archived' : 'archived without recording', {
    ...context,
    detailKey: keys.detail,
    bytes: recording?.bytes,
  });
  return recording
    ? { status: 'archived', detailKey: keys.detail, recording }
    : { status: 'no-recording', detailKey: keys.detail };
}

/** Streams the download into the store while hashing; nothing lands at `key` unless whole. */
async function storeRecording(url: URL, key: string, deps: ArchiveDeps): Promise<StoredRecording> {
  const response = await openRecording(url, deps.recording);
  const length = response.headers['content-length'];
  const verified = new VerifiedBody(length === undefined ? undefined : Number(length));
  const body = pipeline(response, verified, () => undefined);
  const extension = key.slice(key.lastIndexOf('.') + 1);
  const contentType = contentTypeFor(extension, response.headers['content-type']);
  try {
    await deps.store.put(key, body, { contentType });
  } catch (error: unknown) {
    if (error instanceof VmsArchiveError) throw error;
    // The body broke (reset, stall, short): a download failure, retried.
    if (response.errored || verified.errored) {
      throw new RecordingDownloadError(
        `download of ${redactUrl(url.toString())} broke: ${String((error as Error)?.message ?? error)}`,
        error,
      );
    }
    throw new StorageError(`cannot write ${key} to ${deps.store.describe}`, error);
  }
  return {
    key,
    bytes: verified.bytes,
    sha256: verified.sha256,
    contentType,
    source: redactUrl(url.toString()),
  };
}
