/**
 * Every `vms-call-archive` command, one file each: adding one is its file and a line here.
 * `--help` lists them in alphabetical order, whatever the order of these lines.
 */
export { backfill } from './backfill';
export { lookup } from './lookup';
export { reconcile } from './reconcile';
export { replay } from './replay';
export { status } from './status';
export { verify } from './verify';
