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
