import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

// Starting serverless offline (esbuild bundle included) takes a few seconds on this machine.
jest.setTimeout(120_000);

describe('npm start (the sandbox)', () => {
  it('given no cloud credentials, when started, then the printed curl returns the normalized seed call, and Ctrl-C stops it', async () => {
    const port = await freePort();
    const archive = mkdtempSync(join(tmpdir(), 'sandbox-archive-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      SANDBOX_LAMBDA_PORT: String(await freePort()),
      ARCHIVE_URL: `file://${archive}`,
    };
    for (const name of [
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'API_KEYS',
      'DYVMS_ENDPOINT',
      'REPORTS_TOKEN',
      'DISPATCH',
      'RECORDING_HOSTS',
    ]) {
      delete env[name];
    }
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/sandbox.ts'], {
      cwd: root,
      env,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    try {
      const ready = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const key = /API key: (\S+)/.exec(output)?.[1];
          if (key) {
            clearInterval(timer);
            resolve(key);
          }
          if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`sandbox exited early:\n${output}`));
          }
        }, 200);
      });
      expect(output).toContain(
        `curl -H 'x-api-key: ${ready}' 'http://localhost:${port}/calls/1045001/13000000000?date=2019-06-14'`,
      );

      const response = await fetch(
        `http://127.0.0.1:${port}/calls/1045001/13000000000?date=2019-06-14`,
        {
          headers: { 'x-api-key': ready },
        },
      );
      const unauthorized = await fetch(
        `http://127.0.0.1:${port}/calls/1045001/13000000000?date=2019-06-14`,
      );

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        taskId: '1045001',
        callId: '116950320375^103750100375',
        durationSeconds: 60,
        labels: ['邀约', '有房', '无车'],
      });
      expect(unauthorized.status).toBe(401);

      const token = /Push token: (\S+)/.exec(output)?.[1];
      const pushed = await fetch(`http://127.0.0.1:${port}/reports/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: readFileSync(join(root, 'events', 'http', 'reports-body.json')),
      });
      expect(await pushed.json()).toEqual({ code: 0, msg: 'received', accepted: 2, rejected: 1 });
      const detail = join(
        archive,
        '1045001',
        '2019-06-14',
        '116950320375_103750100375',
        'detail.json',
      );
      const deadline = Date.now() + 20_000;
      while (!existsSync(detail) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(JSON.parse(readFileSync(detail, 'utf8'))).toMatchObject({
        recording: {
          key: '1045001/2019-06-14/116950320375_103750100375/recording.wav',
          bytes: 480_044,
        },
      });
    } finally {
      child.kill('SIGINT');
      rmSync(archive, { recursive: true, force: true });
    }
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
