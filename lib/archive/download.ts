import { createHash } from 'node:crypto';
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform, type TransformCallback } from 'node:stream';
import { redactUrl } from '../log';
import { type AddressPolicy, checkedLookup } from './address-policy';
import { RecordingDownloadError, RecordingExpiredError, RecordingRefusedError } from './errors';

export interface DownloadTimeouts extends AddressPolicy {
  connectTimeoutMs: number;
  /** Longest silence on the socket, headers or body. */
  readTimeoutMs: number;
  /** RECORDING_MAX_BYTES: by Content-Length before the body is read, and by the bytes read. */
  maxBytes: number;
  /** RECORDING_DEADLINE_MS: from the answer's first byte to its last, however it trickles. */
  deadlineMs: number;
}

/** What of an error answer is read: enough for OSS's XML, never an endless body. */
const ERROR_BODY_BYTES = 64 * 1024;

/** The start of an error answer's body; the socket is closed after 64 KiB. */
async function smallBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response) {
    chunks.push(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (bytes >= ERROR_BODY_BYTES) {
      response.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES).toString('utf8');
}

/** Ends a 200's body with a RecordingDownloadError once it has taken longer than allowed. */
function holdToDeadline(response: IncomingMessage, where: string, deadlineMs: number): void {
  const timer = setTimeout(
    () =>
      response.destroy(
        new RecordingDownloadError(
          `${where}: the download took longer than RECORDING_DEADLINE_MS (${deadlineMs} ms)`,
        ),
      ),
    deadlineMs,
  );
  response.once('close', () => clearTimeout(timer));
}

/**
 * Destroys the request when its socket has not connected within `ms`; answers the function
 * that stops the timer (the request answered or failed first).
 */
function boundConnect(request: ClientRequest, host: string, ms: number): () => void {
  let connectTimer: NodeJS.Timeout | undefined;
  request.once('socket', (socket) => {
    if (!socket.connecting) return;
    connectTimer = setTimeout(
      () => request.destroy(new RecordingDownloadError(`connect to ${host} timed out`)),
      ms,
    );
    socket.once('connect', () => clearTimeout(connectTimer));
  });
  return () => clearTimeout(connectTimer);
}

/** Why an answer other than 200 is refused, read from its status and (small) body. */
async function refusalOf(response: IncomingMessage, status: number, where: string): Promise<Error> {
  let body: string;
  try {
    body = await smallBody(response);
  } catch (error: unknown) {
    return new RecordingDownloadError(`GET ${where}: HTTP ${status}`, error);
  }
  if (status === 403 && /AccessDenied|Request has expired/.test(body))
    return new RecordingExpiredError(
      `${where}: signature expired (OSS 403 ${response.headers['x-oss-ec'] ?? ''})`,
    );
  if (status >= 300 && status < 400)
    return new RecordingRefusedError(`${where}: redirect (${status}) refused`);
  return new RecordingDownloadError(`GET ${where}: HTTP ${status}`);
}

/**
 * GETs the recording over the URL exactly as given (its signature covers it), with a
 * connect and a read time-out. Answers the response once it is a 200; an OSS 403 for an
 * expired signature is a RecordingExpiredError, 5xx and network failures are retryable,
 * redirects are refused (they could lead off the allow-list).
 */
export function openRecording(url: URL, timeouts: DownloadTimeouts): Promise<IncomingMessage> {
  const where = redactUrl(url.toString());
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? https.get : http.get;
    // A literal address was allowed by name (RECORDING_HOSTS lists it); a name is resolved
    // and every address it gives is checked as the socket connects.
    const request = get(url, {
      timeout: timeouts.readTimeoutMs,
      headers: { accept: '*/*' },
      lookup: checkedLookup(timeouts) as never,
    });
    const connected = boundConnect(request, url.host, timeouts.connectTimeoutMs);
    request.once('timeout', () =>
      request.destroy(
        new RecordingDownloadError(`no data from ${where} for ${timeouts.readTimeoutMs} ms`),
      ),
    );
    request.once('error', (error) => {
      connected();
      reject(
        error instanceof RecordingDownloadError || error instanceof RecordingRefusedError
          ? error
          : new RecordingDownloadError(`GET ${where}: ${error.message}`, error),
      );
    });
    request.once('response', (response) => {
      connected();
      const status = response.statusCode ?? 0;
      if (status === 200) {
        holdToDeadline(response, where, timeouts.deadlineMs);
        return resolve(response);
      }
      void refusalOf(response, status, where).then(reject);
    });
  });
}

/**
 * Passes the bytes through while counting and hashing them; fails once they pass
 * `maxBytes` (RECORDING_MAX_BYTES: an endless body is cut there, refused), and at the end
 * when the count differs from Content-Length, so a short body can never be committed.
 */
export class VerifiedBody extends Transform {
  bytes = 0;
  sha256 = '';
  private readonly hash = createHash('sha256');

  constructor(
    private readonly expectedBytes: number | undefined,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(
        new RecordingRefusedError(
          `the recording is over RECORDING_MAX_BYTES (${this.maxBytes}): ${this.bytes} bytes read`,
        ),
      );
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.expectedBytes !== undefined && this.bytes !== this.expectedBytes) {
      done(new RecordingDownloadError(`short body: ${this.bytes} of ${this.expectedBytes} bytes`));
      return;
    }
    this.sha256 = this.hash.digest('hex');
    done();
  }
}
