import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { requireReportsToken } from '../../lib/config';
import { errorResponse } from '../../lib/http/error-response';
import { jsonResponse } from '../../lib/http/json-response';
import { processServices, secretsMiddleware } from '../../lib/platform/process-services';
import { reportsServices } from '../../lib/platform/services';
import { receiveReports } from '../../lib/reports/receive-reports';

const { secretsPath, servicesFor } = processServices((config) => ({
  reportsToken: requireReportsToken(config),
  ...reportsServices(config),
}));

/** POST /reports/{token}: the Voice Service's batch push (DESIGN.md "HTTP contracts"). */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpHeaderNormalizer())
  .use(httpErrorHandler({ logger: false }))
  .use(errorResponse())
  .use(secretsMiddleware(secretsPath))
  .handler(async (event, context) => {
    const result = await receiveReports(
      {
        token: event.pathParameters?.token,
        body: event.body,
        isBase64Encoded: event.isBase64Encoded,
      },
      servicesFor(context),
    );
    return jsonResponse(200, result);
  });
