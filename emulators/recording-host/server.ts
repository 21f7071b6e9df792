import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BUCKET,
  EXPIRED,
  INTERNAL_ERROR,
  NO_SUCH_KEY,
  type OssRefusal,
  SIGNATURE_MISMATCH,
  streamRecording,
  writeOssError,
} from './oss-answers';
import type { Recording, RecordingFault } from './recording';

/**
 * An OSS-like recording host on 127.0.0.1. It serves WAV files of any size, generated on
 * the fly (nothing held in memory; recording.ts), at signed URLs
 * `/{bucket}/{object}?Expires=…&OSSAccessKeyId=…&Signature=…` that it really checks with
 * OSS's URL-signature scheme; after `Expires` it answers 403 with OSS's XML and
 * `x-oss-ec: 0002-00000069` (oss-answers.ts). Faults on request: cut a body short, reset,
 * stall, 5xx.
 */
export {
  type Recording,
  type RecordingFault,
  recordingBytes,
  recordingChunks,
  recordingSha256,
} from './recording';

const ACCESS_KEY_ID = 'bypFNbGJVk7emu';

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

  /**
   * One request: authenticated by its URL's signature, then an injected fault or the URL's
   * expiry, then the object (404 when there is none), then its bytes.
   */
  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    const [, bucket = '', object = ''] = url.pathname.split('/');
    const refuse = (refusal: OssRefusal) => this.refuse(res, object, refusal);
    if (!this.authentic(bucket, object, url.searchParams)) return refuse(SIGNATURE_MISMATCH);
    const fault = this.faults.shift();
    const expires = url.searchParams.get('Expires') ?? '';
    if (fault?.kind === 'expired' || Number(expires) * 1000 < Date.now()) return refuse(EXPIRED);
    const recording = this.recordings.get(object);
    if (!recording) return refuse(NO_SUCH_KEY);
    if (fault?.kind === 'status') return refuse({ ...INTERNAL_ERROR, status: fault.status });
    this.requests.push({ at: Date.now(), object, status: 200 });
    this.open.add(res);
    res.once('close', () => this.open.delete(res));
    streamRecording(res, object, recording, fault);
  }

  /** The bucket is ours and the Signature is the one for this object and Expires. */
  private authentic(bucket: string, object: string, query: URLSearchParams): boolean {
    const expires = query.get('Expires') ?? '';
    const expected = Buffer.from(this.signature(expires, object));
    const given = Buffer.from(query.get('Signature') ?? '');
    return (
      bucket === BUCKET && given.length === expected.length && timingSafeEqual(given, expected)
    );
  }

  private refuse(res: ServerResponse, object: string, refusal: OssRefusal): void {
    this.requests.push({ at: Date.now(), object, status: refusal.status });
    writeOssError(res, refusal);
  }
}
