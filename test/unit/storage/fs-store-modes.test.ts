import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FsObjectStore } from '../../../lib/storage/fs-store';

/** Every path under `dir` (itself included) with its permission bits. */
function modesUnder(dir: string): { path: string; kind: 'dir' | 'file'; mode: number }[] {
  const out: { path: string; kind: 'dir' | 'file'; mode: number }[] = [];
  const walk = (path: string) => {
    const info = statSync(path);
    out.push({ path, kind: info.isDirectory() ? 'dir' : 'file', mode: info.mode & 0o777 });
    if (info.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

describe('the file:// archive on disk', () => {
  let parent: string;
  let previousUmask: number;

  beforeAll(() => {
    // The usual umask, which leaves what a process creates readable by everyone.
    previousUmask = process.umask(0o022);
    parent = mkdtempSync(join(tmpdir(), 'fs-store-modes-'));
  });
  afterAll(() => {
    process.umask(previousUmask);
    rmSync(parent, { recursive: true, force: true });
  });

  it('given recordings, details, parked and pending items written, then every file is 0600 and every folder 0700, the archive folder too', async () => {
    const root = join(parent, 'archive');
    const store = new FsObjectStore(root);

    await store.put(
      '1045001/2019-06-14/116950320375_1/recording.wav',
      Readable.from([Buffer.alloc(70_000, 1)]),
      {
        contentType: 'audio/wav',
      },
    );
    await store.put('1045001/2019-06-14/116950320375_1/detail.json', '{}', {
      contentType: 'application/json',
    });
    await store.put('_rejected/2019-06-14/abc.json', '{"reason":"x"}', {
      contentType: 'application/json',
    });
    await store.put('_pending/2019-06-14/0f0e.json', Buffer.from('[]'), {
      contentType: 'application/json',
    });
    const modes = modesUnder(root);

    expect(modes.filter((entry) => entry.kind === 'file')).toHaveLength(4);
    expect(modes.filter((entry) => entry.kind === 'dir').length).toBeGreaterThanOrEqual(8);
    for (const entry of modes)
      expect({ path: entry.path, mode: entry.mode.toString(8) }).toEqual({
        path: entry.path,
        mode: entry.kind === 'dir' ? '700' : '600',
      });
  });
});
