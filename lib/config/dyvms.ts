import * as z from 'zod';
import { durationMs, optionalText, positiveInt } from './values';

export const StaticCredentialsSchema = z.object({
  accessKeyId: z.string(),
  accessKeySecret: z.string(),
  securityToken: z.string().optional(),
});
export type StaticCredentials = z.output<typeof StaticCredentialsSchema>;

/** Dyvmsapi: where it is, how long to wait, how often to call, and with which keys. */
export const dyvmsSchema = z
  .object({
    ALIBABA_CLOUD_ACCESS_KEY_ID: optionalText,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: optionalText,
    ALIBABA_CLOUD_SECURITY_TOKEN: optionalText,
    DYVMS_ENDPOINT: z
      .string()
      .optional()
      .transform((value) => value?.trim() || 'dyvmsapi.aliyuncs.com')
      .transform((value, ctx) => {
        const url = /^(https?):\/\/([a-z0-9.-]+(?::\d+)?)\/?$/i.exec(value);
        if (url?.[1] && url[2]) {
          return { protocol: url[1].toLowerCase() as 'http' | 'https', host: url[2] };
        }
        if (/^[a-z0-9.-]+(:\d+)?$/i.test(value)) return { protocol: 'https' as const, host: value };
        ctx.addIssue({
          code: 'custom',
          message: 'expected a host name (dyvmsapi.aliyuncs.com) or http(s)://host:port',
        });
        return z.NEVER;
      }),
    DYVMS_CONNECT_TIMEOUT_MS: durationMs(3_000),
    // QueryRobotTaskCallDetail usually answers in well under a second; 10 s leaves room for
    // a slow day while keeping one lookup (with its retries) inside API Gateway's 30 s.
    DYVMS_READ_TIMEOUT_MS: durationMs(10_000),
    DYVMS_MAX_ATTEMPTS: positiveInt(3),
    // The API allows 100 calls/s per account; 80 leaves headroom for other callers.
    DYVMS_MAX_RPS: positiveInt(80),
    // The list APIs document no largest page; their own examples ask for 20.
    DYVMS_PAGE_SIZE: positiveInt(50),
  })
  .superRefine((e, ctx) => {
    if (Boolean(e.ALIBABA_CLOUD_ACCESS_KEY_ID) !== Boolean(e.ALIBABA_CLOUD_ACCESS_KEY_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
        message:
          'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET must be set together',
      });
    }
  })
  .transform((e) => ({
    endpoint: e.DYVMS_ENDPOINT,
    connectTimeoutMs: e.DYVMS_CONNECT_TIMEOUT_MS,
    readTimeoutMs: e.DYVMS_READ_TIMEOUT_MS,
    maxAttempts: e.DYVMS_MAX_ATTEMPTS,
    maxRps: e.DYVMS_MAX_RPS,
    pageSize: e.DYVMS_PAGE_SIZE,
    /** An AccessKey pair from the environment; absent: the default credentials chain. */
    credentials:
      e.ALIBABA_CLOUD_ACCESS_KEY_ID && e.ALIBABA_CLOUD_ACCESS_KEY_SECRET
        ? {
            accessKeyId: e.ALIBABA_CLOUD_ACCESS_KEY_ID,
            accessKeySecret: e.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
            securityToken: e.ALIBABA_CLOUD_SECURITY_TOKEN,
          }
        : undefined,
  }));
