import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig, requireApiKeys } from '../../lib/config';
import { createDyvmsClient } from '../../lib/dyvms/client';
import { apiKeyAuth } from '../../lib/http/api-key-auth';
import { errorResponse } from '../../lib/http/error-response';
import { jsonResponse } from '../../lib/http/json-response';
import { lookupCall } from '../../lib/lookup/lookup-call';
import { parseLookupRequest } from '../../lib/lookup/lookup-request';

// Once per process: a bad configuration stops the cold start, not each request.
const config = loadConfig();
const keys = requireApiKeys(config);
const dyvms = createDyvmsClient(config);

/** GET /calls/{taskId}/{callee}?date= → CallDetail (DESIGN.md "HTTP contracts"). */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpHeaderNormalizer())
  .use(httpErrorHandler({ logger: false }))
  .use(errorResponse())
  .use(apiKeyAuth({ keys }))
  .handler(async (event) => {
    const query = parseLookupRequest(event.pathParameters, event.queryStringParameters, Date.now());
    const { detail, upstreamRequestId } = await lookupCall(query, dyvms);
    return jsonResponse(200, detail, { 'x-upstream-request-id': upstreamRequestId ?? '' });
  });
