// First: zod reads this flag as each schema below is built.
import '../../lib/platform/zod-interpreted';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lookupCall } from '../../lib/dyvms/lookup-call';
import { apiKeyAuth } from '../../lib/http/api-key-auth';
import { errorResponse } from '../../lib/http/error-response';
import { jsonResponse } from '../../lib/http/json-response';
import { logger } from '../../lib/log';
import { parseLookupRequest } from '../../lib/lookup/lookup-request';
import {
  type FunctionServices,
  functionServices,
  type LookupServices,
  lookupServices,
} from '../../lib/platform/wiring';

/** GET /calls/{taskId}/{callee}?date= → CallDetail (docs/design.md "HTTP contracts"). */
export function createHandler(services: FunctionServices<LookupServices>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(httpHeaderNormalizer())
    .use(errorResponse())
    .use(services.secrets)
    .use(apiKeyAuth({ keys: (context) => services.for(context).apiKeys }))
    .handler(async (event, context) => {
      const query = parseLookupRequest(
        event.pathParameters,
        event.queryStringParameters,
        Date.now(),
      );
      const { detail, upstreamRequestId } = await lookupCall(query, services.for(context).dyvms);
      return jsonResponse(200, detail, { 'x-upstream-request-id': upstreamRequestId ?? '' });
    });
}

export const handler = createHandler(functionServices(lookupServices));
