import { fcEventHandler } from '../../lib/platform/fc';
import { createHandler as createLambdaHandler, handler as lambdaHandler } from './handler';

/** Function Compute 3.0 entry: the archive function's on-failure destination record. */
export const createHandler = (services: Parameters<typeof createLambdaHandler>[0]) =>
  fcEventHandler(createLambdaHandler(services));

export const handler = fcEventHandler(lambdaHandler);
