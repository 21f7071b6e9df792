/**
 * Loads a handler module in a fresh module registry (so its configuration is read from the
 * environment given now), and remembers the registry's LocalDispatcher so a test can wait
 * for the jobs it started before stopping the emulators.
 */
const registries: { drainAll(): Promise<void> }[] = [];

export function loadHandler<T>(modulePath: string, env: NodeJS.ProcessEnv): T {
  process.env = env;
  let handler: T | undefined;
  jest.isolateModules(() => {
    handler = require(modulePath).handler as T;
    registries.push(require('../../lib/dispatch/local-dispatcher').LocalDispatcher);
  });
  return handler as T;
}

/** Waits until every local queue of every handler loaded so far is idle. */
export async function drainLoadedHandlers(): Promise<void> {
  await Promise.all(registries.splice(0).map((dispatchers) => dispatchers.drainAll()));
}
