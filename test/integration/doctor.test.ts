import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqsEmulator } from '../../emulators/sqs/server';
import { type SandboxProcess, sandboxEnv, startSandbox } from '../support/sandbox-process';
import { WebhookServer } from '../support/webhook-server';

const root = join(__dirname, '..', '..');
const exec = promisify(execFile);

jest.setTimeout(240_000);

let sandbox: SandboxProcess;
let sqs: SqsEmulator;
let webhooks: WebhookServer;
let archiveDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  archiveDir = mkdtempSync(join(tmpdir(), 'doctor-'));
  env = sandboxEnv(archiveDir);
  sandbox = await startSandbox(env);
  sqs = new SqsEmulator([{ name: 'jobs' }]);
  await sqs.start();
  webhooks = new WebhookServer();
  await webhooks.start();
});
afterAll(async () => {
  sandbox.child.kill('SIGINT');
  await sandbox.exited;
  await sqs.stop();
  await webhooks.stop();
  rmSync(archiveDir, { recursive: true, force: true });
});

/** `npx vms-call-archive doctor …` in this checkout, where the sandbox's settings are. */
async function doctor(
  args: string[],
  overrides: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      [join(root, 'bin', 'vms-call-archive.cjs'), 'doctor', ...args],
      { cwd: root, env: { ...env, ...overrides } },
    );
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `{check: "STATUS detail | fix"}` from the text output. */
function checks(stdout: string): Record<string, { status: string; line: string; fix?: string }> {
  const found: Record<string, { status: string; line: string; fix?: string }> = {};
  let last: string | undefined;
  for (const line of stdout.split('\n')) {
    const check = /^(ok|FAIL|skip)\s+(\S+)\s+(.*)$/.exec(line);
    if (check?.[1] && check[2] && check[3]) {
      last = check[2];
      found[last] = { status: check[1], line: check[3] };
    } else if (last && /^\s+fix: /.test(line)) {
      const entry = found[last];
      if (entry) entry.fix = line.replace(/^\s+fix: /, '');
    }
  }
  return found;
}

describe('vms-call-archive doctor', () => {
  it('given the running sandbox, when doctor runs with nothing set, then every check passes and it exits 0', async () => {
    const run = await doctor([]);

    expect(run.code).toBe(0);
    const found = checks(run.stdout);
    expect(Object.keys(found)).toEqual([
      'credentials',
      'clock',
      'archive',
      'dispatch',
      'push',
      'index',
      'notifications',
    ]);
    for (const name of ['credentials', 'clock', 'archive', 'dispatch', 'push', 'index'])
      expect(found[name]).toMatchObject({ status: 'ok' });
    expect(found.push?.line).toMatch(/\/reports\/\*\*\*\* answered \{"code":0\}/);
    expect(run.stdout).not.toContain(sandbox.token);
    expect(found.notifications).toMatchObject({ status: 'skip' });
  });

  it('given a wrong key, an archive under a file, a missing queue and a wrong push token, then each is named with its fix and it exits 1', async () => {
    const aFile = join(archiveDir, 'not-a-directory');
    writeFileSync(aFile, 'x');

    const run = await doctor(
      ['--push-url', `${sandbox.base}/reports/wrong-token`, '--format', 'json'],
      {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIdoctorWrongKey',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret',
        ARCHIVE_URL: `file://${aFile}/archive`,
        DISPATCH: `sqs:${sqs.queueUrl('missing')}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDDOCTOR',
        AWS_SECRET_ACCESS_KEY: 'secret',
      },
    );

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      checks: { check: string; status: string; detail: string; fix?: string }[];
    };
    const byName = Object.fromEntries(report.checks.map((c) => [c.check, c]));
    expect(report.ok).toBe(false);
    expect(byName.credentials).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('InvalidAccessKeyId.NotFound'),
      fix: expect.stringContaining('ALIBABA_CLOUD_ACCESS_KEY_ID'),
    });
    expect(byName.archive).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('cannot write _doctor/probe-'),
      fix: `${aFile}/archive (or a folder above it) is a file: set ARCHIVE_URL to a directory`,
    });
    expect(byName.dispatch).toMatchObject({
      status: 'FAIL',
      fix: expect.stringContaining('no such queue'),
    });
    expect(byName.push).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('answered 404'),
      fix: expect.stringContaining('REPORTS_TOKEN'),
    });
    // The clock is read from the refusal's Date: still checked.
    expect(byName.clock).toMatchObject({ status: 'ok' });
    expect(sqs.actions).toContain('GetQueueAttributes');
  });

  it('given an SQS jobs queue that exists, then the dispatch check says how many jobs wait', async () => {
    const run = await doctor([], {
      DISPATCH: `sqs:${sqs.queueUrl('jobs')}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDDOCTOR',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });

    expect(checks(run.stdout).dispatch).toEqual({
      status: 'ok',
      line: 'queue arn:aws:sqs:us-east-1:000000000000:jobs exists, 0 jobs waiting',
    });
  });

  it('given a Feishu webhook, when doctor --notify runs, then one test message arrives', async () => {
    const run = await doctor(['--notify'], {
      ALERT_WEBHOOK_URL: `${webhooks.url}/feishu`,
      ALERT_WEBHOOK_KIND: 'feishu',
    });

    expect(checks(run.stdout).notifications).toMatchObject({
      status: 'ok',
      line: 'test message taken by the feishu webhook',
    });
    expect(webhooks.messages).toEqual([
      { kind: 'feishu', text: expect.stringContaining('vms-call-archive doctor: a test message') },
    ]);
  });
});
