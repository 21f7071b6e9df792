import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { audioTypeOfKey } from '../common/audio-types';
import { parseByteRange } from '../common/byte-range';
import { NotFoundError } from '../errors';
import { CSV_TYPE, isExportKey } from '../layout/exports';
import type { BrowseDeps } from './browse-deps';
import { COMMON } from './common-headers';
import { isValidFileSignature } from './session';

type Result = APIGatewayProxyStructuredResultV2;

/** The largest slice of a recording one answer carries (a Lambda answer holds 6 MB). */
const MAX_SLICE = 4 * 1024 * 1024;
/** An export through browse's own route (`file://` archives): read whole, up to this. */
const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

/** `1045001/2019-06-14/1_2/recording.wav` → `1_2.wav`: what a downloaded recording is called. */
export const fileNameOf = (key: string) => {
  if (isExportKey(key))
    return `calls-${key.slice('_exports/date='.length, '_exports/date='.length + 10)}.csv`;
  const parts = key.split('/');
  return `${parts.at(-2) ?? 'recording'}.${key.slice(key.lastIndexOf('.') + 1)}`;
};

/**
 * `/archive/files/{key}`: the stored recording (or export), or a slice of it (`Range`,
 * lib/common/byte-range.ts), on browse's signed route.
 */
export async function signedFile(
  event: APIGatewayProxyEventV2,
  deps: BrowseDeps,
  key: string,
  now: number,
): Promise<Result> {
  const query = event.queryStringParameters ?? {};
  const download = query.download === '1';
  if (!isValidFileSignature(deps.sessionSecret, key, query.expires, query.signature, now, download))
    throw new NotFoundError();
  const info = await deps.store.head(key);
  if (!info) throw new NotFoundError();
  const asked = parseByteRange(event.headers?.range, info.size);
  if (asked.kind === 'unsatisfiable')
    return {
      statusCode: 416,
      headers: { ...COMMON, 'Content-Range': `bytes */${info.size}` },
      body: '',
    };
  const start = asked.kind === 'slice' ? asked.start : 0;
  const exported = isExportKey(key);
  // An export is read whole (a download, not a player): only `file://` serves it here, and
  // its own HTTP server has no 6 MB answer limit.
  const slice = exported ? MAX_EXPORT_BYTES : MAX_SLICE;
  const end = Math.min(asked.kind === 'slice' ? asked.end : info.size - 1, start + slice - 1);
  const bytes = await readBytes(deps.store, key, info.size, { start, end });
  const partial = asked.kind === 'slice' || end < info.size - 1;
  return {
    statusCode: partial ? 206 : 200,
    headers: fileHeaders(key, { exported, download, partial, start, end, size: info.size }),
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
}

/** Bytes `start`..`end` (inclusive) of a stored object `size` bytes long. */
async function readBytes(
  store: BrowseDeps['store'],
  key: string,
  size: number,
  range: { start: number; end: number },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // An empty recording has no byte to ask the store for (end would be -1).
  if (size > 0) {
    const stream = await store.openRead(key, range);
    if (!stream) throw new NotFoundError();
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function fileHeaders(
  key: string,
  served: {
    exported: boolean;
    download: boolean;
    partial: boolean;
    start: number;
    end: number;
    size: number;
  },
): Record<string, string> {
  const { exported, download, partial, start, end, size } = served;
  return {
    ...COMMON,
    // Only audio is stored; anything else is served as bytes, never as a page.
    'Content-Type': exported ? CSV_TYPE : (audioTypeOfKey(key) ?? 'application/octet-stream'),
    ...(download ? { 'Content-Disposition': `attachment; filename="${fileNameOf(key)}"` } : {}),
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, max-age=300',
    ...(partial ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  };
}
