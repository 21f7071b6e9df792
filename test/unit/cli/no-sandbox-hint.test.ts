import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../cli/main';

/** Runs the CLI in-process with `env` and `settingsFile`; answers what it wrote to stderr. */
async function stderrOf(argv: string[], settingsFile: string): Promise<string> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((line: unknown) => {
    lines.push(String(line));
  });
  try {
    await main(['node', 'vms-call-archive', ...argv], {}, settingsFile);
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
  return lines.join('\n');
}

describe('the CLI without a sandbox', () => {
  it('given no sandbox settings, when a command needs ARCHIVE_URL, then it names the variable, says no sandbox runs and how to start one', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'no-sandbox-')), '.sandbox.json');

    const said = await stderrOf(['status', '--task', '1045001'], missing);

    expect(said).toContain('ARCHIVE_URL is required');
    expect(said).toContain('no sandbox is running in this checkout');
    expect(said).toContain('`npm start`');
  });

  it('given the settings file of a sandbox that is gone, then it says the file is stale, naming its pid', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stale-sandbox-')), '.sandbox.json');
    const gone = 2 ** 22 + 4321;
    writeFileSync(file, JSON.stringify({ pid: gone, env: { ARCHIVE_URL: 'file:///tmp/x' } }));

    const said = await stderrOf(['verify'], file);

    expect(said).toContain('ARCHIVE_URL is required');
    expect(said).toContain(`${file} is stale: the sandbox that wrote it (pid ${gone}) is gone`);
  });
});
