import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream';
import { type RetryDeps, withRetry } from '../common/retry';
import type { LookupResult } from '../dyvms/lookup-call';
import { VmsArchiveError } from '../errors';
import type { CallFolderKeys, StoredRecording } from '../layout/call-folder';
import { log, redactUrl } from '../log';
import { recordMetric } from '../metrics';
import { type ObjectStore, StorageError } from '../storage/object-store';
import { type DownloadTimeouts, openRecording, VerifiedBody } from './download';
import { RecordingDownloadError, RecordingExpiredError, RecordingRefusedError } from './errors';
import { audioTypeOf, checkRecordingUrl, expiresAtMs, recordingExtension } from './recording-url';

export interface DownloadDeps extends RetryDeps {
  store: ObjectStore;
  recordingHosts: readonly string[];
  recording: DownloadTimeouts & { expiryMarginMs: number; downloadAttempts: number };
  now?: () => number;
}

/**
 * Where a call's recording comes from: the latest lookup's signed URL, which may be
 * refreshed once (looked up again) when it has expired or is about to.
 */
export interface RecordingSource {
  /** The latest lookup: what `detail.json` records. */
  readonly current: LookupResult;
  /** The URL to download now, checked against RECORDING_HOSTS, refreshed if expiring. */
  url(): Promise<URL>;
  /** Looks the call up again for a fresh URL; a second refresh is a RecordingExpiredError. */
  refresh(reason: string): Promise<void>;
}

export function recordingSource(
  first: LookupResult,
  lookUpAgain: () => Promise<LookupResult>,
  deps: Pick<DownloadDeps, 'recordingHosts' | 'recording' | 'now'>,
): RecordingSource {
  const now = deps.now ?? Date.now;
  let current = first;
  let refreshed = false;
  const source: RecordingSource = {
    get current() {
      return current;
    },
    async url() {
      const raw = current.detail.recording.url;
      if (raw === null) throw new RecordingExpiredError('the call detail has no recording URL');
      const url = checkRecordingUrl(raw, deps.recordingHosts);
      const expires = expiresAtMs(url);
      if (expires === undefined || expires - now() >= deps.recording.expiryMarginMs) {
        if (expires !== undefined)
          recordMetric('RecordingUrlLifeLeftSeconds', (expires - now()) / 1000);
        return url;
      }
      await source.refresh('recording URL expired or about to');
      return source.url();
    },
    async refresh(reason) {
      if (refreshed) throw new RecordingExpiredError(`${reason}, and the refreshed URL too`);
      refreshed = true;
      log('info', 'refreshing recording URL', { callId: current.detail.callId, reason });
      current = await lookUpAgain();
      if (current.detail.recording.url === null)
        throw new RecordingExpiredError(`${reason}; no fresh URL came`);
    },
  };
  return source;
}

/**
 * Downloads the recording into the store under `keys`, retrying a broken download a few
 * times (docs/design.md "Retries, by layer"); an expired URL is refreshed, not retried.
 */
export async function downloadRecording(
  source: RecordingSource,
  keys: CallFolderKeys,
  deps: DownloadDeps,
): Promise<StoredRecording> {
  const attempt = async (): Promise<StoredRecording> => {
    const url = await source.url();
    try {
      return await storeRecording(url, keys.recording(recordingExtension(url)), deps);
    } catch (error: unknown) {
      if (!(error instanceof RecordingExpiredError)) throw error;
      // Refreshes once; a second 403 ends here with "and the refreshed URL too".
      await source.refresh('recording host answered 403 Request has expired');
      return attempt();
    }
  };
  return withRetry(
    attempt,
    // Only a broken download is tried again here; a full disk (StorageError) or a failed
    // lookup goes back to the job's own retries, never round a tight download loop.
    (error) => error instanceof RecordingDownloadError,
    { maxAttempts: deps.recording.downloadAttempts, baseDelayMs: 500, maxDelayMs: 5_000 },
    {
      ...deps,
      onRetry: (error, attempt) =>
        log('warn', 'download failed, retrying', {
          dir: keys.dir,
          attempt,
          error: error instanceof Error ? error.message : String(error),
        }),
    },
  );
}

/**
 * What a 200 may be stored as: audio only (see audioTypeOf), and no larger than
 * RECORDING_MAX_BYTES by its Content-Length, refused before a byte of the body is read.
 */
function admitted(
  response: IncomingMessage,
  key: string,
  maxBytes: number,
): { contentType: string; length: number | undefined } {
  const header = response.headers['content-type'];
  const contentType = audioTypeOf(key.slice(key.lastIndexOf('.') + 1), header);
  const length = response.headers['content-length'];
  const bytes = length === undefined ? undefined : Number(length);
  const refusal =
    contentType === undefined
      ? `the answer's type ${header?.split(';')[0]?.trim() || 'application/octet-stream'} is not audio (for ${key.slice(key.lastIndexOf('/') + 1)})`
      : bytes !== undefined && bytes > maxBytes
        ? `Content-Length ${bytes} is over RECORDING_MAX_BYTES (${maxBytes})`
        : undefined;
  if (refusal !== undefined || contentType === undefined) {
    response.destroy();
    throw new RecordingRefusedError(refusal ?? 'not audio');
  }
  return { contentType, length: bytes };
}

/** Streams the download into the store while hashing; nothing lands at `key` unless whole. */
async function storeRecording(
  url: URL,
  key: string,
  deps: Pick<DownloadDeps, 'store' | 'recording'>,
): Promise<StoredRecording> {
  const response = await openRecording(url, deps.recording);
  const { contentType, length } = admitted(response, key, deps.recording.maxBytes);
  const verified = new VerifiedBody(length, deps.recording.maxBytes);
  const body = pipeline(response, verified, () => undefined);
  let stored: { storeTag: string };
  try {
    stored = await deps.store.put(key, body, { contentType });
  } catch (error: unknown) {
    // Over RECORDING_MAX_BYTES: refused (parked), whatever the store made of the cut body.
    if (verified.errored instanceof RecordingRefusedError) throw verified.errored;
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
    storeTag: stored.storeTag,
  };
}
