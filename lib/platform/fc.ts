import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import * as z from 'zod';
import { decodePathSegment } from '../common/path-segment';
import type { ContextWithSecrets } from './secrets';

/**
 * Runs the same handlers on Alibaba Cloud Function Compute 3.0 (Node.js runtime).
 * FC passes the event as a Buffer; an HTTP trigger's is JSON with `version`, `rawPath`,
 * `headers` (multi-valued ones comma-joined), `queryParameters`, `body`,
 * `isBase64Encoded` and `requestContext`. We turn it into the API Gateway v2 event the
 * handlers take, and their result back into FC's response.
 */

/**
 * FC's HTTP trigger event (a Buffer of JSON), parsed rather than cast: a field of the wrong
 * type is refused at the edge instead of failing somewhere inside a handler.
 */
const FcHttpEventSchema = z.object({
  version: z.string().optional(),
  rawPath: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  queryParameters: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
  requestContext: z
    .object({
      accountId: z.string().optional(),
      domainName: z.string().optional(),
      domainPrefix: z.string().optional(),
      requestId: z.string().optional(),
      time: z.string().optional(),
      timeEpoch: z.string().optional(),
      http: z
        .object({
          method: z.string().optional(),
          path: z.string().optional(),
          protocol: z.string().optional(),
          sourceIp: z.string().optional(),
          userAgent: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type FcHttpEvent = z.infer<typeof FcHttpEventSchema>;

export interface FcContext {
  requestId: string;
  credentials?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  function?: { name?: string; handler?: string; memory?: number; timeout?: number };
  service?: { name?: string };
  region?: string;
  accountId?: string;
}

export interface FcHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
type EventHandler = (event: unknown, context: Context) => Promise<unknown>;

/** `/calls/{taskId}/{callee}` → a matcher that returns the path parameters, or undefined. */
export function routeMatcher(route: string): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  // `{name}` is one segment; `{name+}` the rest of the path (API Gateway's greedy form).
  const pattern = route.replace(/\{(\w+)(\+?)\}/g, (_all, name: string, greedy: string) => {
    names.push(name);
    return greedy ? '(.+)' : '([^/]+)';
  });
  const regex = new RegExp(`^${pattern}/?$`);
  return (path) => {
    const match = regex.exec(path);
    if (!match) return undefined;
    return Object.fromEntries(names.map((name, i) => [name, match[i + 1] as string]));
  };
}

/** A Lambda-shaped context for the handlers, carrying FC's role credentials. */
export function lambdaContextFrom(context: FcContext): ContextWithSecrets {
  const started = Date.now();
  const timeoutMs = (context.function?.timeout ?? 60) * 1000;
  const name = context.function?.name ?? 'fc-function';
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: 'LATEST',
    invokedFunctionArn: `acs:fc:${context.region ?? ''}:${context.accountId ?? ''}:functions/${name}`,
    memoryLimitInMB: String(context.function?.memory ?? 512),
    awsRequestId: context.requestId,
    logGroupName: '',
    logStreamName: '',
    getRemainingTimeInMillis: () => Math.max(timeoutMs - (Date.now() - started), 0),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    alibabaCredentials: context.credentials,
  };
}

/** The `Cookie` header (any case) as API Gateway v2's `cookies` list. */
function cookiesOf(headers: Record<string, string> | undefined): string[] | undefined {
  const header = Object.entries(headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'cookie',
  )?.[1];
  return header ? header.split(';').map((cookie) => cookie.trim()) : undefined;
}

export function toApiGatewayEvent(
  fc: FcHttpEvent,
  routeKey: string,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 {
  const method = fc.requestContext?.http?.method ?? 'GET';
  const query = fc.queryParameters ?? {};
  return {
    version: '2.0',
    routeKey,
    rawPath: fc.rawPath,
    rawQueryString: new URLSearchParams(query).toString(),
    // API Gateway v2 hands cookies apart from the headers; FC leaves them in `cookie`.
    cookies: cookiesOf(fc.headers),
    headers: { ...(fc.headers ?? {}) },
    queryStringParameters: Object.keys(query).length > 0 ? { ...query } : undefined,
    pathParameters,
    body: fc.body,
    isBase64Encoded: fc.isBase64Encoded ?? false,
    requestContext: {
      accountId: fc.requestContext?.accountId ?? '',
      apiId: fc.requestContext?.domainPrefix ?? '',
      domainName: fc.requestContext?.domainName ?? '',
      domainPrefix: fc.requestContext?.domainPrefix ?? '',
      http: {
        method,
        path: fc.requestContext?.http?.path ?? fc.rawPath,
        protocol: fc.requestContext?.http?.protocol ?? 'HTTP/1.1',
        sourceIp: fc.requestContext?.http?.sourceIp ?? '',
        userAgent: fc.requestContext?.http?.userAgent ?? '',
      },
      requestId: fc.requestContext?.requestId ?? '',
      routeKey,
      stage: '$default',
      time: fc.requestContext?.time ?? '',
      timeEpoch: Number(fc.requestContext?.timeEpoch ?? Date.now()),
    },
  };
}

function toFcResponse(result: unknown): FcHttpResponse {
  const r = (result ?? {}) as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(
    Object.entries(r.headers ?? {}).map(([k, v]) => [k, String(v)]),
  );
  if (r.cookies && r.cookies.length > 0) headers['set-cookie'] = r.cookies.join(', ');
  return {
    statusCode: r.statusCode ?? 200,
    headers,
    body: r.body ?? '',
    isBase64Encoded: r.isBase64Encoded ?? false,
  };
}

/** An FC HTTP-trigger handler for one route (`GET /calls/{taskId}/{callee}`). */
export function fcHttpHandler(route: string, handler: HttpHandler) {
  const [method, path = ''] = route.split(' ');
  const match = routeMatcher(path);
  return async (event: Buffer | string, context: FcContext): Promise<FcHttpResponse> => {
    const parsed = parseFcEvent(event);
    if (!parsed.success) return fcError(400, 'BadRequest', parsed.message, context.requestId);
    const fc = parsed.data;
    const pathParameters = match(fc.rawPath);
    const asked = fc.requestContext?.http?.method ?? 'GET';
    if (!pathParameters || (method !== 'ANY' && asked !== method)) {
      return fcError(404, 'NotFound', 'Not Found', context.requestId);
    }
    const decoded = Object.fromEntries(
      Object.entries(pathParameters).map(([k, v]) => [k, decodePathSegment(v)]),
    );
    return toFcResponse(
      await handler(toApiGatewayEvent(fc, route, decoded), lambdaContextFrom(context)),
    );
  };
}

/**
 * An FC event handler (the archive's async invocation): the payload is the CallEnded job.
 * A payload that is not JSON is passed on as text, so the handler parks it as invalid.
 */
export function fcEventHandler(handler: EventHandler) {
  return async (event: Buffer | string, context: FcContext): Promise<unknown> => {
    const text = event.toString();
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // left as text: parked with the reason by the handler
    }
    return handler(payload, lambdaContextFrom(context));
  };
}

function parseFcEvent(
  event: Buffer | string,
): { success: true; data: FcHttpEvent } | { success: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(event.toString());
  } catch {
    return { success: false, message: 'the HTTP trigger event is not JSON' };
  }
  const parsed = FcHttpEventSchema.safeParse(json);
  if (parsed.success) return parsed;
  const issue = parsed.error.issues[0];
  return {
    success: false,
    message: `the HTTP trigger event: ${issue?.path.join('.') || '(event)'}: ${issue?.message}`,
  };
}

function fcError(
  statusCode: number,
  code: string,
  message: string,
  requestId: string,
): FcHttpResponse {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: { code, message, requestId } }),
    isBase64Encoded: false,
  };
}
