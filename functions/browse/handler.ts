import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type BrowseDeps, handleBrowse } from '../../lib/browse/browse-routes';
import { errorResponse } from '../../lib/http/error-response';
import { logger } from '../../lib/log';
import { browseServices, type FunctionServices, functionServices } from '../../lib/platform/wiring';

/** GET /app, POST /app/session, GET /archive/…: the archive browser (docs/design.md). */
export function createHandler(services: FunctionServices<BrowseDeps>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(httpHeaderNormalizer())
    .use(errorResponse())
    .use(services.secrets)
    .handler(async (event, context) => handleBrowse(event, services.for(context)));
}

export const handler = createHandler(functionServices(browseServices));
