import { fcEventHandler } from '../../lib/platform/fc';
import { handler as archive } from './handler';

export { services } from './handler';

/** Function Compute 3.0 entry (async invocation with a CallEnded job): same handler. */
export const handler = fcEventHandler(archive);
