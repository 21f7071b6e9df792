import { fcEventHandler } from '../../lib/platform/fc';
import { handler as park } from './handler';

export { services } from './handler';

/** Function Compute 3.0 entry: the archive function's on-failure destination record. */
export const handler = fcEventHandler(park);
