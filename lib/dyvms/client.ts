import { AsyncLocalStorage } from 'node:async_hooks';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';

import tea = require('@alicloud/tea-typescript');

import { LenientJsonError, parseLenientJson } from '../common/lenient-json';
import { type RetryDeps, withRetry } from '../common/retry';
import type { Config } from '../config';
import { DyvmsError, kindOfUpstreamCode } from './dyvms-error';
import {
  type QueryRobotTaskCallDetailRequest,
  type QueryRobotTaskCallDetailResponseBody,
  type QueryRobotTaskCallListRequest,
  type QueryRobotTaskCallListResponseBody,
  type QueryRobotTaskListRequest,
  type QueryRobotTaskListResponseBody,
  RpcResponseBody,
} from './models';
import { processRateLimiter, type RateLimiter } from './rate-limit';
import { toDyvmsError } from './to-dyvms-error';

export type { QueryRobotTaskCallDetailResponseBody } from './models';
export { toDyvmsError } from './to-dyvms-error';

/** Each call retries what is worth retrying; the answer's `Code` is always `OK`. */
export interface DyvmsClient {
  queryRobotTaskCallDetail(
    request: QueryRobotTaskCallDetailRequest,
  ): Promise<QueryRobotTaskCallDetailResponseBody>;
  queryRobotTaskCallList(
    request: QueryRobotTaskCallListRequest,
  ): Promise<QueryRobotTaskCallListResponseBody>;
  queryRobotTaskList(request: QueryRobotTaskListRequest): Promise<QueryRobotTaskListResponseBody>;
}

export interface DyvmsClientDeps extends RetryDeps {
  /** A credential to use instead of the environment's (FC passes the function's role). */
  credential?: Credential;
  /** Paces every call, retries included; default: DYVMS_MAX_RPS for this process. */
  rateLimiter?: RateLimiter;
  /** Told of every HTTP answer, an error's too: its status and `Date` header (`doctor`'s clock check). */
  onAnswer?: (answer: UpstreamHttpAnswer) => void;
}

/** What the HTTP layer saw of one answer. */
export interface UpstreamHttpAnswer {
  status?: number;
  /** The answer's `Date` header, as sent (RFC 9110 IMF-fixdate, whole seconds). */
  date?: string;
}

const VERSION = '2017-05-25';

/**
 * openapi-client answers a non-JSON error page (an HTML 502 from a gateway) with a bare
 * SyntaxError from JSON.parse, losing the HTTP status. We observe the status of each
 * response as it passes through Tea's doAction, scoped to the call with AsyncLocalStorage,
 * so the wrapped error still says 502. The library's behaviour is unchanged.
 */
const responseStatus = new AsyncLocalStorage<UpstreamHttpAnswer>();
const teaModule = tea as { doAction: typeof tea.doAction };
const originalDoAction = teaModule.doAction;
if (!(originalDoAction as { observed?: boolean }).observed) {
  const observed = async (...args: Parameters<typeof tea.doAction>) => {
    const response = await originalDoAction(...args);
    const slot = responseStatus.getStore();
    if (slot) {
      slot.status = response.statusCode;
      const date = (response.headers as Record<string, unknown> | undefined)?.date;
      if (typeof date === 'string') slot.date = date;
    }
    return response;
  };
  teaModule.doAction = Object.assign(observed, { observed: true });
}

/**
 * Tea's HTTP layer (httpx) does not enforce its read time-out on a reused keep-alive
 * socket: a stalled upstream would hold the call until the platform's own time-out. This
 * bounds every attempt; the abandoned request ends when its socket does.
 */
function withDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`ReadTimeout(${ms}): no answer within the attempt's deadline`);
      error.name = 'RequestTimeoutError';
      reject(error);
    }, ms);
  });
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}

function credentialFor(keys: DyvmsOptions['credentials']): Credential {
  if (!keys) return new Credential(); // the default chain: env, profile, ECS/FC role, OIDC
  return new Credential(
    new CredentialConfig({
      type: keys.securityToken ? 'sts' : 'access_key',
      accessKeyId: keys.accessKeyId,
      accessKeySecret: keys.accessKeySecret,
      securityToken: keys.securityToken,
    }),
  );
}

export type DyvmsOptions = Config['dyvms'];

/** How one action is called: RPC style, form body, the body left as text. */
function paramsFor(action: string, protocol: string): $OpenApi.Params {
  return new $OpenApi.Params({
    action,
    version: VERSION,
    protocol: protocol.toUpperCase(),
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    // 'string', not 'json': we parse the body ourselves so ids beyond 2^53 keep every digit.
    bodyType: 'string',
  });
}

/** A Tea request model as the query: its set fields, as strings. */
function queryOf(request: tea.Model): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tea.toMap(request) as Record<string, unknown>)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => [key, String(value)]),
  );
}

/** The answer's text as an RPC body whose `Code` is `OK`, or the DyvmsError it stands for. */
function okBodyOf(text: string, httpStatus: number | undefined): RpcResponseBody {
  let raw: unknown;
  try {
    raw = parseLenientJson(text);
  } catch (error: unknown) {
    throw toDyvmsError(
      error instanceof LenientJsonError ? new SyntaxError(error.message) : error,
      httpStatus,
    );
  }
  const body = tea.cast(raw, new RpcResponseBody({}));
  if (body.code !== 'OK') {
    // HTTP 200 with an error Code is still an error.
    const code = body.code ?? 'MissingCode';
    throw new DyvmsError({
      kind: kindOfUpstreamCode(code, httpStatus),
      upstreamCode: code,
      upstreamMessage: body.message ?? '(no message)',
      requestId: body.requestId,
      httpStatus,
    });
  }
  return body;
}

/** What one attempt needs: the signed client, its runtime options and the attempt's bound. */
interface Transport {
  api: OpenApi;
  runtime: $Util.RuntimeOptions;
  deadlineMs: number;
  onAnswer?: (answer: UpstreamHttpAnswer) => void;
}

function transportFor(options: DyvmsOptions, deps: DyvmsClientDeps): Transport {
  const { endpoint, connectTimeoutMs, readTimeoutMs } = options;
  // openapi-client refuses to sign without `credential`, even with the env vars set.
  const api = new OpenApi(
    new $OpenApi.Config({
      credential: deps.credential ?? credentialFor(options.credentials),
      endpoint: endpoint.host,
      protocol: endpoint.protocol,
      connectTimeout: connectTimeoutMs,
      readTimeout: readTimeoutMs,
    }),
  );
  // Its own `autoretry` retries nothing useful: we retry below, and never inside Tea.
  const runtime = new $Util.RuntimeOptions({
    autoretry: false,
    connectTimeout: connectTimeoutMs,
    readTimeout: readTimeoutMs,
  });
  return { api, runtime, deadlineMs: connectTimeoutMs + readTimeoutMs, onAnswer: deps.onAnswer };
}

/** One attempt, once the rate limiter let it go. */
async function callPaced(
  transport: Transport,
  params: $OpenApi.Params,
  request: tea.Model,
): Promise<RpcResponseBody> {
  const { api, runtime, onAnswer } = transport;
  const slot: UpstreamHttpAnswer = {};
  let text: string;
  try {
    const query = queryOf(request);
    const response = await withDeadline(
      responseStatus.run(slot, () =>
        api.callApi(params, new $OpenApi.OpenApiRequest({ query }), runtime),
      ),
      transport.deadlineMs,
    );
    text = String(response.body ?? '');
  } catch (error: unknown) {
    if (slot.status !== undefined) onAnswer?.(slot);
    throw toDyvmsError(error, slot.status);
  }
  onAnswer?.(slot);
  return okBodyOf(text, slot.status);
}

/** The Dyvmsapi client: every call paced by the rate limiter and retried when worth it. */
export function createDyvmsClient(options: DyvmsOptions, deps: DyvmsClientDeps = {}): DyvmsClient {
  const transport = transportFor(options, deps);
  const limiter = deps.rateLimiter ?? processRateLimiter(options.maxRps);

  async function callOnce(params: $OpenApi.Params, request: tea.Model): Promise<RpcResponseBody> {
    const release = await limiter.take();
    try {
      return await callPaced(transport, params, request);
    } finally {
      release();
    }
  }

  /** One action with bounded retries (exponential backoff, full jitter). */
  const call = (action: string) => {
    const params = paramsFor(action, options.endpoint.protocol);
    return (request: tea.Model) =>
      withRetry(
        () => callOnce(params, request),
        (error) => error instanceof DyvmsError && error.retryable,
        { maxAttempts: options.maxAttempts, baseDelayMs: 200, maxDelayMs: 2_000 },
        deps,
      );
  };

  return {
    queryRobotTaskCallDetail: call('QueryRobotTaskCallDetail'),
    queryRobotTaskCallList: call('QueryRobotTaskCallList'),
    queryRobotTaskList: call('QueryRobotTaskList'),
  };
}
