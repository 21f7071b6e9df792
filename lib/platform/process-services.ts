import type { MiddlewareObj } from '@middy/core';
import ssm from '@middy/ssm';
import type { Context } from 'aws-lambda';
import { type Config, loadConfigWith, secretsSsmPath } from '../config';

/** The variables that are secrets: on AWS they come from SSM, never from the stack. */
export const SECRET_VARIABLES = [
  'API_KEYS',
  'REPORTS_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
] as const;

/** What a platform adapter or middleware may add to the Lambda context. */
export interface ContextWithSecrets extends Context {
  /** @middy/ssm (setToContext): the parameters under SECRETS_SSM_PATH, by name. */
  secrets?: Record<string, unknown>;
  /** Function Compute: the function role's short-lived credentials, per invocation. */
  alibabaCredentials?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
}

/**
 * Reads SECRET_VARIABLES from SSM Parameter Store (`SECRETS_SSM_PATH`, e.g.
 * `/vms-call-archive/prod/`, one SecureString per variable) when that path is set; a no-op
 * otherwise (sandbox, tests, FC). Cached for the life of the process.
 */
export function secretsMiddleware(path: string | undefined): MiddlewareObj {
  // middy refuses an empty middleware: without SSM the secrets are already in the environment.
  if (!path) return { before: () => undefined };
  return ssm({
    fetchData: { secrets: path },
    setToContext: true,
    cacheExpiry: -1,
  }) as MiddlewareObj;
}

function overridesFrom(
  context: ContextWithSecrets | undefined,
): Record<string, string | undefined> {
  const overrides: Record<string, string | undefined> = {};
  const fc = context?.alibabaCredentials;
  if (fc) {
    overrides.ALIBABA_CLOUD_ACCESS_KEY_ID = fc.accessKeyId;
    overrides.ALIBABA_CLOUD_ACCESS_KEY_SECRET = fc.accessKeySecret;
    overrides.ALIBABA_CLOUD_SECURITY_TOKEN = fc.securityToken;
  }
  for (const name of SECRET_VARIABLES) {
    const value = context?.secrets?.[name];
    if (typeof value === 'string') overrides[name] = value;
  }
  return overrides;
}

/**
 * A function's collaborators (clients, store, dispatcher), built once per process from the
 * validated configuration. Without SSM they are built at import, so a bad variable stops
 * the cold start; with SSM, on the first invocation, once the secrets are in. On FC they
 * are rebuilt when the role's rotating credentials change.
 */
export function processServices<T>(build: (config: Readonly<Config>) => T): {
  secretsPath: string | undefined;
  servicesFor(context?: ContextWithSecrets): T;
} {
  const secretsPath = secretsSsmPath();
  let built: { key: string; services: T } | undefined;
  const servicesFor = (context?: ContextWithSecrets) => {
    const key =
      context?.alibabaCredentials?.securityToken ?? context?.alibabaCredentials?.accessKeyId ?? '';
    if (!built || built.key !== key) {
      built = { key, services: build(loadConfigWith(overridesFrom(context))) };
    }
    return built.services;
  };
  if (!secretsPath) servicesFor();
  return { secretsPath, servicesFor };
}
