/**
 * Every `vms-call-archive` command, one file each: adding one is its file and a line here.
 * `--help` lists them in alphabetical order, whatever the order of these lines.
 */
export { audit } from './audit';
export { backfill } from './backfill';
export { callIndex } from './call-index';
export { doctor } from './doctor';
export { eraseCommand } from './erase';
export { exportCalls } from './export';
export { hold } from './hold';
export { lookup } from './lookup';
export { query } from './query';
export { reconcile } from './reconcile';
export { release } from './release';
export { replay } from './replay';
export { retention } from './retention';
export { status } from './status';
export { verify } from './verify';
