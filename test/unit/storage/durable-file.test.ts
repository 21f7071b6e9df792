import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { writeDurably } from '../../../lib/storage/durable-file';

let dir: string;
/** What each test does to the file handle writeDurably opens. */
let patch: (handle: FileHandle) => void;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'durable-'));
  patch = () => undefined;
  const fs = require('node:fs/promises') as typeof import('node:fs/promises');
  const real = fs.open;
  jest.spyOn(fs, 'open').mockImplementation(async (...args: Parameters<typeof real>) => {
    const handle = await real(...args);
    patch(handle);
    return handle;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** 64 KB in 4 KB chunks, each read on its own tick, as a download arrives. */
const slowly = (bytes: Buffer) =>
  Readable.from(
    (async function* () {
      for (let at = 0; at < bytes.length; at += 4096) {
        await new Promise((resolve) => setImmediate(resolve));
        yield bytes.subarray(at, at + 4096);
      }
    })(),
  );

describe('writeDurably', () => {
  it('given 64 KB and a flush every 16 KB, then fdatasync runs while it writes, fsync at the end, and the file is whole', async () => {
    const bytes = randomBytes(64 * 1024);
    const calls: string[] = [];
    const path = join(dir, 'copy');
    patch = (handle) => {
      const { sync } = handle;
      // Counted, not run: on a loaded machine one real fdatasync can outlast the remaining
      // 48 KB of writes, and the test is of when the sink starts a flush, not of the disk.
      handle.datasync = () => {
        calls.push('datasync');
        return Promise.resolve();
      };
      handle.sync = () => {
        calls.push('sync');
        return sync.call(handle);
      };
    };

    await writeDurably(path, slowly(bytes), 16 * 1024);

    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(calls.filter((c) => c === 'datasync').length).toBeGreaterThanOrEqual(2);
    expect(calls.at(-1)).toBe('sync');
  });

  it('given a background fdatasync fails with EIO, then the write fails with it', async () => {
    const path = join(dir, 'copy');
    patch = (handle) => {
      handle.datasync = async () => {
        throw Object.assign(new Error('EIO: i/o error, fdatasync'), {
          code: 'EIO',
          syscall: 'fdatasync',
        });
      };
    };

    await expect(
      writeDurably(path, slowly(randomBytes(64 * 1024)), 8 * 1024),
    ).rejects.toMatchObject({ code: 'EIO', syscall: 'fdatasync' });
  });

  it('given the file exists, then it is not overwritten', async () => {
    const path = join(dir, 'copy');
    writeFileSync(path, 'kept');

    await expect(writeDurably(path, Readable.from([Buffer.from('new')]))).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(readFileSync(path, 'utf8')).toBe('kept');
  });
});
