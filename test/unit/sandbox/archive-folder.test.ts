import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureArchiveFolder } from '../../../scripts/sandbox/archive-folder';

describe("the sandbox's archive folder, checked at start", () => {
  it('given a missing last folder under an existing one, then it is created for its owner alone', async () => {
    const base = mkdtempSync(join(tmpdir(), 'archive-folder-'));

    await ensureArchiveFolder(`file://${base}/archive`);

    expect(statSync(join(base, 'archive')).mode & 0o777).toBe(0o700);
  });
});
