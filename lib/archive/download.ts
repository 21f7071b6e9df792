import { createHash } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform, type TransformCallback } from 'node:stream';
import { redactUrl } from '../log';
import { type AddressPolicy, checkedLookup } from './address-policy';
import { RecordingDownloadError, RecordingExpiredError, RecordingRefusedError } from './errors';

export interface DownloadTimeouts extends AddressPolicy {
  connectTimeoutMs: number;
  /** Longest silence on the socket, headers or body. */
  readTimeoutMs: number;
}

async function smallBody(response: IncomingMessage, limit = 4096): Promise<string> {
  let text = '';
  for await (const chunk of response) {
    if (text.length < limit) text += (chunk as Buffer).toString('utf8');
  }
  return text.slice(0, limit);
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
    let connectTimer: NodeJS.Timeout | undefined;
    request.once('socket', (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(
        () => request.destroy(new RecordingDownloadError(`connect to ${url.host} timed out`)),
        timeouts.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    request.once('timeout', () =>
      request.destroy(
        new RecordingDownloadError(`no data from ${where} for ${timeouts.readTimeoutMs} ms`),
      ),
    );
    request.once('error', (error) => {
      clearTimeout(connectTimer);
      reject(
        error instanceof RecordingDownloadError || error instanceof RecordingRefusedError
          ? error
          : new RecordingDownloadError(`GET ${where}: ${error.message}`, error),
      );
    });
    request.once('response', (response) => {
      clearTimeout(connectTimer);
      const status = response.statusCode ?? 0;
      if (status === 200) return resolve(response);
      smallBody(response).then(
        (body) => {
          if (status === 403 && /AccessDenied|Request has expired/.test(body)) {
            reject(
              new RecordingExpiredError(
                `${where}: signature expired (OSS 403 ${response.headers['x-oss-ec'] ?? ''})`,
              ),
            );
          } else if (status >= 300 && status < 400) {
            reject(new RecordingRefusedError(`${where}: redirect (${status}) refused`));
          } else {
            reject(new RecordingDownloadError(`GET ${where}: HTTP ${status}`));
          }
        },
        (error: unknown) =>
          reject(new RecordingDownloadError(`GET ${where}: HTTP ${status}`, error)),
      );
    });
  });
}

/**
 * Passes the bytes through while counting and hashing them; at the end, fails when the
 * count differs from Content-Length, so a short body can never be committed.
 */
export class VerifiedBody extends Transform {
  bytes = 0;
  sha256 = '';
  private readonly hash = createHash('sha256');

  constructor(private readonly expectedBytes: number | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
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
