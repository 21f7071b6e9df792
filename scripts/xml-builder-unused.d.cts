import type { Plugin } from 'esbuild';

/** See xml-builder-unused.cjs. */
export function xmlBuilderUnused(): Plugin;
