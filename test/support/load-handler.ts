import type { Dispatcher } from '../../lib/dispatch/dispatcher';

export interface LoadedHandler<T> {
  handler: T;
  /** Waits until the jobs this handler's local dispatcher took are archived or parked. */
  drain(): Promise<void>;
  /** Puts back the environment as it was before the load. */
  restore(): void;
}

const loaded: LoadedHandler<unknown>[] = [];

/**
 * Loads a handler module in a fresh module registry with `env` as the environment (its
 * configuration is read as it loads, and the AWS SDK reads the environment as it calls).
 */
export function loadHandler<T>(modulePath: string, env: NodeJS.ProcessEnv): LoadedHandler<T> {
  const saved = process.env;
  process.env = { ...env };
  let module: { handler: T; services: { built(): { dispatcher?: Dispatcher } | undefined } };
  jest.isolateModules(() => {
    module = require(modulePath);
  });
  const result: LoadedHandler<T> = {
    // biome-ignore lint/style/noNonNullAssertion: isolateModules runs its callback at once
    handler: module!.handler,
    drain: async () => {
      const dispatcher = module.services.built()?.dispatcher as { idle?(): Promise<void> };
      await dispatcher?.idle?.();
    },
    restore: () => {
      process.env = saved;
    },
  };
  loaded.push(result as LoadedHandler<unknown>);
  return result;
}

/** Waits for every handler loaded so far, then puts back the environment of the first. */
export async function drainLoadedHandlers(): Promise<void> {
  const all = loaded.splice(0);
  await Promise.all(all.map((item) => item.drain()));
  for (const item of all.reverse()) item.restore();
}
