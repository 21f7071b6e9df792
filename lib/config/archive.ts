import * as z from 'zod';
import { optionalMatching, optionalText, optionalUrl, REGION } from './values';

/** Where the archive lives. */
export const archiveSchema = z
  .object({
    ARCHIVE_URL: optionalMatching(
      /^(file:\/\/\/.+|s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?|oss:\/\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9](\/.*)?)$/,
      'expected file:///abs/dir, s3://bucket/prefix or oss://bucket/prefix',
    ),
    S3_ENDPOINT: optionalUrl('expected a URL such as http://127.0.0.1:4568'),
    AWS_REGION: optionalText,
    OSS_REGION: optionalMatching(REGION, 'expected a region id such as cn-hangzhou'),
    ARCHIVE_SSE: z
      .enum(['', 'AES256', 'aws:kms'])
      .optional()
      .transform((value) => value || undefined),
  })
  .transform((e) => ({
    /** Unset outside the sandbox: functions that store require it (requireArchiveUrl). */
    url: e.ARCHIVE_URL,
    s3Endpoint: e.S3_ENDPOINT,
    awsRegion: e.AWS_REGION,
    ossRegion: e.OSS_REGION ?? 'cn-hangzhou',
    sse: e.ARCHIVE_SSE,
  }));

export type StoreOptions = z.output<typeof archiveSchema>;
