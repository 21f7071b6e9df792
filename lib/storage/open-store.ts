import { fileURLToPath } from 'node:url';
import type { Config } from '../config';
import { ConfigError } from '../errors';
import { FsObjectStore } from './fs-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore } from './s3-store';

/** The store named by ARCHIVE_URL (file://, s3:// or oss://). */
export function openStore(archiveUrl: string, config: Readonly<Config>): ObjectStore {
  const url = new URL(archiveUrl);
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  switch (url.protocol) {
    case 'file:':
      return new FsObjectStore(fileURLToPath(url));
    case 's3:':
      return new S3ObjectStore({
        bucket: url.hostname,
        prefix,
        describe: archiveUrl,
        sse: config.archive.sse,
        client: {
          region: config.archive.awsRegion ?? 'us-east-1',
          ...(config.archive.s3Endpoint
            ? { endpoint: config.archive.s3Endpoint, forcePathStyle: true }
            : {}),
        },
      });
    case 'oss:': {
      const keys = config.dyvms.credentials;
      return new S3ObjectStore({
        bucket: url.hostname,
        prefix,
        describe: archiveUrl,
        client: {
          region: config.archive.ossRegion,
          // OSS's S3-compatible endpoint serves virtual-hosted style only.
          endpoint: `https://oss-${config.archive.ossRegion}.aliyuncs.com`,
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
