import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

jest.setTimeout(120_000);

describe('archiving a large recording', () => {
  it('given a 200 MB recording, when archived to file://, then peak RSS grows far less than the file and the bytes verify', async () => {
    const size = 200 * 1024 * 1024;

    const { stdout } = await run(
      join(root, 'node_modules', '.bin', 'tsx'),
      ['test/support/archive-large-recording.ts', String(size)],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1024 * 1024 },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      growth: number;
      ok: boolean;
      sha256Matches: boolean;
    };

    expect(result.ok).toBe(true);
    expect(result.sha256Matches).toBe(true);
    // Streaming: the growth is buffers and sockets, not the recording (200 MB).
    expect(result.growth).toBeLessThan(64 * 1024 * 1024);
  });
});
