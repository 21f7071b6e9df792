import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SandboxProcess, sandboxEnv, startSandbox } from '../support/sandbox-process';
import { waitUntil } from '../support/wait';

const root = join(__dirname, '..', '..');

jest.setTimeout(240_000);

/**
 * README's commands, as a newcomer would paste them while `npm start` runs. Deployment
 * commands need a cloud account and are left out; `npx serverless package` and
 * `npm run build:fc` run in serverless-package.test.ts and fc-adapter.test.ts.
 */
const RUNNABLE = /^(curl |find archive|npx vms-call-archive |npm run invoke )/;

function readmeCommands(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const commands: string[] = [];
  for (const block of readme.matchAll(/```(?:sh|text)\n([\s\S]*?)```/g)) {
    const lines = (block[1] ?? '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      let line = (lines[i] ?? '').trim().replace(/^\$ /, '');
      while (line.endsWith('\\') && i + 1 < lines.length)
        line = `${line.slice(0, -1)} ${(lines[++i] ?? '').trim()}`;
      line = line.replace(/\s+#.*$/, '');
      // `…` marks a value of your own deployment (its URL, its bucket): not the sandbox's.
      if (RUNNABLE.test(line) && !line.includes('…')) commands.push(line);
    }
  }
  return commands;
}

describe('README, run as written against the sandbox', () => {
  let sandbox: SandboxProcess;
  let archive: string;

  beforeAll(async () => {
    archive = mkdtempSync(join(tmpdir(), 'readme-archive-'));
    sandbox = await startSandbox(sandboxEnv(archive));
  });
  afterAll(async () => {
    sandbox.child.kill('SIGINT');
    await sandbox.exited;
    rmSync(archive, { recursive: true, force: true });
  });

  it('given every command of README that runs without a cloud account, then each succeeds in order', async () => {
    const commands = readmeCommands();
    expect(commands.length).toBeGreaterThanOrEqual(12);
    const results: { command: string; status: number | null; stdout: string; stderr: string }[] =
      [];
    for (const written of commands) {
      const command = written
        .replace(/sbx_[0-9a-f]{24}/g, sandbox.apiKey)
        .replace(/push_[0-9a-f]{24}/g, sandbox.token)
        .replaceAll('localhost:3000', `127.0.0.1:${sandbox.port}`)
        .replace(/^find archive/, `find ${archive}`);
      if (command.startsWith('find ')) {
        // The push archives in the background: what `find` shows is there once it is done.
        await waitUntil(
          () =>
            existsSync(join(archive, '1045001/2019-06-14/116950320375_103750100375/detail.json')),
          'the pushed calls archived',
          20_000,
        );
      }
      // The pager a terminal would open for npm's output is not wanted here.
      const run = spawnSync('bash', ['-o', 'pipefail', '-c', command], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PAGER: 'cat' },
      });
      results.push({
        command: written,
        status: run.status,
        stdout: run.stdout,
        stderr: run.stderr,
      });
    }

    expect(results.filter((r) => r.status !== 0).map((r) => `${r.command}\n${r.stderr}`)).toEqual(
      [],
    );
    const output = (start: string) =>
      results.find((r) => r.command.startsWith(start))?.stdout ?? '';
    expect(output('curl -s -H')).toContain('"callId":"116950320375^103750100375"');
    expect(output("curl -H 'content-type")).toContain('"accepted":2,"rejected":1');
    expect(output('find archive')).toContain('recording.wav');
    expect(output('npx vms-call-archive backfill --task 2000001 --from')).toContain(
      '300 calls listed, archived 300',
    );
    expect(output('npx vms-call-archive verify')).toContain(
      '150 recordings verified, 0 without recording, 0 mismatched',
    );
    expect(output('npm run invoke -- lookup')).toContain('"statusCode": 200');
    expect(output('npm run invoke -- reports')).toContain('\\"accepted\\":2,\\"rejected\\":1');
    expect(output('npm run invoke -- archive events/archive/async')).toMatch(
      /"status": "(archived|already-archived)"/,
    );
    expect(output('npm run invoke -- archive events/archive/sqs')).toMatch(
      /"batchItemFailures": \[\]/,
    );
  });
});
