import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleBrowse } from '../../lib/browse/browse-routes';
import { errorResponse } from '../../lib/http/error-response';
import { browseServices, functionServices } from '../../lib/platform/wiring';

export const services = functionServices(browseServices);

/** GET /app, POST /app/session, GET /archive/…: the archive browser (docs/design.md). */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpHeaderNormalizer())
  .use(errorResponse())
  .use(services.secrets)
  .handler(async (event, context) => handleBrowse(event, services.for(context)));
