import { fileURLToPath } from 'node:url';
import type { StaticCredentials, StoreOptions } from '../config';
import { ConfigError } from '../errors';
import { FsObjectStore } from './fs-store';
import type { ObjectStore } from './object-store';

/** The S3 client (and OSS through it) loads only when the archive is s3:// or oss://. */
const s3Store = () => (require('./s3-store') as typeof import('./s3-store')).S3ObjectStore;

/**
 * The store named by ARCHIVE_URL (file://, s3:// or oss://). OSS signs with the Alibaba
 * Cloud credentials (`alibabaCredentials`); S3 with the AWS SDK's own chain.
 */
export function openStore(
  archiveUrl: string,
  options: Pick<StoreOptions, 's3Endpoint' | 'awsRegion' | 'ossRegion' | 'sse'> & {
    alibabaCredentials?: StaticCredentials;
  },
): ObjectStore {
  const url = new URL(archiveUrl);
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  switch (url.protocol) {
    case 'file:':
      return new FsObjectStore(fileURLToPath(url));
    case 's3:':
      return new (s3Store())({
        bucket: url.hostname,
        prefix,
        describe: archiveUrl,
        sse: options.sse,
        client: {
          region: options.awsRegion ?? 'us-east-1',
          ...(options.s3Endpoint ? { endpoint: options.s3Endpoint, forcePathStyle: true } : {}),
        },
      });
    case 'oss:':
      return ossStore(url, prefix, archiveUrl, options);
    default:
      throw new ConfigError(
        `Invalid configuration: ARCHIVE_URL has an unsupported scheme ${url.protocol}`,
      );
  }
}

/** oss://: OSS through its S3-compatible endpoint, signed with the Alibaba Cloud keys. */
function ossStore(
  url: URL,
  prefix: string,
  archiveUrl: string,
  options: Pick<StoreOptions, 'ossRegion'> & { alibabaCredentials?: StaticCredentials },
): ObjectStore {
  const keys = options.alibabaCredentials;
  return new (s3Store())({
    bucket: url.hostname,
    prefix,
    describe: archiveUrl,
    client: {
      region: options.ossRegion,
      // OSS's S3-compatible endpoint serves virtual-hosted style only.
      endpoint: `https://oss-${options.ossRegion}.aliyuncs.com`,
      forcePathStyle: false,
      ...(keys
        ? {
            credentials: {
              accessKeyId: keys.accessKeyId,
              secretAccessKey: keys.accessKeySecret,
              sessionToken: keys.securityToken,
            },
          }
        : {}),
    },
  });
}

/**
 * The same store, opened on its first call. For the push receiver, which writes to the
 * archive only to park a rejected record: opening s3:// or oss:// loads the S3 client, 13 ms
 * of a cold start that the Voice Service's 700 ms pays for, on pushes that mostly never
 * park anything. ARCHIVE_URL is validated before, so opening late cannot fail on it.
 */
export function openStoreOnFirstUse(
  archiveUrl: string,
  options: Parameters<typeof openStore>[1],
): ObjectStore {
  let store: ObjectStore | undefined;
  const opened = () => {
    store ??= openStore(archiveUrl, options);
    return store;
  };
  return {
    describe: archiveUrl,
    put: (key, body, putOptions) => opened().put(key, body, putOptions),
    head: (key) => opened().head(key),
    get: (key) => opened().get(key),
    openRead: (key, range) => opened().openRead(key, range),
    listDirs: (prefix) => opened().listDirs(prefix),
    readUrl: (key, seconds, answer) => opened().readUrl(key, seconds, answer),
    list: (prefix) => opened().list(prefix),
    delete: (key) => opened().delete(key),
    purge: (key, purgeOptions) => opened().purge(key, purgeOptions),
    purgeNoncurrent: (prefix) => opened().purgeNoncurrent(prefix),
    sweepTemps: async (prefix, olderThanMs) =>
      (await opened().sweepTemps?.(prefix, olderThanMs)) ?? 0,
    abandonWrites: async () => (await opened().abandonWrites?.()) ?? 0,
  };
}
