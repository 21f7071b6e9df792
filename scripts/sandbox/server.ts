import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../../lib/config';
import { renderForPeople } from './log-lines';
import { waitForPort } from './ports';

/**
 * Where the sandbox's build lives: its own folder per port (serverless.yml's
 * `outputWorkFolder`), never `.esbuild/`, which `serverless package` and `deploy` in the
 * same checkout delete when they finish, nor another sandbox's.
 */
export const sandboxBuildDir = (port: number): string => join('.sandbox-build', String(port));

/**
 * The HTTP server: serverless offline running every function on `config.platform.port`,
 * in its own process group (so stopping it stops all of it). A function that fails before
 * answering gets a 500 and a logged cause, as on API Gateway, not serverless offline's 200
 * with the error as its body (scripts/offline-lambda-errors-hooks.mjs).
 */
export function startServer(env: NodeJS.ProcessEnv, config: Config, root: string): ChildProcess {
  const offline = spawn(
    join(root, 'node_modules', '.bin', 'serverless'),
    ['offline', 'start', '--httpPort', String(config.platform.port), '--host', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...env,
        SANDBOX_BUILD_DIR: sandboxBuildDir(config.platform.port),
        // The child ends itself when this process is gone (scripts/watch-parent.cjs); a
        // function's failure is a 500 (scripts/offline-lambda-errors.mjs).
        NODE_OPTIONS: [
          env.NODE_OPTIONS,
          `--require ${join(root, 'scripts', 'watch-parent.cjs')}`,
          `--import ${pathToFileURL(join(root, 'scripts', 'offline-lambda-errors.mjs')).href}`,
        ]
          .filter(Boolean)
          .join(' '),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  renderForPeople(offline.stdout, Boolean(env.SANDBOX_VERBOSE));
  renderForPeople(offline.stderr, Boolean(env.SANDBOX_VERBOSE));
  return offline;
}

/** How long serverless offline gets to end after SIGTERM before its group is killed. */
const STOP_GRACE_MS = 3_000;

/** Ends the server's whole process group; resolves once it has exited (its port free). */
export async function stopServer(offline: ChildProcess): Promise<void> {
  const pid = offline.pid;
  if (pid === undefined || offline.exitCode !== null || offline.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => offline.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits for the port, then loads both HTTP functions now rather than on the first real push
 * (which has 700 ms): the push receiver also takes up the jobs a killed sandbox left in
 * _pending/ as it loads.
 */
export async function warmUp(config: Config, emulated: boolean): Promise<void> {
  await waitForPort(config.platform.port, 120_000);
  const local = `http://127.0.0.1:${config.platform.port}`;
  await Promise.all([
    fetch(`${local}/reports/${config.http.reportsToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    }),
    // With the key, and the seed call when it is the emulator's: no warning to read past.
    fetch(
      emulated
        ? `${local}/calls/1045001/13000000000?date=2019-06-14`
        : `${local}/calls/0/0?date=2019-06-14`,
      { headers: { 'x-api-key': config.http.apiKeys[0] ?? '' } },
    ),
  ]);
}
