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
    case 'oss:': {
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
    default:
      throw new ConfigError(
        `Invalid configuration: ARCHIVE_URL has an unsupported scheme ${url.protocol}`,
      );
  }
}
