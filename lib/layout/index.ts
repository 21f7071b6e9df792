/**
 * The archive's layout (docs/design.md "The archive"): every prefix, every key builder and
 * parser, and the schema of every document the project stores and reads back. One file per
 * family of documents; add a new family as its own file and export it here.
 */
export * from './access-audit';
export * from './attempts';
export * from './call-folder';
export * from './cursor';
export * from './doctor';
export * from './document';
export * from './errors';
export * from './hold-set';
export * from './journal';
export * from './lifecycle';
export * from './parked';
export * from './prefixes';
export * from './reconcile';
