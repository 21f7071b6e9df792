import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';
import * as z from 'zod';
import { type RetryPolicy, withRetry } from '../common/retry';
import { VmsArchiveError } from '../errors';

/**
 * SSM Parameter Store's GetParameters, the one SSM call the functions make: JSON 1.1
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
  /** The variables to read (`API_KEYS`, …): the parameters `path` + name, and no others. */
  names: readonly string[];
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

/** GetParameters' answer; `InvalidParameters` lists the names SSM does not have. */
const ParametersAnswerSchema = z.object({
  Parameters: z
    .array(z.object({ Name: z.string().optional(), Value: z.string().optional() }).loose())
    .optional(),
  InvalidParameters: z.array(z.string()).optional(),
});
type ParametersAnswer = z.output<typeof ParametersAnswerSchema>;

/** A JSON 1.1 error: {"__type":"com.amazonaws…#ThrottlingException","message":"…"}. */
const ErrorAnswerSchema = z.object({ __type: z.string().optional() }).loose();

/** GetParameters takes at most 10 names a call. */
const NAMES_PER_CALL = 10;

/** SSM's few throttling and server answers are worth a second try; a denied role is not. */
const RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/**
 * The parameters `path` + each of `names`, decrypted, by variable name (a StringList stays
 * the comma-separated string the variable takes). A name SSM does not have is left out:
 * the configuration then names the variable that is missing. GetParameters, not
 * GetParametersByPath: a role may be granted exactly the names its function reads.
 */
export async function readParameters(options: SsmOptions): Promise<Record<string, string>> {
  const path = options.path.endsWith('/') ? options.path : `${options.path}/`;
  const endpoint = new URL(options.endpoint ?? `https://ssm.${options.region}.amazonaws.com/`);
  const signer = new SignatureV4({
    service: 'ssm',
    region: options.region,
    credentials: options.credentials ?? fromEnv(),
    sha256: NodeSha256,
  });
  const ssm: SsmEndpoint = { endpoint, signer, send: options.fetch ?? fetch };
  const values: Record<string, string> = {};
  for (let from = 0; from < options.names.length; from += NAMES_PER_CALL) {
    const names = options.names.slice(from, from + NAMES_PER_CALL).map((name) => path + name);
    const body = JSON.stringify({ Names: names, WithDecryption: true });
    const answer = await withRetry(
      async () => answerOf(await postSigned(ssm, body), path),
      (error) => error instanceof SecretsUnavailableError && error.retryable,
      options.retry ?? RETRY,
      { sleep: options.sleep },
    );
    for (const parameter of answer.Parameters ?? []) {
      if (parameter.Name && names.includes(parameter.Name) && typeof parameter.Value === 'string') {
        values[parameter.Name.slice(path.length)] = parameter.Value;
      }
    }
  }
  return values;
}

/** Where GetParameters goes and how it is signed and sent. */
interface SsmEndpoint {
  endpoint: URL;
  signer: SignatureV4;
  send: typeof fetch;
}

/** One GetParameters request, SigV4-signed; no answer at all is a retryable error. */
async function postSigned(ssm: SsmEndpoint, body: string): Promise<Response> {
  const { endpoint, send } = ssm;
  const request = await ssm.signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    path: endpoint.pathname,
    query: {},
    headers: {
      host: endpoint.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.GetParameters',
    },
    body,
  });
  return send(endpoint, { method: 'POST', headers: request.headers, body }).catch(
    (cause: unknown) => {
      throw new SecretsUnavailableError(`SSM at ${endpoint.host} did not answer`, {
        retryable: true,
        cause,
      });
    },
  );
}

/** SSM's answer, or an error naming its `__type` (never a value: these are secrets). */
async function answerOf(response: Response, path: string): Promise<ParametersAnswer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const answer = ParametersAnswerSchema.safeParse(json);
  if (response.ok && answer.success) return answer.data;
  const type = (ErrorAnswerSchema.safeParse(json).data?.__type ?? '').replace(/^.*#/, '');
  const retryable = response.status >= 500 || /Throttl|TooManyRequests/.test(type);
  throw new SecretsUnavailableError(
    `SSM GetParameters under ${path} answered ${response.status}${type ? ` ${type}` : ''}`,
    { retryable },
  );
}
