import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';
import { type RetryPolicy, withRetry } from '../common/retry';
import { VmsArchiveError } from '../errors';

/**
 * SSM Parameter Store's GetParametersByPath, the one SSM call the functions make: JSON 1.1
 * over HTTPS, signed with SigV4 by @smithy/signature-v4 (the signer inside every AWS SDK
 * client). Not @aws-sdk/client-ssm: its schema of every SSM operation is 170 KB of each
 * AWS bundle, and the secrets are read on every cold start (docs/design.md "Platforms").
 */

/** SSM did not give the secrets: start-up cannot go on without them. */
export class SecretsUnavailableError extends VmsArchiveError {
  override name = 'SecretsUnavailableError';
  constructor(message: string, opts: { retryable: boolean; cause?: unknown }) {
    super(message, { code: 'SecretsUnavailable', ...opts });
  }
}

export interface SsmOptions {
  /** e.g. `/vms-call-archive/prod/`; each parameter's name after it is a variable's name. */
  path: string;
  region: string;
  /** `AWS_ENDPOINT_URL_SSM`, as the AWS SDKs name it; else SSM's regional endpoint. */
  endpoint?: string;
  /** The function role's keys, which Lambda puts in the environment. */
  credentials?: AwsCredentialIdentityProvider;
  fetch?: typeof fetch;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

/** SHA-256 (and its HMAC) from node:crypto, in the shape @smithy/signature-v4 takes. */
class NodeSha256 implements Checksum {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    throw new Error('not used by SignatureV4');
  }
}

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

interface ParametersPage {
  Parameters?: { Name?: string; Type?: string; Value?: string }[];
  NextToken?: string;
}

/** SSM's few throttling and server answers are worth a second try; a denied role is not. */
const RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/**
 * Every parameter directly under `path`, decrypted, by its name after the path (a
 * StringList stays the comma-separated string the variable takes). Pages until SSM gives
 * no NextToken.
 */
export async function readParametersByPath(options: SsmOptions): Promise<Record<string, string>> {
  const path = options.path.endsWith('/') ? options.path : `${options.path}/`;
  const endpoint = new URL(options.endpoint ?? `https://ssm.${options.region}.amazonaws.com/`);
  const signer = new SignatureV4({
    service: 'ssm',
    region: options.region,
    credentials: options.credentials ?? fromEnv(),
    sha256: NodeSha256,
  });
  const send = options.fetch ?? fetch;
  const values: Record<string, string> = {};
  let nextToken: string | undefined;
  do {
    const body = JSON.stringify({
      Path: path,
      Recursive: false,
      WithDecryption: true,
      MaxResults: 10,
      ...(nextToken ? { NextToken: nextToken } : {}),
    });
    const page = await withRetry(
      async () => {
        const request = await signer.sign({
          method: 'POST',
          protocol: endpoint.protocol,
          hostname: endpoint.hostname,
          port: endpoint.port ? Number(endpoint.port) : undefined,
          path: endpoint.pathname,
          query: {},
          headers: {
            host: endpoint.host,
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AmazonSSM.GetParametersByPath',
          },
          body,
        });
        return answerOf(
          await send(endpoint, {
            method: 'POST',
            headers: request.headers,
            body,
          }).catch((cause: unknown) => {
            throw new SecretsUnavailableError(`SSM at ${endpoint.host} did not answer`, {
              retryable: true,
              cause,
            });
          }),
          path,
        );
      },
      (error) => error instanceof SecretsUnavailableError && error.retryable,
      options.retry ?? RETRY,
      { sleep: options.sleep },
    );
    for (const parameter of page.Parameters ?? []) {
      if (parameter.Name?.startsWith(path) && typeof parameter.Value === 'string') {
        values[parameter.Name.slice(path.length)] = parameter.Value;
      }
    }
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return values;
}

/** SSM's answer, or an error naming its `__type` (never a value: these are secrets). */
async function answerOf(response: Response, path: string): Promise<ParametersPage> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.ok && json && typeof json === 'object') return json as ParametersPage;
  // JSON 1.1 errors: {"__type":"com.amazonaws…#ThrottlingException","message":"…"}
  const type = String((json as { __type?: unknown } | undefined)?.__type ?? '').replace(/^.*#/, '');
  const retryable = response.status >= 500 || /Throttl|TooManyRequests/.test(type);
  throw new SecretsUnavailableError(
    `SSM GetParametersByPath ${path} answered ${response.status}${type ? ` ${type}` : ''}`,
    { retryable },
  );
}
