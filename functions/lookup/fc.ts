// First: zod reads this flag as each schema below is built.
import '../../lib/platform/zod-interpreted';
import { fcHttpHandler } from '../../lib/platform/fc';
import { createHandler as createLambdaHandler, handler as lambdaHandler } from './handler';

const ROUTE = 'GET /calls/{taskId}/{callee}';

/** Function Compute 3.0 entry (HTTP trigger): the same handler through the FC adapter. */
export const createHandler = (services: Parameters<typeof createLambdaHandler>[0]) =>
  fcHttpHandler(ROUTE, createLambdaHandler(services));

export const handler = fcHttpHandler(ROUTE, lambdaHandler);
