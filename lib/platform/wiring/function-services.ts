import type { MiddlewareObj } from '@middy/core';
import { type Config, loadConfig, loadConfigWith } from '../../config';
import { setLogLevel } from '../../log';
import { type ContextWithSecrets, runtimeVariables, secretsMiddleware } from '../secrets';

export interface FunctionServices<T> {
  /** Fetches the secrets from SSM when SECRETS_SSM_PATH is set (first in the chain). */
  readonly secrets: MiddlewareObj;
  /** The collaborators for this invocation, built once (again only if FC's keys rotated). */
  for(context?: ContextWithSecrets): T;
  /** What has been built so far, if anything (tests and graceful shutdown). */
  built(): T | undefined;
}

/**
 * A function's collaborators, built once per process from the validated configuration
 * (`env` when given, as tests do; the process's environment otherwise). The configuration
 * is read and the SSM read started as the module loads, so a malformed variable stops the
 * cold start; the collaborators are built on the first invocation, once the secrets are in,
 * so a missing one fails that invocation with its name. On FC they are rebuilt when the
 * role's rotating credentials change.
 */
export function functionServices<T>(
  build: (config: Config) => T,
  env?: NodeJS.ProcessEnv,
): FunctionServices<T> {
  const base = loadConfig(env);
  setLogLevel(base.log.level);
  let current: { key: string; services: T } | undefined;
  return {
    secrets: secretsMiddleware(base.platform.secrets),
    for(context) {
      const key =
        context?.alibabaCredentials?.securityToken ??
        context?.alibabaCredentials?.accessKeyId ??
        '';
      if (!current || current.key !== key) {
        const variables = runtimeVariables(context);
        const config = Object.keys(variables).length > 0 ? loadConfigWith(variables, env) : base;
        current = { key, services: build(config) };
      }
      return current.services;
    },
    built: () => current?.services,
  };
}
