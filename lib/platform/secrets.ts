import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Config } from '../config';
import { ConfigError } from '../errors';

/** The variables that are secrets: on AWS they come from SSM, never from the stack. */
export const SECRET_VARIABLES = [
  'API_KEYS',
  'REPORTS_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'BROWSE_SESSION_SECRET',
  'AUDIT_HASH_SECRET',
] as const;

/** What a platform adapter or middleware may add to the Lambda context. */
export interface ContextWithSecrets extends Context {
  /** secretsMiddleware: the parameters SECRETS_SSM_NAMES names under SECRETS_SSM_PATH. */
  secrets?: Record<string, unknown>;
  /** Function Compute: the function role's short-lived credentials, per invocation. */
  alibabaCredentials?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
}

/** Where the secrets are (SECRETS_SSM_PATH, AWS_REGION, AWS_ENDPOINT_URL_SSM). */
export type SecretsSource = NonNullable<Config['platform']['secrets']>;

/**
 * Reads the secrets this function uses (`SECRETS_SSM_NAMES`, each one of SECRET_VARIABLES)
 * from SSM Parameter Store under `SECRETS_SSM_PATH` (e.g. `/vms-call-archive/prod/`, one
 * SecureString per variable) into `context.secrets`; a no-op without a path or names
 * (sandbox, tests, FC, a function with no secrets). Its role may read those names and no
 * others (docs/design.md "Least privilege"). The read starts while the module loads
 * (Lambda's init phase, as @middy/ssm's prefetch does) and is kept for the life of the
 * process; a failed read fails that invocation and is tried again by the next.
 */
export function secretsMiddleware(source: SecretsSource | undefined): MiddlewareObj {
  // middy refuses an empty middleware: without SSM the secrets are already in the environment.
  if (!source || source.names.length === 0) return { before: () => undefined };
  const unknown = source.names.filter(
    (name) => !(SECRET_VARIABLES as readonly string[]).includes(name),
  );
  if (unknown.length > 0) {
    throw new ConfigError(
      `Invalid configuration: SECRETS_SSM_NAMES: ${unknown.join(', ')} is not one of ${SECRET_VARIABLES.join(', ')}`,
    );
  }
  // SSM is AWS's: an FC bundle carries no SSM code (lib/platform/build-target.d.ts).
  if (typeof __VMS_PLATFORM__ === 'undefined' || __VMS_PLATFORM__ === 'aws') {
    const { region, path, names, endpoint } = source;
    if (!region) {
      throw new ConfigError('Invalid configuration: AWS_REGION is required with SECRETS_SSM_PATH');
    }
    const ssm = require('./ssm-parameters') as typeof import('./ssm-parameters');
    const read = () => {
      const reading = ssm.readParameters({ path, names, region, endpoint });
      reading.catch(() => {
        if (pending === reading) pending = undefined;
      });
      return reading;
    };
    let pending: Promise<Record<string, string>> | undefined = read();
    return {
      before: async (request) => {
        pending ??= read();
        (request.context as ContextWithSecrets).secrets = await pending;
      },
    };
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
