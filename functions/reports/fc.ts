import { fcHttpHandler } from '../../lib/platform/fc';
import { handler as reports } from './handler';

export { services } from './handler';

/** Function Compute 3.0 entry (HTTP trigger): the same handler through the FC adapter. */
export const handler = fcHttpHandler('POST /reports/{token}', reports);
