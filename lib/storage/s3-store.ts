import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  assertSafeKey,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type ReadUrlAnswer,
  StorageError,
} from './object-store';
import {
  deleteVersions,
  isNotImplemented,
  type KeyedVersion,
  purgeNoncurrentUnder,
  versionsOf,
} from './s3-versions';

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix without leading or trailing slash; '' for the bucket root. */
  prefix: string;
  client: S3ClientConfig;
  sse?: ServerSideEncryption;
  describe: string;
}

/** The ETag without its quotes (S3 and OSS quote it; a multipart one ends in `-N`). */
const etagOf = (etag: string | undefined) => (etag ?? '').replace(/^"|"$/g, '');

const isNotFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

/**
 * `s3://` and `oss://` archives through the AWS SDK. Bodies stream through lib-storage's
 * Upload (multipart above 8 MiB, unknown length allowed); when the body errors, Upload
 * aborts the multipart upload, and a single-part body never reaches PutObject, so no
 * partial object appears at the key. s3rver ignores If-None-Match, so nothing here relies
 * on conditional writes: detail.json written last is the commit marker.
 */
export class S3ObjectStore implements ObjectStore {
  readonly describe: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3StoreOptions) {
    this.describe = options.describe;
    this.client = new S3Client({
      // The default (WHEN_SUPPORTED) adds aws-chunked trailing checksums to streamed
      // bodies: OSS rejects them and some S3-protocol servers store them corrupted.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...options.client,
    });
  }

  private key(key: string): string {
    assertSafeKey(key);
    return this.options.prefix === '' ? key : `${this.options.prefix}/${key}`;
  }

  async put(
    key: string,
    body: Readable | Buffer | string,
    options: PutOptions,
  ): Promise<ObjectInfo> {
    const upload = new Upload({
      client: this.client,
      queueSize: 4,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
      params: {
        Bucket: this.options.bucket,
        Key: this.key(key),
        Body: body,
        ContentType: options.contentType,
        ...(this.options.sse ? { ServerSideEncryption: this.options.sse } : {}),
      },
    });
    let size = 0;
    upload.on('httpUploadProgress', (progress) => {
      size = Math.max(size, progress.loaded ?? 0);
    });
    try {
      const done = await upload.done();
      return { size, storeTag: etagOf(done.ETag) };
    } catch (error: unknown) {
      if (body instanceof Readable && body.errored) throw body.errored;
      throw new StorageError(`cannot write ${key} to ${this.describe}`, error);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }),
      );
      return { size: head.ContentLength ?? 0, storeTag: etagOf(head.ETag) };
    } catch (error: unknown) {
      if (isNotFound(error)) return undefined;
      throw new StorageError(`cannot read ${key} from ${this.describe}`, error);
    }
  }

  async openRead(
    key: string,
    range?: { start: number; end: number },
  ): Promise<Readable | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: this.key(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return object.Body as Readable;
    } catch (error: unknown) {
      if (isNotFound(error)) return undefined;
      throw new StorageError(`cannot read ${key} from ${this.describe}`, error);
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }),
      );
      return Buffer.from(
        await (
          object.Body as { transformToByteArray(): Promise<Uint8Array> }
        ).transformToByteArray(),
      );
    } catch (error: unknown) {
      if (isNotFound(error)) return undefined;
      throw new StorageError(`cannot read ${key} from ${this.describe}`, error);
    }
  }

  /** Every page of a ListObjectsV2 under `prefix` (with `delimiter`: folders apart). */
  private async listPages(
    prefix: string,
    delimiter?: string,
  ): Promise<{ keys: string[]; folders: string[] }> {
    const full = `${this.options.prefix === '' ? '' : `${this.options.prefix}/`}${prefix}`;
    const keys: string[] = [];
    const folders: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.options.bucket,
            Prefix: full,
            Delimiter: delimiter,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? [])
          if (object.Key) keys.push(object.Key.slice(full.length - prefix.length));
        for (const common of page.CommonPrefixes ?? [])
          if (common.Prefix) folders.push(common.Prefix.slice(full.length).replace(/\/$/, ''));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error: unknown) {
      throw new StorageError(`cannot list ${prefix} in ${this.describe}`, error);
    }
    return { keys: keys.sort(), folders: folders.sort() };
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listPages(prefix)).keys;
  }

  async listDirs(prefix: string): Promise<string[]> {
    const dirs = (await this.listPages(prefix, '/')).folders;
    if (dirs.length > 0) return dirs;
    // Nothing there, or a server whose delimiter listing misses nested keys (s3rver does):
    // then the folders are the first segments of the keys themselves.
    const keys = await this.list(prefix);
    const names = keys
      .map((key) => key.slice(prefix.length).split('/'))
      .filter((parts) => parts.length > 1)
      .map((parts) => parts[0] as string);
    return [...new Set(names)].sort();
  }

  /**
   * A presigned GET (S3 and OSS honour `Range` on it), through the AWS SDK's presigner; the
   * type and disposition it answers with are signed into it (`response-content-type`,
   * `response-content-disposition`), so the bucket's origin never serves a recording as
   * anything but audio, and a download as an attachment.
   */
  async readUrl(key: string, seconds: number, answer?: ReadUrlAnswer): Promise<string | undefined> {
    const { getSignedUrl } =
      require('@aws-sdk/s3-request-presigner') as typeof import('@aws-sdk/s3-request-presigner');
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.options.bucket,
        Key: this.key(key),
        ResponseContentType: answer?.contentType,
        ResponseContentDisposition: answer?.attachment
          ? `attachment; filename="${answer.attachment}"`
          : undefined,
      }),
      { expiresIn: seconds },
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }),
    );
  }

  async purge(key: string, options: { keepLatest?: boolean } = {}): Promise<number> {
    let versions: KeyedVersion[];
    try {
      versions = await versionsOf(this.client, this.options.bucket, this.key(key));
    } catch (error: unknown) {
      if (!isNotImplemented(error))
        throw new StorageError(`cannot list the versions of ${key} in ${this.describe}`, error);
      // No versions kept: the object is its only copy.
      if (options.keepLatest) return 0;
      const existed = (await this.head(key)) !== undefined;
      await this.delete(key);
      return existed ? 1 : 0;
    }
    const going = versions.filter((version) => !(options.keepLatest && version.current));
    return deleteVersions(this.client, this.options.bucket, going);
  }

  async purgeNoncurrent(prefix: string): Promise<number> {
    // a folder, never a part of a name (`date=2019-06-1` would reach ten days)
    if (!prefix.endsWith('/')) throw new StorageError(`purgeNoncurrent: ${prefix} is not a folder`);
    // a prefix is a key's leading segments: each is checked as a key's would be
    const full = `${this.key(prefix.slice(0, -1))}/`;
    try {
      return await purgeNoncurrentUnder(this.client, this.options.bucket, full);
    } catch (error: unknown) {
      throw new StorageError(
        `cannot purge the old versions under ${prefix} in ${this.describe}`,
        error,
      );
    }
  }
}
