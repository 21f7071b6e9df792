import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { ConfigError } from '../errors';

/** The variables that are secrets: on AWS they come from SSM, never from the stack. */
export const SECRET_VARIABLES = [
  'API_KEYS',
  'REPORTS_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'BROWSE_SESSION_SECRET',
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
  // SSM is AWS's: an FC bundle carries no SSM client (lib/platform/build-target.d.ts).
  if (typeof __VMS_PLATFORM__ === 'undefined' || __VMS_PLATFORM__ === 'aws') {
    const ssm = (require('@middy/ssm') as typeof import('@middy/ssm')).default;
    return ssm({
      fetchData: { secrets: path },
      setToContext: true,
      cacheExpiry: -1,
    }) as MiddlewareObj;
  }
  throw new ConfigError(
    'Invalid configuration: SECRETS_SSM_PATH is for AWS; on Function Compute set the secrets as variables',
  );
}

/** The variables an invocation brings (SSM secrets, FC role credentials), by name. */
export function runtimeVariables(
  context: ContextWithSecrets | undefined,
): Record<string, string | undefined> {
  const variables: Record<string, string | undefined> = {};
  const fc = context?.alibabaCredentials;
  if (fc) {
    variables.ALIBABA_CLOUD_ACCESS_KEY_ID = fc.accessKeyId;
    variables.ALIBABA_CLOUD_ACCESS_KEY_SECRET = fc.accessKeySecret;
    variables.ALIBABA_CLOUD_SECURITY_TOKEN = fc.securityToken;
  }
  for (const name of SECRET_VARIABLES) {
    const value = context?.secrets?.[name];
    if (typeof value === 'string') variables[name] = value;
  }
  return variables;
}
