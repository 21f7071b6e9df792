import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OSS-like recording host on 127.0.0.1. It serves WAV files of any size, generated on
 * the fly (nothing held in memory), at signed URLs
 * `/{bucket}/{object}?Expires=…&OSSAccessKeyId=…&Signature=…` that it really checks with
 * OSS's URL-signature scheme; after `Expires` it answers 403 with OSS's XML and
 * `x-oss-ec: 0002-00000069`. Faults on request: cut a body short, reset, stall, 5xx.
 */

export interface Recording {
  size: number;
  seed: number;
}

export type RecordingFault =
  | { kind: 'truncate'; afterBytes: number }
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'stall'; ms: number }
  | { kind: 'status'; status: number }
  | { kind: 'expired' };

const BUCKET = 'alicom-fc-record-biz';
const ACCESS_KEY_ID = 'bypFNbGJVk7emu';
const CHUNK = 64 * 1024;

function wavHeader(size: number): Buffer {
  const header = Buffer.alloc(44);
  const dataSize = Math.max(size - 44, 0);
  header.write('RIFF', 0);
  header.writeUInt32LE(Math.min(dataSize + 36, 0xffffffff), 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24); // 8 kHz, telephone audio
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(Math.min(dataSize, 0xffffffff), 40);
  return header;
}

/** The bytes of a recording, chunk by chunk: a WAV header then seeded noise. */
export function* recordingChunks({ size, seed }: Recording): Generator<Buffer> {
  const header = wavHeader(size).subarray(0, Math.min(44, size));
  yield header;
  let state = (seed * 2654435761) >>> 0 || 1;
  let left = size - header.length;
  while (left > 0) {
    const n = Math.min(CHUNK, left);
    const chunk = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 4) {
      // xorshift32: cheap, deterministic, incompressible enough
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      if (i + 4 <= n) chunk.writeUInt32LE(state, i);
      else for (let j = i; j < n; j++) chunk[j] = (state >>> ((j - i) * 8)) & 0xff;
    }
    left -= n;
    yield chunk;
  }
}

export function recordingSha256(recording: Recording): string {
  const hash = createHash('sha256');
  for (const chunk of recordingChunks(recording)) hash.update(chunk);
  return hash.digest('hex');
}

export function recordingBytes(recording: Recording): Buffer {
  return Buffer.concat([...recordingChunks(recording)]);
}

export class RecordingHost {
  readonly requests: { at: number; object: string; status: number }[] = [];
  private readonly recordings = new Map<string, Recording>();
  private readonly faults: RecordingFault[] = [];
  private server: Server | undefined;
  private readonly open = new Set<ServerResponse>();
  url = '';

  constructor(private readonly secret = 'recording-host-secret') {}

  /** `name` is the object name, e.g. `Freeswitch_RU_1_abc_record.wav`. */
  addRecording(name: string, recording: Recording): void {
    this.recordings.set(name, recording);
  }

  /** The object is gone: every request for it answers 404 NoSuchKey from now on. */
  removeRecording(name: string): void {
    this.recordings.delete(name);
  }

  /** Injected faults not yet served. */
  get faultsLeft(): number {
    return this.faults.length;
  }

  injectFaults(...faults: RecordingFault[]): void {
    this.faults.push(...faults);
  }

  private signature(expires: string, object: string): string {
    return createHmac('sha1', this.secret)
      .update(`GET\n\n\n${expires}\n/${BUCKET}/${object}`)
      .digest('base64');
  }

  /** A URL the way recordFile carries it, valid for `ttlSeconds` (negative: already expired). */
  signedUrl(name: string, ttlSeconds = 48 * 3600): string {
    const expires = String(Math.floor(Date.now() / 1000) + ttlSeconds);
    const query = new URLSearchParams({
      Expires: expires,
      OSSAccessKeyId: ACCESS_KEY_ID,
      Signature: this.signature(expires, name),
    });
    return `${this.url}/${BUCKET}/${name}?${query.toString()}`;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private ossError(
    res: ServerResponse,
    object: string,
    status: number,
    code: string,
    message: string,
    ec: string,
  ) {
    this.requests.push({ at: Date.now(), object, status });
    res.writeHead(status, {
      'content-type': 'application/xml',
      'x-oss-ec': ec,
      'x-oss-request-id': 'EMU',
    });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n  <RequestId>EMU</RequestId>\n  <HostId>${BUCKET}.oss-emulator</HostId>\n  <EC>${ec}</EC>\n</Error>\n`,
    );
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const [, bucket = '', object = ''] = url.pathname.split('/');
    const expires = url.searchParams.get('Expires') ?? '';
    const signature = url.searchParams.get('Signature') ?? '';
    const expected = Buffer.from(this.signature(expires, object));
    const given = Buffer.from(signature);
    if (
      bucket !== BUCKET ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      this.ossError(
        res,
        object,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
        '0002-00000040',
      );
      return;
    }
    const fault = this.faults.shift();
    if (fault?.kind === 'expired' || Number(expires) * 1000 < Date.now()) {
      this.ossError(res, object, 403, 'AccessDenied', 'Request has expired.', '0002-00000069');
      return;
    }
    const recording = this.recordings.get(object);
    if (!recording) {
      this.ossError(
        res,
        object,
        404,
        'NoSuchKey',
        'The specified key does not exist.',
        '0026-00000001',
      );
      return;
    }
    if (fault?.kind === 'status') {
      this.ossError(
        res,
        object,
        fault.status,
        'InternalError',
        'We encountered an internal error. Please try again.',
        '0001-00000000',
      );
      return;
    }
    this.requests.push({ at: Date.now(), object, status: 200 });
    res.writeHead(200, {
      'content-type': 'audio/wav',
      'content-length': String(recording.size),
      etag: `"${object}"`,
    });
    this.open.add(res);
    res.once('close', () => this.open.delete(res));
    const limit =
      fault?.kind === 'truncate' || fault?.kind === 'reset'
        ? fault.afterBytes
        : Number.POSITIVE_INFINITY;
    const chunks = recordingChunks(recording);
    let sent = 0;
    const pump = () => {
      while (!res.destroyed) {
        if (sent >= limit) {
          // truncate: end the socket cleanly but early; reset: RST the connection
          if (fault?.kind === 'reset') res.socket?.resetAndDestroy();
          else res.socket?.end();
          return;
        }
        const next = chunks.next();
        if (next.done) {
          res.end();
          return;
        }
        const chunk = next.value.subarray(0, Math.min(next.value.length, limit - sent));
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    if (fault?.kind === 'stall') {
      res.flushHeaders();
      setTimeout(pump, fault.ms).unref();
    } else {
      pump();
    }
  }
}
