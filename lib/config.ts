import { isIP } from 'node:net';
import * as z from 'zod';
import { ConfigError } from './errors';

/**
 * The one place that reads the environment (docs/design.md "Configuration"). Each concern
 * has its own small schema that validates its variables and turns them into the value the
 * code uses, once; `Config` is derived from those schemas, so type and validator agree.
 * A bad value stops start-up with an error that names the variable.
 */
const csv = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

/** Unset or empty → undefined; anything else as given. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : value));

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? String(fallback) : value))
    .pipe(z.string().regex(/^\d+$/, 'expected a whole number').transform(Number))
    .pipe(z.number().int().positive());

/** Unset or empty → undefined; else it must match `pattern` (`message` says what is expected). */
const optionalMatching = (pattern: RegExp, message: string) =>
  optionalText.refine((value) => value === undefined || pattern.test(value), message);

const REGION = /^[a-z0-9-]+$/;

const optionalUrl = (message: string) =>
  optionalText.refine((value) => value === undefined || URL.canParse(value), message);

const StaticCredentialsSchema = z.object({
  accessKeyId: z.string(),
  accessKeySecret: z.string(),
  securityToken: z.string().optional(),
});
export type StaticCredentials = z.output<typeof StaticCredentialsSchema>;

/** Dyvmsapi: where it is, how long to wait, how often to call, and with which keys. */
const dyvmsSchema = z
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
    DYVMS_CONNECT_TIMEOUT_MS: positiveInt(3_000),
    // QueryRobotTaskCallDetail usually answers in well under a second; 10 s leaves room for
    // a slow day while keeping one lookup (with its retries) inside API Gateway's 30 s.
    DYVMS_READ_TIMEOUT_MS: positiveInt(10_000),
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

/** A secret shorter than this can be guessed; the sandbox generates longer ones itself. */
export const MIN_SECRET_LENGTH = 16;

/** Who may call the HTTP functions. */
const httpSchema = z
  .object({
    API_KEYS: z
      .string()
      .optional()
      .transform((value) => csv(value ?? '')),
    REPORTS_TOKEN: optionalText,
    // Signs browse's session cookies and its recording route: 32+ random bytes, base64.
    BROWSE_SESSION_SECRET: optionalText,
    // Set by `npm start` for its own processes: weak secrets are refused everywhere else.
    VMS_SANDBOX: optionalText,
  })
  .transform((e) => ({
    apiKeys: e.API_KEYS,
    reportsToken: e.REPORTS_TOKEN,
    sessionSecret: e.BROWSE_SESSION_SECRET,
    /** In `npm start`'s own processes, where short secrets of one's own are fine. */
    sandbox: e.VMS_SANDBOX === '1',
  }));

/** Where recordings may come from, and how long to wait for them. */
const recordingSchema = z
  .object({
    RECORDING_HOSTS: z
      .string()
      .optional()
      .transform((value) => csv(value ?? '.aliyuncs.com,.aliyun-inc.com'))
      // `.com` or `.` would allow half the internet: a suffix names at least two labels.
      .refine(
        (hosts) =>
          hosts.every(
            (host) =>
              host.replace(/^\./, '').split('.').filter(Boolean).length >= 2 || isIP(host) !== 0,
          ),
        'a suffix must have at least two labels (.aliyuncs.com, not .com)',
      ),
    RECORDING_EXPIRY_MARGIN_MS: positiveInt(5 * 60_000),
    RECORDING_CONNECT_TIMEOUT_MS: positiveInt(5_000),
    // A read that stalls this long mid-body fails the download (the body itself may take minutes).
    RECORDING_READ_TIMEOUT_MS: positiveInt(30_000),
    RECORDING_DOWNLOAD_ATTEMPTS: positiveInt(3),
    RECORDING_PRIVATE_ADDRESSES: z
      .enum(['', 'allow', 'deny'], { error: 'expected allow or deny' })
      .optional()
      .transform((value) => value || 'deny'),
  })
  .transform((e) => ({
    hosts: e.RECORDING_HOSTS,
    expiryMarginMs: e.RECORDING_EXPIRY_MARGIN_MS,
    connectTimeoutMs: e.RECORDING_CONNECT_TIMEOUT_MS,
    readTimeoutMs: e.RECORDING_READ_TIMEOUT_MS,
    downloadAttempts: e.RECORDING_DOWNLOAD_ATTEMPTS,
    privateAddresses: e.RECORDING_PRIVATE_ADDRESSES,
  }));

/** Where the archive lives. */
const archiveSchema = z
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

/** How CallEnded jobs reach the archive function. */
const dispatchSchema = z
  .object({
    DISPATCH: optionalMatching(
      /^(local|lambda:[A-Za-z0-9_:.-]+|sqs:https?:\/\/\S+|fc:([A-Za-z0-9_-]+\/)?[A-Za-z0-9_-]+)$/,
      'expected local, lambda:<function>, sqs:<queue-url>, fc:<function> (FC 3.0) or fc:<service>/<function> (FC 2.0)',
    ),
    LOCAL_RETRY_DELAYS_MS: z
      .string()
      .optional()
      .refine(
        (value) => value === undefined || /^\s*(\d+\s*(,\s*\d+\s*)*)?$/.test(value),
        'expected comma-separated milliseconds',
      )
      .transform((value) => csv(value ?? '1000,5000').map(Number)),
    FC_ACCOUNT_ID: optionalMatching(/^\d+$/, 'expected the numeric Alibaba Cloud account id'),
    FC_REGION: optionalMatching(REGION, 'expected a region id such as cn-hangzhou'),
    FC_ENDPOINT: optionalUrl('expected a URL'),
  })
  .transform((e) => ({
    target: dispatchTarget(e.DISPATCH, {
      accountId: e.FC_ACCOUNT_ID,
      region: e.FC_REGION,
      endpoint: e.FC_ENDPOINT,
    }),
    /** The `local` dispatcher's waits between retries, like Lambda's and FC's async retries. */
    localRetryDelaysMs: e.LOCAL_RETRY_DELAYS_MS,
  }));

/** Where and how the process runs. */
const platformSchema = z
  .object({
    // The SSM Parameter Store path the secrets are read from on AWS (unset: the environment).
    SECRETS_SSM_PATH: optionalText,
    // Lambda sets AWS_REGION; AWS_ENDPOINT_URL_SSM is the AWS SDKs' own name for an SSM endpoint.
    AWS_REGION: optionalText,
    AWS_ENDPOINT_URL_SSM: optionalUrl('expected a URL such as http://127.0.0.1:4583'),
    PORT: positiveInt(3000),
  })
  .transform((e) => ({
    secrets: e.SECRETS_SSM_PATH
      ? { path: e.SECRETS_SSM_PATH, region: e.AWS_REGION, endpoint: e.AWS_ENDPOINT_URL_SSM }
      : undefined,
    port: e.PORT,
  }));

/** The net under the push. */
const reconcileSchema = z
  .object({
    // Recording URLs live 48 h: looking further back finds calls whose recording is gone.
    RECONCILE_LOOKBACK_HOURS: positiveInt(48),
    // Sandbox only: the platforms run reconcile from their own scheduler.
    RECONCILE_EVERY_MINUTES: positiveInt(10),
  })
  .transform((e) => ({
    lookbackHours: e.RECONCILE_LOOKBACK_HOURS,
    everyMinutes: e.RECONCILE_EVERY_MINUTES,
  }));

const concerns = {
  dyvms: dyvmsSchema,
  http: httpSchema,
  recording: recordingSchema,
  archive: archiveSchema,
  dispatch: dispatchSchema,
  platform: platformSchema,
  reconcile: reconcileSchema,
};

export type Config = { readonly [K in keyof typeof concerns]: z.output<(typeof concerns)[K]> };

export type DispatchTarget =
  | { kind: 'local' }
  | { kind: 'lambda'; functionName: string }
  | { kind: 'sqs'; queueUrl: string }
  | {
      kind: 'fc';
      /** FC 2.0's service; undefined for FC 3.0, which has none. */
      service: string | undefined;
      functionName: string;
      accountId: string | undefined;
      region: string | undefined;
      endpoint: string | undefined;
    };

function dispatchTarget(
  value: string | undefined,
  fc: { accountId?: string; region?: string; endpoint?: string },
): DispatchTarget {
  if (!value || value === 'local') return { kind: 'local' };
  const [kind, ...rest] = value.split(':');
  const target = rest.join(':');
  if (kind === 'lambda') return { kind, functionName: target };
  if (kind === 'sqs') return { kind, queueUrl: target };
  const parts = target.split('/');
  return {
    kind: 'fc',
    service: parts.length === 2 ? parts[0] : undefined,
    functionName: parts.at(-1) ?? '',
    accountId: fc.accountId,
    region: fc.region,
    endpoint: fc.endpoint,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(concerns)) {
    const parsed = schema.safeParse(env);
    if (parsed.success) config[name] = parsed.data;
    else
      problems.push(
        ...parsed.error.issues.map(
          (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
        ),
      );
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return deepFreeze(config as Config);
}

/**
 * For functions that cannot run without API keys (lookup): stop at start-up, not per call.
 * Outside the sandbox a key shorter than MIN_SECRET_LENGTH can be guessed and is refused.
 */
export function requireApiKeys(config: Config): readonly string[] {
  const { apiKeys, sandbox } = config.http;
  if (apiKeys.length === 0) {
    throw new ConfigError(
      'Invalid configuration: API_KEYS is required (comma-separated keys accepted in x-api-key)',
    );
  }
  const short = apiKeys.filter((key) => key.length < MIN_SECRET_LENGTH).length;
  if (short > 0 && !sandbox) {
    throw new ConfigError(
      `Invalid configuration: API_KEYS: ${short} key(s) shorter than ${MIN_SECRET_LENGTH} characters`,
    );
  }
  return apiKeys;
}

/** For functions that store (archive, reports): stop at start-up without ARCHIVE_URL. */
export function requireArchiveUrl(config: Config): string {
  if (!config.archive.url) {
    throw new ConfigError(
      'Invalid configuration: ARCHIVE_URL is required (file:///abs/dir, s3://bucket/prefix or oss://bucket/prefix)',
    );
  }
  return config.archive.url;
}

/** For browse: stop at start-up without a session secret strong enough to sign with. */
export function requireSessionSecret(config: Config): string {
  const { sessionSecret, sandbox } = config.http;
  if (!sessionSecret) {
    throw new ConfigError(
      'Invalid configuration: BROWSE_SESSION_SECRET is required (32+ random bytes, base64: openssl rand -base64 32)',
    );
  }
  if (!sandbox && Buffer.from(sessionSecret, 'base64').length < 32) {
    throw new ConfigError(
      'Invalid configuration: BROWSE_SESSION_SECRET: fewer than 32 bytes (openssl rand -base64 32)',
    );
  }
  return sessionSecret;
}

/** For the push receiver: stop at start-up without REPORTS_TOKEN. */
export function requireReportsToken(config: Config): string {
  const { reportsToken, sandbox } = config.http;
  if (!reportsToken) {
    throw new ConfigError(
      'Invalid configuration: REPORTS_TOKEN is required (the secret path segment of POST /reports/{token})',
    );
  }
  if (reportsToken.length < MIN_SECRET_LENGTH && !sandbox) {
    throw new ConfigError(
      `Invalid configuration: REPORTS_TOKEN: shorter than ${MIN_SECRET_LENGTH} characters`,
    );
  }
  return reportsToken;
}

/**
 * The configuration with values fetched at run time (SSM secrets, FC role credentials)
 * laid over the environment; validated like the environment itself.
 */
export function loadConfigWith(
  overrides: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv = process.env,
): Config {
  return loadConfig({ ...env, ...overrides });
}
