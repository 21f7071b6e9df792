import { fcHttpHandler } from '../../lib/platform/fc';
import { handler as lookup } from './handler';

export { services } from './handler';

/** Function Compute 3.0 entry (HTTP trigger): the same handler through the FC adapter. */
export const handler = fcHttpHandler('GET /calls/{taskId}/{callee}', lookup);
