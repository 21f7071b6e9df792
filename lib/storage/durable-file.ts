import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * How many written bytes may wait in the page cache before a background fdatasync. The
 * kernel would otherwise start writing a 100 MB recording back only at the final fsync
 * (its background threshold is a share of RAM, gigabytes on a large host), so the copy
 * waited for the disk after the network; flushed as it goes, the disk works while the
 * network does and the final fsync has little left (BENCHMARKS.md, 1g).
 */
export const FLUSH_EVERY_BYTES = 4 * 1024 * 1024;

/**
 * Writes a stream to a new file (`wx`: never over an existing one) and returns once every
 * byte is on disk (fsync). One fdatasync at a time runs behind the writes, each started
 * once `flushEveryBytes` more have been written; a failure of one fails the write.
 */
export async function writeDurably(
  path: string,
  source: Readable,
  flushEveryBytes = FLUSH_EVERY_BYTES,
): Promise<void> {
  // 0600: what it writes is the archive's, personal data (calls, voices), whatever the umask.
  const handle = await open(path, 'wx', 0o600);
  try {
    await pipeline(source, new DurableFileSink(handle, flushEveryBytes));
  } finally {
    await handle.close();
  }
}

class DurableFileSink extends Writable {
  private unflushed = 0;
  private flushing: Promise<void> | undefined;
  private flushFailure: unknown;

  constructor(
    private readonly handle: FileHandle,
    private readonly flushEveryBytes: number,
  ) {
    super();
  }

  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    if (this.flushFailure) {
      done(this.flushFailure as Error);
      return;
    }
    this.handle.writev(chunks.map(({ chunk }) => chunk)).then(({ bytesWritten }) => {
      this.unflushed += bytesWritten;
      if (this.unflushed >= this.flushEveryBytes && !this.flushing) this.flushInBackground();
      done();
    }, done);
  }

  override _final(done: (error?: Error | null) => void): void {
    Promise.resolve(this.flushing)
      .then(() => {
        if (this.flushFailure) throw this.flushFailure;
        return this.handle.sync();
      })
      .then(() => done(), done);
  }

  private flushInBackground(): void {
    this.unflushed = 0;
    this.flushing = this.handle.datasync().then(
      () => {
        this.flushing = undefined;
      },
      (error: unknown) => {
        this.flushing = undefined;
        this.flushFailure = error;
      },
    );
  }
}
