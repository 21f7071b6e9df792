import { fcHttpHandler } from '../../lib/platform/fc';
import { handler as browse } from './handler';

export { services } from './handler';

/** Function Compute 3.0 entry (HTTP trigger): every browse route through the FC adapter. */
export const handler = fcHttpHandler('ANY /{path+}', browse);
