import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Harness, startHarness } from '../support/harness';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

jest.setTimeout(120_000);

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

/** `serverless invoke local` of one function with one sample event, against the emulators. */
async function invokeLocal(
  fn: string,
  eventPath: string,
  env: Record<string, string> = {},
): Promise<string> {
  const { stdout } = await run(
    join(root, 'node_modules', '.bin', 'serverless'),
    ['invoke', 'local', '-f', fn, '--path', eventPath],
    {
      cwd: root,
      env: {
        ...process.env,
        ...h.env,
        API_KEYS: 'sandbox-key',
        VMS_SANDBOX: '1',
        REPORTS_TOKEN: 'sandbox-token',
        DISPATCH: 'local',
        SECRETS_SSM_PATH: '',
        ...env,
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout;
}

describe('serverless invoke local with the samples in events/', () => {
  it('given events/http/lookup.json, then lookup answers 200 with the seed call', async () => {
    const out = await invokeLocal('lookup', 'events/http/lookup.json');

    expect(out).toContain('"statusCode": 200');
    expect(out).toContain('116950320375^103750100375');
  });

  it('given a malformed variable, then it exits non-zero with the message instead of staying up', async () => {
    // Prepare: the configuration fails as the handler loads (a cold-start error).
    const started = run(
      join(root, 'node_modules', '.bin', 'serverless'),
      ['invoke', 'local', '-f', 'lookup', '--path', 'events/http/lookup.json'],
      {
        cwd: root,
        env: { ...process.env, ...h.env, SECRETS_SSM_PATH: '', POWERTOOLS_LOG_LEVEL: 'loud' },
        // Well past a normal run (about 15 s here); before the fix it never ended by itself.
        timeout: 100_000,
        killSignal: 'SIGKILL',
      },
    );

    // Act
    const failure = await started.then(
      () => undefined,
      (error: unknown) =>
        error as { code?: number; killed?: boolean; stdout: string; stderr: string },
    );

    // Assess: it ended by itself, non-zero, and said which variable.
    expect(failure).toMatchObject({ killed: false, code: 1 });
    expect(`${failure?.stdout}${failure?.stderr}`).toContain(
      'POWERTOOLS_LOG_LEVEL: expected DEBUG, INFO, WARN, ERROR or SILENT',
    );
  });

  // The other samples run through `npm run invoke` against the sandbox (readme-commands.test.ts).
});
