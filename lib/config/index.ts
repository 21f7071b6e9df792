import type * as z from 'zod';
import { ConfigError } from '../errors';
import { alertsSchema } from './alerts';
import { archiveSchema } from './archive';
import { callIndexSchema } from './call-index';
import { dispatchSchema } from './dispatch';
import { dyvmsSchema } from './dyvms';
import { httpSchema, MIN_SECRET_LENGTH } from './http';
import { lifecycleSchema } from './lifecycle';
import { logSchema } from './log';
import { platformSchema } from './platform';
import { reconcileSchema } from './reconcile';
import { recordingSchema } from './recording';

/**
 * The one place that reads the environment (docs/design.md "Configuration"). Each concern
 * has its own small schema in this folder that validates its variables and turns them into
 * the value the code uses, once; `Config` is derived from those schemas, so type and
 * validator agree. A bad value stops start-up with an error that names the variable.
 */
const concerns = {
  dyvms: dyvmsSchema,
  http: httpSchema,
  recording: recordingSchema,
  archive: archiveSchema,
  dispatch: dispatchSchema,
  platform: platformSchema,
  reconcile: reconcileSchema,
  callIndex: callIndexSchema,
  log: logSchema,
  alerts: alertsSchema,
  lifecycle: lifecycleSchema,
};

export type { AlertWebhookKind } from './alerts';
export type { StoreOptions } from './archive';
export type { DispatchTarget } from './dispatch';
export type { StaticCredentials } from './dyvms';
export { MIN_SECRET_LENGTH, type NamedKey } from './http';
export type { LogLevel } from './log';

export type Config = { readonly [K in keyof typeof concerns]: z.output<(typeof concerns)[K]> };

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

/**
 * For erase, hold and audit: stop without AUDIT_HASH_SECRET (outside the sandbox, 32+
 * bytes), since a number kept for matching is kept only as its HMAC under it.
 */
export function requireHashSecret(config: Config): string {
  const { hashSecret } = config.lifecycle;
  if (!hashSecret) {
    throw new ConfigError(
      'Invalid configuration: AUDIT_HASH_SECRET is required (32+ random bytes, base64: openssl rand -base64 32)',
    );
  }
  if (!config.http.sandbox && Buffer.from(hashSecret, 'base64').length < 32) {
    throw new ConfigError(
      'Invalid configuration: AUDIT_HASH_SECRET: fewer than 32 bytes (openssl rand -base64 32)',
    );
  }
  return hashSecret;
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

/** The process's environment, for an entry point that lays its own values over it (the CLI). */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}
