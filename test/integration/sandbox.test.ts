import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
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
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      SANDBOX_LAMBDA_PORT: String(await freePort()),
    };
    for (const name of [
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'API_KEYS',
      'DYVMS_ENDPOINT',
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
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
