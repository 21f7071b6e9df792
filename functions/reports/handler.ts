import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorResponse } from '../../lib/http/error-response';
import { jsonResponse } from '../../lib/http/json-response';
import { logger } from '../../lib/log';
import { alertsMiddleware } from '../../lib/platform/alerts';
import { metricsMiddleware } from '../../lib/platform/metrics';
import {
  type FunctionServices,
  functionServices,
  type ReportsServices,
  reportsServices,
} from '../../lib/platform/wiring';
import { receiveReports } from '../../lib/reports/receive-reports';

/** POST /reports/{token}: the Voice Service's batch push (docs/design.md "HTTP contracts"). */
export function createHandler(services: FunctionServices<ReportsServices>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(httpHeaderNormalizer())
    .use(errorResponse())
    .use(alertsMiddleware())
    .use(metricsMiddleware())
    .use(services.secrets)
    .handler(async (event, context) => {
      const { token } = event.pathParameters ?? {};
      const request = { token, body: event.body, isBase64Encoded: event.isBase64Encoded };
      return jsonResponse(200, await receiveReports(request, services.for(context)));
    });
}

export const handler = createHandler(functionServices(reportsServices));
