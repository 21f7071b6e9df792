import { isIP } from 'node:net';
import { AUDIO_TYPES } from '../common/audio-types';
import { RecordingRefusedError } from './errors';

/**
 * Only http(s) URLs whose host is an allow-listed suffix (`.aliyuncs.com` matches
 * `x.oss-cn-hangzhou.aliyuncs.com`, never `x.aliyuncs.com.evil.test`) or an exact entry.
 * IP literals pass only when listed exactly: no fetch of 169.254.169.254 or 127.0.0.1
 * because the upstream said so.
 */
export function checkRecordingUrl(raw: string, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RecordingRefusedError('recordFile is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RecordingRefusedError(`recordFile scheme ${url.protocol} is not http(s)`);
  }
  if (url.username || url.password)
    throw new RecordingRefusedError('recordFile carries credentials');
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const allowed = allowedHosts.some((entry) => {
    const rule = entry.toLowerCase();
    if (rule.startsWith('.'))
      return isIP(host) === 0 && host.endsWith(rule) && host.length > rule.length;
    return host === rule;
  });
  if (!allowed) {
    throw new RecordingRefusedError(`recordFile host ${host} is not in RECORDING_HOSTS`);
  }
  // OSS serves on 80 and 443; another port is another service. An address the operator
  // listed by itself (an emulator on 127.0.0.1) may use any port.
  if (isIP(host) === 0 && url.port !== '' && url.port !== '80' && url.port !== '443') {
    throw new RecordingRefusedError(`recordFile port ${url.port} is not 80 or 443`);
  }
  return url;
}

/** OSS's `Expires` (epoch seconds) in ms, or undefined when the URL has none. */
export function expiresAtMs(url: URL): number | undefined {
  const expires = url.searchParams.get('Expires');
  return expires !== null && /^\d{1,12}$/.test(expires) ? Number(expires) * 1000 : undefined;
}

/** `wav`, `mp3`…: the object name's extension, or `bin` when it has none we trust. */
export function recordingExtension(url: URL): string {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(url.pathname);
  return match?.[1]?.toLowerCase() ?? 'bin';
}

/**
 * The type a recording is stored as: the answer's `audio/*` type, or the extension's audio
 * type when the answer says `application/octet-stream` (or nothing); undefined for anything
 * else. Only audio is stored: an HTML page kept as a "recording" would be served from the
 * bucket's origin by its presigned URL.
 */
export function audioTypeOf(extension: string, header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream';
  if (/^audio\/[a-z0-9.+-]+$/.test(type)) return type;
  return type === 'application/octet-stream' ? AUDIO_TYPES[extension] : undefined;
}
