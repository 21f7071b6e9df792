/**
 * Every scheduled function the sandbox runs (scripts/sandbox/run-timers.ts starts them):
 * adding one is its file in this folder and a line here.
 */
export { indexCompact } from './index-compact';
export { reconcile } from './reconcile';
export { retention } from './retention';
