import { fcEventHandler } from '../../lib/platform/fc';
import { handler as sweep } from './handler';

export { services } from './handler';

/** Function Compute 3.0 entry (timer trigger): the same handler. */
export const handler = fcEventHandler(sweep);
