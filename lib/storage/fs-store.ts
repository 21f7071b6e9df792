import { randomBytes } from 'node:crypto';
import { type BigIntStats, createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { VmsArchiveError } from '../errors';
import { writeDurably } from './durable-file';
import {
  assertSafeKey,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  StorageError,
} from './object-store';

/**
 * The archive holds personal data (numbers, voices): folders only its owner may enter, and
 * files (writeDurably) only its owner may read, whatever the umask. mkdir's mode applies
 * to every folder it creates, the archive's own included.
 */
const FOLDER_MODE = 0o700;

/** `file://`'s storeTag: size and modification time (ns); a rewrite changes the time. */
const infoOf = (info: BigIntStats): ObjectInfo => ({
  size: Number(info.size),
  storeTag: `${info.size}:${info.mtimeNs}`,
});

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

/** The file-system calls of a write: a failure in one of them is the store's, not the body's. */
const WRITE_SYSCALLS = new Set(['open', 'write', 'fsync', 'fdatasync', 'close', 'rename', 'mkdir']);

/**
 * A failed write as the caller must see it: the disk refusing (ENOSPC, EROFS, EACCES…) is
 * a StorageError, retried at the job level and never mistaken for a broken download; a
 * body that broke is passed on as it came.
 */
function writeFailure(error: unknown, key: string, describe: string): unknown {
  if (error instanceof VmsArchiveError) return error;
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (syscall === undefined || !WRITE_SYSCALLS.has(syscall)) return error;
  return new StorageError(`cannot write ${key} to ${describe}: ${code ?? syscall} failed`, error);
}

/** Where `put` writes before it renames: never inside the folder of a listed prefix. */
const TEMP_DIR = '.tmp';
/** A temp file's name starts so (in `.tmp/`; beside the final name in older versions). */
const TEMP_PREFIX = '.tmp-';

/**
 * `file://` archive: each object is written to a temp file under `.tmp/` at the archive's
 * root (on disk as it goes, fsynced at the end: writeDurably), then renamed into place, so a
 * crash or a broken download never leaves a partial file at the final name (rename is
 * atomic within a file system), nor a temp file inside a table's folder such as
 * `index/calls/` (docs/design.md "The call index").
 */
export class FsObjectStore implements ObjectStore {
  readonly describe: string;
  /** The temp files of this store's writes in progress (abandonWrites removes them). */
  private readonly writing = new Set<string>();

  constructor(private readonly root: string) {
    this.describe = `file://${root}`;
  }

  private path(key: string): string {
    assertSafeKey(key);
    return join(this.root, ...key.split('/'));
  }

  async put(
    key: string,
    body: Readable | Buffer | string,
    _options: PutOptions,
  ): Promise<ObjectInfo> {
    const target = this.path(key);
    const dir = dirname(target);
    const temps = join(this.root, TEMP_DIR);
    const temp = join(temps, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    this.writing.add(temp);
    try {
      await mkdir(dir, { recursive: true, mode: FOLDER_MODE });
      await mkdir(temps, { recursive: true, mode: FOLDER_MODE });
      const source =
        typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([body]) : body;
      await writeDurably(temp, source);
      await rename(temp, target);
      // Make the rename itself durable.
      const dirHandle = await open(dir, 'r');
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
      return infoOf(await stat(target, { bigint: true }));
    } catch (error: unknown) {
      await rm(temp, { force: true });
      throw writeFailure(error, key, this.describe);
    } finally {
      this.writing.delete(temp);
    }
  }

  async abandonWrites(): Promise<number> {
    const temps = [...this.writing];
    this.writing.clear();
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    return temps.length;
  }

  /**
   * `.tmp/`'s files, and `.tmp-*` files under `prefix` (where an older version of this
   * store wrote its temps, beside the final name), last modified more than `olderThanMs`
   * ago.
   */
  async sweepTemps(prefix: string, olderThanMs: number): Promise<number> {
    const before = Date.now() - olderThanMs;
    let removed = 0;
    const sweep = async (dir: string, deep: boolean) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error: unknown) {
        if (isMissing(error)) return;
        throw new StorageError(`cannot list ${relative(this.root, dir) || '.'}`, error);
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (deep && !(dir === this.root && entry.name === TEMP_DIR)) await sweep(full, true);
        } else if (entry.name.startsWith(TEMP_PREFIX) && !this.writing.has(full)) {
          const info = await stat(full).catch(() => undefined);
          if (info && info.mtimeMs < before) {
            await rm(full, { force: true });
            removed++;
          }
        }
      }
    };
    await sweep(join(this.root, TEMP_DIR), false);
    const start =
      prefix === '' ? this.root : join(this.root, ...prefix.replace(/\/$/, '').split('/'));
    await sweep(start, true);
    return removed;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      return infoOf(await stat(this.path(key), { bigint: true }));
    } catch (error: unknown) {
      if (isMissing(error)) return undefined;
      throw new StorageError(`cannot read ${key}`, error);
    }
  }

  async openRead(
    key: string,
    range?: { start: number; end: number },
  ): Promise<Readable | undefined> {
    const path = this.path(key);
    try {
      await stat(path);
    } catch (error: unknown) {
      if (isMissing(error)) return undefined;
      throw new StorageError(`cannot read ${key}`, error);
    }
    return createReadStream(path, { highWaterMark: 1024 * 1024, ...range });
  }

  async listDirs(prefix: string): Promise<string[]> {
    const dir =
      prefix === '' ? this.root : join(this.root, ...prefix.replace(/\/$/, '').split('/'));
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return entries
        .filter((entry) => entry.isDirectory() && entry.name !== TEMP_DIR)
        .map((entry) => entry.name)
        .sort();
    } catch (error: unknown) {
      if (isMissing(error)) return [];
      throw new StorageError(`cannot list ${prefix}`, error);
    }
  }

  /** Files have no signed URL of their own: browse serves them on a route it signs. */
  async readUrl(): Promise<string | undefined> {
    return undefined;
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error: unknown) {
      if (isMissing(error)) return undefined;
      throw new StorageError(`cannot read ${key}`, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const start =
      prefix === '' ? this.root : join(this.root, ...prefix.replace(/\/$/, '').split('/'));
    const out: string[] = [];
    const walk = async (dir: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error: unknown) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (dir !== this.root || entry.name !== TEMP_DIR) await walk(full);
        } else if (!entry.name.startsWith(TEMP_PREFIX))
          out.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    await walk(start);
    return out.sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /** A file has one version: the file itself (none older to drop after a rewrite). */
  /** A folder keeps no versions: nothing noncurrent. */
  async purgeNoncurrent(): Promise<number> {
    return 0;
  }

  async purge(key: string, options: { keepLatest?: boolean } = {}): Promise<number> {
    if (options.keepLatest) return 0;
    const existed = (await this.head(key)) !== undefined;
    await this.delete(key);
    return existed ? 1 : 0;
  }
}
