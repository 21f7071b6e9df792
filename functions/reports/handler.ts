import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorResponse } from '../../lib/http/error-response';
import { jsonResponse } from '../../lib/http/json-response';
import { functionServices, reportsServices } from '../../lib/platform/wiring';
import { receiveReports } from '../../lib/reports/receive-reports';

export const services = functionServices(reportsServices);

/** POST /reports/{token}: the Voice Service's batch push (docs/design.md "HTTP contracts"). */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpHeaderNormalizer())
  .use(errorResponse())
  .use(services.secrets)
  .handler(async (event, context) => {
    const result = await receiveReports(
      {
        token: event.pathParameters?.token,
        body: event.body,
        isBase64Encoded: event.isBase64Encoded,
      },
      services.for(context),
    );
    return jsonResponse(200, result);
  });
