import { createHash } from 'node:crypto';

/** A recording the host serves, generated from its size and seed (nothing held in memory). */
export interface Recording {
  size: number;
  seed: number;
}

/** What the host does to the next request, on request. */
export type RecordingFault =
  | { kind: 'truncate'; afterBytes: number }
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'stall'; ms: number }
  | { kind: 'status'; status: number }
  | { kind: 'expired' };

const CHUNK = 64 * 1024;

function wavHeader(size: number): Buffer {
  const header = Buffer.alloc(44);
  const dataSize = Math.max(size - 44, 0);
  header.write('RIFF', 0);
  header.writeUInt32LE(Math.min(dataSize + 36, 0xffffffff), 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24); // 8 kHz, telephone audio
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(Math.min(dataSize, 0xffffffff), 40);
  return header;
}

/** The bytes of a recording, chunk by chunk: a WAV header then seeded noise. */
export function* recordingChunks({ size, seed }: Recording): Generator<Buffer> {
  const header = wavHeader(size).subarray(0, Math.min(44, size));
  yield header;
  let state = (seed * 2654435761) >>> 0 || 1;
  let left = size - header.length;
  while (left > 0) {
    const n = Math.min(CHUNK, left);
    const chunk = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 4) {
      // xorshift32: cheap, deterministic, incompressible enough
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      if (i + 4 <= n) chunk.writeUInt32LE(state, i);
      else for (let j = i; j < n; j++) chunk[j] = (state >>> ((j - i) * 8)) & 0xff;
    }
    left -= n;
    yield chunk;
  }
}

export function recordingSha256(recording: Recording): string {
  const hash = createHash('sha256');
  for (const chunk of recordingChunks(recording)) hash.update(chunk);
  return hash.digest('hex');
}

export function recordingBytes(recording: Recording): Buffer {
  return Buffer.concat([...recordingChunks(recording)]);
}
