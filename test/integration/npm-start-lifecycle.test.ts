import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sandboxEnv, startSandbox } from '../support/sandbox-process';
import { waitUntil } from '../support/wait';

const root = join(__dirname, '..', '..');

jest.setTimeout(240_000);

const env = () => sandboxEnv('/tmp/npm-start-lifecycle-archive');

const sandboxPid = () =>
  (JSON.parse(readFileSync(join(root, '.sandbox.json'), 'utf8')) as { pid: number }).pid;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/**
 * Starts `npm start`, sends `signal` to the npm process itself and answers how long it took
 * until the sandbox's own process was gone and its port free again.
 */
async function stopTime(signal: NodeJS.Signals): Promise<number> {
  const sandbox = await startSandbox(env(), { npm: true });
  const pid = sandboxPid();
  expect(pid).not.toBe(sandbox.child.pid);
  try {
    const signalled = Date.now();
    sandbox.child.kill(signal);
    await waitUntil(
      async () => !alive(pid) && (await portFree(sandbox.port)),
      `the sandbox (pid ${pid}) gone and port ${sandbox.port} free after ${signal} to npm`,
      20_000,
      20,
    );
    return Date.now() - signalled;
  } finally {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
}

describe('npm start, signalled as a terminal, a process manager or a container stop does', () => {
  it('given npm start running, when npm itself gets SIGTERM, then the sandbox stops and frees its port', async () => {
    const ms = await stopTime('SIGTERM');
    console.log(`npm start: SIGTERM to npm → sandbox gone, port free in ${ms} ms`);
  });

  it('given npm start running, when npm itself is killed with SIGKILL, then the sandbox does not outlive it', async () => {
    const ms = await stopTime('SIGKILL');
    console.log(`npm start: SIGKILL of npm → sandbox gone, port free in ${ms} ms`);
  });
});
