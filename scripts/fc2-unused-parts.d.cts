import type { Plugin } from 'esbuild';

export declare function fc2UnusedParts(bundle: string): Plugin;
