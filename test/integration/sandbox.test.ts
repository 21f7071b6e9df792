import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxEnv, startSandbox } from '../support/sandbox-process';

const root = join(__dirname, '..', '..');

// Starting serverless offline (esbuild bundle included) takes a few seconds on this machine.
jest.setTimeout(240_000);

describe('npm start (the sandbox)', () => {
  it('given no cloud credentials, when started, then the printed curl returns the normalized seed call, and Ctrl-C stops it', async () => {
    const archive = mkdtempSync(join(tmpdir(), 'sandbox-archive-'));
    const env = sandboxEnv(archive);
    const sandbox = await startSandbox(env);
    const { child, port, exited, apiKey: ready, token } = sandbox;
    const output = sandbox.output();

    try {
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

      // The bare address sends a person to the page, not to serverless offline's 404.
      const bare = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
      expect(bare.status).toBe(302);
      expect(bare.headers.get('location')).toBe('/app');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        taskId: '1045001',
        callId: '116950320375^103750100375',
        durationSeconds: 60,
        labels: ['邀约', '有房', '无车'],
      });
      expect(unauthorized.status).toBe(401);

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

      // README's `npm run invoke` exits 1 when the handler answers 5xx.
      const invoke = (extra: NodeJS.ProcessEnv = {}) =>
        spawnSync('npm', ['run', '--silent', 'invoke', '--', 'lookup', 'events/http/lookup.json'], {
          cwd: root,
          env: { ...env, ...extra },
          encoding: 'utf8',
        });
      // (A 200 exits 0: readme-commands.test.ts runs README's invokes.)
      const down = invoke({ DYVMS_ENDPOINT: 'http://127.0.0.1:9', DYVMS_MAX_ATTEMPTS: '1' });
      expect(down.status).toBe(1);
      expect(down.stderr).toMatch(/the handler answered 50[24]/);
    } finally {
      child.kill('SIGINT');
      rmSync(archive, { recursive: true, force: true });
    }
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
