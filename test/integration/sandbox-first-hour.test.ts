import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxEnv, startSandbox } from '../support/sandbox-process';

const root = join(__dirname, '..', '..');
const settingsFile = join(root, '.sandbox.json');

jest.setTimeout(300_000);

/** `tsx scripts/sandbox.ts` expected to refuse to start: its exit code and what it said. */
async function refusal(env: NodeJS.ProcessEnv): Promise<{ code: number | null; said: string }> {
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/sandbox.ts'], {
    cwd: root,
    env,
  });
  let said = '';
  child.stdout.on('data', (chunk: Buffer) => {
    said += chunk.toString();
    // It started after all: stop it, so the test fails at once rather than wait.
    if (said.includes('Sandbox ready')) child.kill('SIGINT');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    said += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, said };
}

const ownerPid = () => (JSON.parse(readFileSync(settingsFile, 'utf8')) as { pid: number }).pid;

describe('npm start, as a new user meets it', () => {
  it('given PORT=abc, then it refuses naming PORT, not with a NaN from Node', async () => {
    const { code, said } = await refusal({
      ...sandboxEnv(mkdtempSync(join(tmpdir(), 'port-abc-'))),
      PORT: 'abc',
    });

    expect(code).not.toBe(0);
    expect(said).toContain('PORT: expected a whole number');
    expect(said).not.toContain('NaN');
  });

  it('given an archive folder under a file (file:///etc/hostname/sub), then it refuses naming the path and the cause, before "ready"', async () => {
    const { code, said } = await refusal({
      ...sandboxEnv(mkdtempSync(join(tmpdir(), 'unusable-'))),
      ARCHIVE_URL: 'file:///etc/hostname/sub',
    });

    expect(code).toBe(1);
    expect(said).toContain(
      'ARCHIVE_URL=file:///etc/hostname/sub: cannot use /etc/hostname/sub as the archive: /etc/hostname is a file, not a folder',
    );
    expect(said).not.toMatch(/ready|undefined recent tasks/);
  });

  it('given a mistyped archive path whose parent is missing, then it says what is missing and creates nothing', async () => {
    const base = mkdtempSync(join(tmpdir(), 'mistyped-'));
    const url = `file://${base}/archvie/calls`;

    const { code, said } = await refusal({ ...sandboxEnv(base), ARCHIVE_URL: url });

    expect(code).toBe(1);
    expect(said).toContain(`${base}/archvie does not exist (only the last folder is created`);
    expect(existsSync(join(base, 'archvie'))).toBe(false);
  });

  it('given a sandbox running, when a second starts in the same checkout, then it says whose settings the CLI uses and leaves them alone, also when it stops', async () => {
    const first = await startSandbox(sandboxEnv(mkdtempSync(join(tmpdir(), 'first-'))));
    try {
      const firstPid = ownerPid();
      const second = await startSandbox(sandboxEnv(mkdtempSync(join(tmpdir(), 'second-'))));

      expect(second.output()).toContain(
        `.sandbox.json belongs to the sandbox at http://127.0.0.1:${first.port} (pid ${firstPid})`,
      );
      expect(second.output()).not.toContain('Settings for the CLI');
      expect(ownerPid()).toBe(firstPid);

      second.child.kill('SIGINT');
      await second.exited;
      expect(ownerPid()).toBe(firstPid);
    } finally {
      first.child.kill('SIGINT');
      await first.exited;
    }
    expect(existsSync(settingsFile)).toBe(false);
  });
});
