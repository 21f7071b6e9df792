import type { Readable } from 'node:stream';
import type { AsyncBuffer } from 'hyparquet';
import type { ObjectStore } from '../storage/object-store';
import { StorageError } from '../storage/object-store';

async function collect(stream: Readable): Promise<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks)).buffer;
}

/**
 * A stored part as hyparquet's AsyncBuffer: its size from one HEAD, then each slice one
 * ranged GET, so a reader fetches the footer and the column chunks it needs, never the
 * whole part (docs/design.md "Finding calls"). Undefined when the part is gone (a
 * compactor replaced it since it was listed).
 */
export async function openPartFile(
  store: ObjectStore,
  key: string,
): Promise<AsyncBuffer | undefined> {
  const info = await store.head(key);
  if (!info) return undefined;
  return {
    byteLength: info.size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const last = Math.min(end ?? info.size, info.size) - 1;
      if (last < start) return new ArrayBuffer(0);
      const stream = await store.openRead(key, { start, end: last });
      if (!stream) throw new StorageError(`${key} disappeared while it was read`);
      return collect(stream);
    },
  };
}
