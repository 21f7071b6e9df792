import type { ServerResponse } from 'node:http';
import { type Recording, type RecordingFault, recordingChunks } from './recording';

export const BUCKET = 'alicom-fc-record-biz';

/** An error as OSS answers it: status, Code, Message and its `x-oss-ec` error code. */
export interface OssRefusal {
  status: number;
  code: string;
  message: string;
  ec: string;
}

export const SIGNATURE_MISMATCH: OssRefusal = {
  status: 403,
  code: 'SignatureDoesNotMatch',
  message: 'The request signature we calculated does not match the signature you provided.',
  ec: '0002-00000040',
};
export const EXPIRED: OssRefusal = {
  status: 403,
  code: 'AccessDenied',
  message: 'Request has expired.',
  ec: '0002-00000069',
};
export const NO_SUCH_KEY: OssRefusal = {
  status: 404,
  code: 'NoSuchKey',
  message: 'The specified key does not exist.',
  ec: '0026-00000001',
};
export const INTERNAL_ERROR: OssRefusal = {
  status: 500,
  code: 'InternalError',
  message: 'We encountered an internal error. Please try again.',
  ec: '0001-00000000',
};

/** OSS's XML error body, with its headers. */
export function writeOssError(res: ServerResponse, { status, code, message, ec }: OssRefusal) {
  res.writeHead(status, {
    'content-type': 'application/xml',
    'x-oss-ec': ec,
    'x-oss-request-id': 'EMU',
  });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n  <RequestId>EMU</RequestId>\n  <HostId>${BUCKET}.oss-emulator</HostId>\n  <EC>${ec}</EC>\n</Error>\n`,
  );
}

/**
 * The recording's bytes, written as fast as the client reads them; a `truncate` or `reset`
 * fault cuts them after its bytes, a `stall` holds them after the headers.
 */
export function streamRecording(
  res: ServerResponse,
  object: string,
  recording: Recording,
  fault: RecordingFault | undefined,
): void {
  res.writeHead(200, {
    'content-type': 'audio/wav',
    'content-length': String(recording.size),
    etag: `"${object}"`,
  });
  const limit =
    fault?.kind === 'truncate' || fault?.kind === 'reset'
      ? fault.afterBytes
      : Number.POSITIVE_INFINITY;
  const chunks = recordingChunks(recording);
  let sent = 0;
  const pump = () => {
    while (!res.destroyed) {
      if (sent >= limit) {
        // truncate: end the socket cleanly but early; reset: RST the connection
        if (fault?.kind === 'reset') res.socket?.resetAndDestroy();
        else res.socket?.end();
        return;
      }
      const next = chunks.next();
      if (next.done) {
        res.end();
        return;
      }
      const chunk = next.value.subarray(0, Math.min(next.value.length, limit - sent));
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  if (fault?.kind === 'stall') {
    res.flushHeaders();
    setTimeout(pump, fault.ms).unref();
  } else {
    pump();
  }
}
