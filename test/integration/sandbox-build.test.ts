import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type SandboxProcess, sandboxEnv, startSandbox } from '../support/sandbox-process';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

jest.setTimeout(400_000);

/** Pushes events/http/reports-body.json and waits for the seed call's detail.json. */
async function pushAndWait(sandbox: SandboxProcess, archive: string) {
  const pushed = await fetch(`${sandbox.base}/reports/${sandbox.token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: readFileSync(join(root, 'events', 'http', 'reports-body.json')),
  });
  const detail = join(archive, '1045001', '2019-06-14', '116950320375_103750100375', 'detail.json');
  const deadline = Date.now() + 30_000;
  while (!existsSync(detail) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return { status: pushed.status, body: await pushed.text(), archived: existsSync(detail) };
}

describe("the sandbox's build is its own", () => {
  let sandbox: SandboxProcess;
  let archive: string;
  beforeEach(async () => {
    archive = mkdtempSync(join(tmpdir(), 'sandbox-build-'));
    sandbox = await startSandbox(sandboxEnv(archive));
  });
  afterEach(async () => {
    sandbox.child.kill('SIGINT');
    await sandbox.exited;
    // Its build goes with it.
    expect(existsSync(join(root, '.sandbox-build', String(sandbox.port)))).toBe(false);
  });

  it('given a running sandbox, when serverless package runs in the same checkout, then a push still answers 200 and archives', async () => {
    // Prepare: what `npx serverless deploy` does first, and its clean-up of .esbuild/ after.
    const out = mkdtempSync(join(tmpdir(), 'package-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
    };
    for (const name of ['VMS_SANDBOX', 'SANDBOX_BUILD_DIR', 'DISPATCH', 'ARCHIVE_URL'])
      delete env[name];
    try {
      await run(join(root, 'node_modules', '.bin', 'serverless'), ['package', '--package', out], {
        cwd: root,
        env,
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }

    // Act
    const push = await pushAndWait(sandbox, archive);

    // Assess
    expect(push).toEqual({
      status: 200,
      body: JSON.stringify({ code: 0, msg: 'received', accepted: 2, rejected: 1 }),
      archived: true,
    });
  });

  it('given a function that cannot be loaded (its build removed), then it answers 500 with no detail and the sandbox names the cause', async () => {
    // Prepare: browse is loaded on its first request (the warm-up loads only reports and lookup).
    rmSync(join(root, '.sandbox-build', String(sandbox.port)), { recursive: true, force: true });

    // Act
    const page = await fetch(`${sandbox.base}/app`);
    const body = await page.text();
    await new Promise((r) => setTimeout(r, 500));

    // Assess: API Gateway's answer, never a 200 carrying the error and local paths.
    expect(page.status).toBe(500);
    expect(JSON.parse(body)).toEqual({ message: 'Internal Server Error' });
    expect(body).not.toContain(root);
    expect(sandbox.output()).toMatch(
      /! the function browse failed before answering; answered 500: Runtime\.ImportModuleError: Error: Cannot find module '[^'\n]*\/browse\/handler\.ts'\n/,
    );
  });
});
