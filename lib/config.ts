import { z } from 'zod';
import { ConfigError } from './errors';

/**
 * The one place that reads the environment (DESIGN.md "Configuration"). Every variable is
 * validated here; a bad value stops start-up with an error that names the variable.
 */
const csv = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? String(fallback) : value))
    .pipe(z.string().regex(/^\d+$/, 'expected a whole number').transform(Number))
    .pipe(z.number().int().positive());

const REGION = /^[a-z0-9-]+$/;

/** Unset, empty, or matching `pattern`; `message` says what is expected. */
const optionalMatching = (pattern: RegExp, message: string) =>
  z
    .string()
    .optional()
    .refine((value) => value === undefined || value === '' || pattern.test(value), message);

const endpointSchema = z
  .string()
  .optional()
  .transform((value) => value?.trim() || 'dyvmsapi.aliyuncs.com')
  .refine(
    (value) =>
      /^[a-z0-9.-]+(:\d+)?$/i.test(value) || /^https?:\/\/[a-z0-9.-]+(:\d+)?\/?$/i.test(value),
    'expected a host name (dyvmsapi.aliyuncs.com) or http(s)://host:port',
  );

const envSchema = z.object({
  ALIBABA_CLOUD_ACCESS_KEY_ID: z.string().optional(),
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: z.string().optional(),
  ALIBABA_CLOUD_SECURITY_TOKEN: z.string().optional(),
  DYVMS_ENDPOINT: endpointSchema,
  DYVMS_CONNECT_TIMEOUT_MS: positiveInt(3_000),
  // QueryRobotTaskCallDetail usually answers in well under a second; 10 s leaves room for
  // a slow day while keeping one lookup (with its retries) inside API Gateway's 30 s.
  DYVMS_READ_TIMEOUT_MS: positiveInt(10_000),
  DYVMS_MAX_ATTEMPTS: positiveInt(3),
  // The API allows 100 calls/s per account; 80 leaves headroom for other callers.
  DYVMS_MAX_RPS: positiveInt(80),
  API_KEYS: z
    .string()
    .optional()
    .transform((value) => csv(value ?? '')),
  REPORTS_TOKEN: z.string().optional(),
  RECORDING_HOSTS: z
    .string()
    .optional()
    .transform((value) => csv(value ?? '.aliyuncs.com,.aliyun-inc.com')),
  ARCHIVE_URL: optionalMatching(
    /^(file:\/\/\/.+|s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?|oss:\/\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9](\/.*)?)$/,
    'expected file:///abs/dir, s3://bucket/prefix or oss://bucket/prefix',
  ),
  S3_ENDPOINT: z
    .string()
    .url('expected a URL such as http://127.0.0.1:4568')
    .optional()
    .or(z.literal('')),
  AWS_REGION: z.string().optional(),
  OSS_REGION: optionalMatching(REGION, 'expected a region id such as cn-hangzhou'),
  ARCHIVE_SSE: z.enum(['', 'AES256', 'aws:kms']).optional(),
  DISPATCH: optionalMatching(
    /^(local|lambda:[A-Za-z0-9_:.-]+|sqs:https?:\/\/\S+|fc:[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+)$/,
    'expected local, lambda:<function>, sqs:<queue-url> or fc:<service>/<function>',
  ),
  LOCAL_RETRY_DELAYS_MS: optionalMatching(
    /^\s*(\d+\s*(,\s*\d+\s*)*)?$/,
    'expected comma-separated milliseconds',
  ),
  RECORDING_EXPIRY_MARGIN_MS: positiveInt(5 * 60_000),
  RECORDING_CONNECT_TIMEOUT_MS: positiveInt(5_000),
  // A read that stalls this long mid-body fails the download (the body itself may take minutes).
  RECORDING_READ_TIMEOUT_MS: positiveInt(30_000),
  RECORDING_DOWNLOAD_ATTEMPTS: positiveInt(3),
  FC_ACCOUNT_ID: optionalMatching(/^\d+$/, 'expected the numeric Alibaba Cloud account id'),
  FC_REGION: optionalMatching(REGION, 'expected a region id such as cn-hangzhou'),
  FC_ENDPOINT: z.string().url('expected a URL').optional().or(z.literal('')),
  PORT: positiveInt(3000),
});

export interface DyvmsEndpoint {
  protocol: 'http' | 'https';
  /** host[:port], as openapi-client's `endpoint` wants it */
  host: string;
}

export interface StaticCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string | undefined;
}

export interface Config {
  dyvms: {
    endpoint: DyvmsEndpoint;
    connectTimeoutMs: number;
    readTimeoutMs: number;
    maxAttempts: number;
    maxRps: number;
    /** An AccessKey pair from the environment; absent: the default credentials chain. */
    credentials: StaticCredentials | undefined;
  };
  apiKeys: readonly string[];
  reportsToken: string | undefined;
  recordingHosts: readonly string[];
  recording: {
    expiryMarginMs: number;
    connectTimeoutMs: number;
    readTimeoutMs: number;
    downloadAttempts: number;
  };
  archive: {
    /** Unset outside the sandbox: functions that store require it (requireArchiveUrl). */
    url: string | undefined;
    s3Endpoint: string | undefined;
    awsRegion: string | undefined;
    ossRegion: string;
    sse: 'AES256' | 'aws:kms' | undefined;
  };
  dispatch: DispatchTarget;
  localRetryDelaysMs: readonly number[];
  port: number;
}

export type DispatchTarget =
  | { kind: 'local' }
  | { kind: 'lambda'; functionName: string }
  | { kind: 'sqs'; queueUrl: string }
  | {
      kind: 'fc';
      service: string;
      functionName: string;
      accountId: string | undefined;
      region: string | undefined;
      endpoint: string | undefined;
    };

function parseDispatch(
  value: string | undefined,
  fc: { accountId?: string; region?: string; endpoint?: string },
): DispatchTarget {
  if (!value || value === 'local') return { kind: 'local' };
  const [kind, ...rest] = value.split(':');
  const target = rest.join(':');
  if (kind === 'lambda') return { kind, functionName: target };
  if (kind === 'sqs') return { kind, queueUrl: target };
  const [service = '', functionName = ''] = target.split('/');
  return {
    kind: 'fc',
    service,
    functionName,
    accountId: fc.accountId || undefined,
    region: fc.region || undefined,
    endpoint: fc.endpoint || undefined,
  };
}

function parseEndpoint(value: string): DyvmsEndpoint {
  const match = /^(https?):\/\/([^/]+)\/?$/i.exec(value);
  if (match?.[1] && match[2]) {
    return { protocol: match[1].toLowerCase() as 'http' | 'https', host: match[2] };
  }
  return { protocol: 'https', host: value };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (Boolean(e.ALIBABA_CLOUD_ACCESS_KEY_ID) !== Boolean(e.ALIBABA_CLOUD_ACCESS_KEY_SECRET)) {
    throw new ConfigError(
      'Invalid configuration: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET must be set together',
    );
  }
  return Object.freeze({
    dyvms: Object.freeze({
      endpoint: Object.freeze(parseEndpoint(e.DYVMS_ENDPOINT)),
      connectTimeoutMs: e.DYVMS_CONNECT_TIMEOUT_MS,
      readTimeoutMs: e.DYVMS_READ_TIMEOUT_MS,
      maxAttempts: e.DYVMS_MAX_ATTEMPTS,
      maxRps: e.DYVMS_MAX_RPS,
      credentials:
        e.ALIBABA_CLOUD_ACCESS_KEY_ID && e.ALIBABA_CLOUD_ACCESS_KEY_SECRET
          ? Object.freeze({
              accessKeyId: e.ALIBABA_CLOUD_ACCESS_KEY_ID,
              accessKeySecret: e.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
              securityToken: e.ALIBABA_CLOUD_SECURITY_TOKEN || undefined,
            })
          : undefined,
    }),
    apiKeys: Object.freeze(e.API_KEYS),
    reportsToken: e.REPORTS_TOKEN,
    recordingHosts: Object.freeze(e.RECORDING_HOSTS),
    recording: Object.freeze({
      expiryMarginMs: e.RECORDING_EXPIRY_MARGIN_MS,
      connectTimeoutMs: e.RECORDING_CONNECT_TIMEOUT_MS,
      readTimeoutMs: e.RECORDING_READ_TIMEOUT_MS,
      downloadAttempts: e.RECORDING_DOWNLOAD_ATTEMPTS,
    }),
    archive: Object.freeze({
      url: e.ARCHIVE_URL || undefined,
      s3Endpoint: e.S3_ENDPOINT || undefined,
      awsRegion: e.AWS_REGION || undefined,
      ossRegion: e.OSS_REGION || 'cn-hangzhou',
      sse: e.ARCHIVE_SSE || undefined,
    }),
    dispatch: Object.freeze(
      parseDispatch(e.DISPATCH, {
        accountId: e.FC_ACCOUNT_ID,
        region: e.FC_REGION,
        endpoint: e.FC_ENDPOINT,
      }),
    ),
    localRetryDelaysMs: Object.freeze(
      (e.LOCAL_RETRY_DELAYS_MS ?? '1000,5000')
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .map(Number),
    ),
    port: e.PORT,
  });
}

/** For functions that cannot run without API keys (lookup): stop at start-up, not per call. */
export function requireApiKeys(config: Readonly<Config>): readonly string[] {
  if (config.apiKeys.length === 0) {
    throw new ConfigError(
      'Invalid configuration: API_KEYS is required (comma-separated keys accepted in x-api-key)',
    );
  }
  return config.apiKeys;
}

/** For functions that store (archive, reports): stop at start-up without ARCHIVE_URL. */
export function requireArchiveUrl(config: Readonly<Config>): string {
  if (!config.archive.url) {
    throw new ConfigError(
      'Invalid configuration: ARCHIVE_URL is required (file:///abs/dir, s3://bucket/prefix or oss://bucket/prefix)',
    );
  }
  return config.archive.url;
}

/** For the push receiver: stop at start-up without REPORTS_TOKEN. */
export function requireReportsToken(config: Readonly<Config>): string {
  if (!config.reportsToken) {
    throw new ConfigError(
      'Invalid configuration: REPORTS_TOKEN is required (the secret path segment of POST /reports/{token})',
    );
  }
  return config.reportsToken;
}

/** SSM Parameter Store path the secrets are read from on AWS (unset: the environment). */
export function secretsSsmPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SECRETS_SSM_PATH || undefined;
}

/**
 * The configuration with values fetched at run time (SSM secrets, FC role credentials)
 * laid over the environment; validated like the environment itself.
 */
export function loadConfigWith(
  overrides: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<Config> {
  return loadConfig({ ...env, ...overrides });
}
