import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { requireApiKeys } from '../../lib/config';
import { createDyvmsClient } from '../../lib/dyvms/client';
import { apiKeyAuth } from '../../lib/http/api-key-auth';
import { errorResponse } from '../../lib/http/error-response';
import { jsonResponse } from '../../lib/http/json-response';
import { lookupCall } from '../../lib/lookup/lookup-call';
import { parseLookupRequest } from '../../lib/lookup/lookup-request';
import { processServices, secretsMiddleware } from '../../lib/platform/process-services';

const { secretsPath, servicesFor } = processServices((config) => ({
  keys: requireApiKeys(config),
  dyvms: createDyvmsClient(config),
}));

/** GET /calls/{taskId}/{callee}?date= → CallDetail (DESIGN.md "HTTP contracts"). */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpHeaderNormalizer())
  .use(httpErrorHandler({ logger: false }))
  .use(errorResponse())
  .use(secretsMiddleware(secretsPath))
  .use(apiKeyAuth({ keys: (context) => servicesFor(context).keys }))
  .handler(async (event, context) => {
    const query = parseLookupRequest(event.pathParameters, event.queryStringParameters, Date.now());
    const { detail, upstreamRequestId } = await lookupCall(query, servicesFor(context).dyvms);
    return jsonResponse(200, detail, { 'x-upstream-request-id': upstreamRequestId ?? '' });
  });
