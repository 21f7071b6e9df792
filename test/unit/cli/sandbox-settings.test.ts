import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSandboxSettings } from '../../../cli/sandbox-settings';

function settingsFile(pid: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'settings-')), '.sandbox.json');
  writeFileSync(
    file,
    JSON.stringify({
      pid,
      env: { ARCHIVE_URL: 'file:///tmp/a', DYVMS_ENDPOINT: 'http://127.0.0.1:1' },
    }),
  );
  return file;
}

describe('withSandboxSettings', () => {
  it('given a running sandbox, then its settings fill what the environment leaves unset, and it says so', () => {
    const said: string[] = [];

    const env = withSandboxSettings(
      { ARCHIVE_URL: 'file:///mine' },
      settingsFile(process.pid),
      (line) => said.push(line),
    );

    expect(env).toEqual({ ARCHIVE_URL: 'file:///mine', DYVMS_ENDPOINT: 'http://127.0.0.1:1' });
    expect(said).toEqual([expect.stringMatching(/settings from .* for DYVMS_ENDPOINT$/)]);
  });

  it('given the settings of a sandbox that is gone, then they are ignored', () => {
    const said: string[] = [];

    const env = withSandboxSettings({}, settingsFile(2 ** 22 + 12345), (line) => said.push(line));

    expect(env).toEqual({});
    expect(said).toEqual([]);
  });
});
