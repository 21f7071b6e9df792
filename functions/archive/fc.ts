// First: zod reads this flag as each schema below is built.
import '../../lib/platform/zod-interpreted';
import { fcEventHandler } from '../../lib/platform/fc';
import { createHandler as createLambdaHandler, handler as lambdaHandler } from './handler';

/** Function Compute 3.0 entry (async invocation with a CallEnded job): same handler. */
export const createHandler = (services: Parameters<typeof createLambdaHandler>[0]) =>
  fcEventHandler(createLambdaHandler(services));

export const handler = fcEventHandler(lambdaHandler);
