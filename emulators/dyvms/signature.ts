import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signature checks written from Alibaba Cloud's published algorithms, independently of
 * @alicloud/openapi-util, so a signing bug in the client cannot be hidden by sharing code.
 */

/** RFC 3986 percent-encoding: `%20` for space, `%2A` for `*`, `~` literal. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface SignedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export type SignatureCheck =
  | { ok: true; accessKeyId: string; nonce: string; timestamp: string }
  | { ok: false; code: string; message: string; status: number };

const fail = (code: string, message: string, status = 400): SignatureCheck => ({
  ok: false,
  code,
  message,
  status,
});

const mismatch = () =>
  fail('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');

/** ACS3-HMAC-SHA256: a canonical request signed into the Authorization header. */
export function checkAcs3(
  request: SignedRequest,
  secretOf: (accessKeyId: string) => string | undefined,
): SignatureCheck {
  const auth = request.headers.authorization ?? '';
  const match =
    /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(auth);
  if (!match) return fail('IncompleteSignature', 'The Authorization header is malformed.');
  const [, accessKeyId = '', signedHeaderList = '', signature = ''] = match;
  const secret = secretOf(accessKeyId);
  if (secret === undefined) {
    return fail('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
  }
  const signedHeaders = signedHeaderList.split(';');
  for (const required of ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!signedHeaders.includes(required)) {
      return fail('IncompleteSignature', `The header ${required} must be signed.`);
    }
  }
  const payloadHash = sha256Hex(request.body);
  if (request.headers['x-acs-content-sha256'] !== payloadHash) {
    return fail('SignatureDoesNotMatch', 'The request body does not match x-acs-content-sha256.');
  }
  const canonicalQuery = Object.keys(request.query)
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(request.query[key] ?? '')}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(request.headers[name] ?? '').trim()}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    request.path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  const expected = createHmac('sha256', secret).update(stringToSign).digest('hex');
  if (!safeEqual(expected, signature)) {
    return mismatch();
  }
  return {
    ok: true,
    accessKeyId,
    nonce: request.headers['x-acs-signature-nonce'] ?? '',
    timestamp: request.headers['x-acs-date'] ?? '',
  };
}

/** RPC signature v1: HMAC-SHA1 over METHOD&%2F&enc(sorted, encoded params). */
export function checkRpcV1(
  method: string,
  params: Record<string, string>,
  secretOf: (accessKeyId: string) => string | undefined,
): SignatureCheck {
  const { Signature: signature, ...signed } = params;
  if (!signature || !signed.AccessKeyId || !signed.SignatureNonce || !signed.Timestamp) {
    return fail(
      'IncompleteSignature',
      'Signature, AccessKeyId, SignatureNonce and Timestamp are required.',
    );
  }
  if (signed.SignatureMethod !== 'HMAC-SHA1' || signed.SignatureVersion !== '1.0') {
    return fail('IncompleteSignature', 'Only SignatureMethod HMAC-SHA1 version 1.0 is supported.');
  }
  const secret = secretOf(signed.AccessKeyId);
  if (secret === undefined) {
    return fail('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
  }
  const canonical = Object.keys(signed)
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(signed[key] ?? '')}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  if (!safeEqual(expected, signature)) {
    return mismatch();
  }
  return {
    ok: true,
    accessKeyId: signed.AccessKeyId,
    nonce: signed.SignatureNonce,
    timestamp: signed.Timestamp,
  };
}
