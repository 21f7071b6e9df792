import type { Config } from '../../lib/config';
import { type FunctionServices, functionServices } from '../../lib/platform/wiring';

const handed: FunctionServices<unknown>[] = [];

/**
 * A function's handler as its module builds it, `createHandler(services)`, with the services
 * its composition root builds from `env` instead of from the process's environment.
 *
 * @example
 * const lookup = handlerWith(createHandler, lookupServices, { ...h.env, API_KEYS: 'k' });
 */
export function handlerWith<S, H>(
  createHandler: (services: FunctionServices<S>) => H,
  build: (config: Config) => S,
  env: NodeJS.ProcessEnv,
): H {
  const services = functionServices(build, env);
  handed.push(services);
  return createHandler(services);
}

function hasIdleDispatcher(value: unknown): value is { dispatcher: { idle(): Promise<void> } } {
  if (typeof value !== 'object' || value === null || !('dispatcher' in value)) return false;
  const { dispatcher } = value;
  return typeof dispatcher === 'object' && dispatcher !== null && 'idle' in dispatcher;
}

/** Waits until the jobs every handler's local dispatcher took so far are archived or parked. */
export async function drainHandlers(): Promise<void> {
  const all = handed.splice(0);
  await Promise.all(
    all.map(async (services) => {
      const built = services.built();
      if (hasIdleDispatcher(built)) await built.dispatcher.idle();
    }),
  );
}
