import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * SSM Parameter Store's GetParameters on 127.0.0.1, for the secrets read at cold start:
 * JSON 1.1 (`X-Amz-Target: AmazonSSM.GetParameters`), at most 10 names a call, unknown
 * names under `InvalidParameters`, a name the caller's role may not read (`grants`) refused
 * with 400 AccessDeniedException as IAM would, and every request's SigV4 signature
 * recomputed from the known secret key (a wrong signature is SSM's 400
 * InvalidSignatureException).
 */
export interface SsmEmulatorOptions {
  /** Parameters by full name, e.g. `/vms/test/API_KEYS`. */
  parameters: Record<string, string>;
  /** accessKeyId → secretAccessKey */
  credentials: Record<string, string>;
  region: string;
  /** accessKeyId → the parameter names its role may read; unset: every name. */
  grants?: Record<string, readonly string[]>;
  /** Answer the next N requests with 400 ThrottlingException. */
  throttleNext?: number;
}

export interface SsmRequestSeen {
  target: string | undefined;
  body: { Names?: string[]; WithDecryption?: boolean };
  /** The access key id that signed it. */
  accessKeyId: string | undefined;
  signatureValid: boolean;
}

export class SsmEmulator {
  readonly requests: SsmRequestSeen[] = [];
  private server?: Server;
  url = '';

  constructor(readonly options: SsmEmulatorOptions) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const body = JSON.parse(raw || '{}') as SsmRequestSeen['body'];
    const signatureValid = this.signatureValid(req, raw);
    const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
    this.requests.push({
      target: req.headers['x-amz-target'] as string | undefined,
      body,
      signatureValid,
      accessKeyId,
    });
    const fail = (status: number, type: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: `com.amazonaws.ssm#${type}`, message }));
    };
    if (!signatureValid) {
      fail(400, 'InvalidSignatureException', 'The request signature we calculated does not match');
      return;
    }
    if ((this.options.throttleNext ?? 0) > 0) {
      this.options.throttleNext = (this.options.throttleNext ?? 0) - 1;
      fail(400, 'ThrottlingException', 'Rate exceeded');
      return;
    }
    if (req.headers['x-amz-target'] !== 'AmazonSSM.GetParameters') {
      fail(400, 'UnknownOperationException', 'only GetParameters is emulated');
      return;
    }
    const names = body.Names ?? [];
    if (names.length === 0 || names.length > 10) {
      fail(400, 'ValidationException', 'Names: between 1 and 10 names');
      return;
    }
    const granted = accessKeyId ? this.options.grants?.[accessKeyId] : undefined;
    const denied = names.find((name) => granted !== undefined && !granted.includes(name));
    if (denied) {
      fail(
        400,
        'AccessDeniedException',
        `not authorized to perform ssm:GetParameters on ${denied}`,
      );
      return;
    }
    const known = names.filter((name) => this.options.parameters[name] !== undefined);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        Parameters: known.map((name) => ({
          Name: name,
          Type: 'SecureString',
          Value: body.WithDecryption ? this.options.parameters[name] : 'AQICAH…(encrypted)',
        })),
        InvalidParameters: names.filter((name) => !known.includes(name)),
      }),
    );
  }

  /** SigV4 recomputed from the request as received (docs: "Create a signed AWS API request"). */
  private signatureValid(req: IncomingMessage, body: string): boolean {
    const authorization = String(req.headers.authorization ?? '');
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/ssm\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    if (!match) return false;
    const [, keyId = '', day = '', region, signedHeaders = '', signature] = match;
    const secret = this.options.credentials[keyId];
    if (secret === undefined || region !== this.options.region) return false;
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const names = signedHeaders.split(';');
    const canonicalHeaders = names
      .map((name) => `${name}:${String(req.headers[name] ?? '').trim()}\n`)
      .join('');
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const canonicalRequest = [
      req.method,
      new URL(req.url ?? '/', 'http://x').pathname,
      '',
      canonicalHeaders,
      signedHeaders,
      sha256(body),
    ].join('\n');
    const scope = `${day}/${region}/ssm/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
    const hmac = (key: string | Buffer, text: string) =>
      createHmac('sha256', key).update(text).digest();
    const signingKey = hmac(
      hmac(hmac(hmac(`AWS4${secret}`, day), region ?? ''), 'ssm'),
      'aws4_request',
    );
    return hmac(signingKey, stringToSign).toString('hex') === signature;
  }
}
