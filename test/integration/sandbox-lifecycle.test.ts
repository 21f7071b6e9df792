import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  freePort,
  type SandboxProcess,
  sandboxEnv,
  startSandbox,
} from '../support/sandbox-process';
import { waitUntil } from '../support/wait';

const root = join(__dirname, '..', '..');

jest.setTimeout(180_000);

/** The processes whose command line names this sandbox's port (serverless offline). */
function offlineProcesses(port: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes('offline start') && cmdline.includes(`--httpPort ${port} `))
        pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const sandboxPid = () =>
  (JSON.parse(readFileSync(join(root, '.sandbox.json'), 'utf8')) as { pid: number }).pid;

const env = () => sandboxEnv('/tmp/sandbox-lifecycle-archive');

async function answers(sandbox: SandboxProcess): Promise<number> {
  const response = await fetch(`${sandbox.base}/calls/1045001/13000000000?date=2019-06-14`, {
    headers: { 'x-api-key': sandbox.apiKey },
  });
  return response.status;
}

describe('npm start, started twice and killed', () => {
  it('given a sandbox on a port, then a second refuses naming the port; SIGKILL and SIGTERM leave no child behind and the port free, and a restart works', async () => {
    const port = await freePort();
    const first = await startSandbox(env(), { port });
    expect(offlineProcesses(port)).toHaveLength(1);

    // A second sandbox on the same port: refused before anything starts.
    const second = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/sandbox.ts'], {
      cwd: root,
      env: { ...env(), PORT: String(port) },
    });
    let said = '';
    second.stderr.on('data', (chunk: Buffer) => {
      said += chunk.toString();
    });
    const code = await new Promise((resolve) => second.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(said).toContain(`port ${port} (PORT) is taken`);
    expect(await answers(first)).toBe(200);

    // kill -9 of the sandbox's own node process: its serverless offline child goes too.
    process.kill(sandboxPid(), 'SIGKILL');
    await waitUntil(
      () => offlineProcesses(port).length === 0,
      'offline gone after SIGKILL',
      15_000,
    );
    await first.exited;

    const restarted = await startSandbox(env(), { port });
    expect(await answers(restarted)).toBe(200);

    // SIGTERM to what `npm start` runs: everything ends, the settings file with it.
    restarted.child.kill('SIGTERM');
    await restarted.exited;
    await waitUntil(
      () => offlineProcesses(port).length === 0,
      'offline gone after SIGTERM',
      15_000,
    );
    // The port is free again: nothing of it is left holding it.
    expect(
      await new Promise((resolve) => {
        const probe = createServer().once('error', () => resolve(false));
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
      }),
    ).toBe(true);
  });
});
