/**
 * `npm run build:fc`: one bundle per function for Function Compute 3.0 (Node.js 20
 * runtime), at dist/fc/<function>/index.js with handler `index.handler`, as s.yaml expects.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildWeb } from './build-web';
import { fc2UnusedParts } from './fc2-unused-parts.cjs';
import { xmlBuilderUnused } from './xml-builder-unused.cjs';

export const FC_FUNCTIONS = [
  'lookup',
  'reports',
  'archive',
  'reconcile',
  'browse',
  'park',
  'index-compact',
  'retention',
] as const;
const root = join(__dirname, '..');

export async function buildFc(outDir = join(root, 'dist', 'fc')): Promise<void> {
  // browse serves its page from web/dist under its code directory (FC runs it from there).
  await buildWeb();
  cpSync(join(root, 'web', 'dist'), join(outDir, 'browse', 'web', 'dist'), { recursive: true });
  await Promise.all(
    FC_FUNCTIONS.map((name) =>
      build({
        entryPoints: [join(root, 'functions', name, 'fc.ts')],
        outfile: join(outDir, name, 'index.js'),
        bundle: true,
        minify: true,
        sourcemap: 'linked',
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        // ES module builds first, so the SDKs tree-shake (as in serverless.yml)
        mainFields: ['module', 'main'],
        plugins: [fc2UnusedParts('this bundle'), xmlBuilderUnused()],
        // The FC bundles: the Lambda, SQS and SSM clients fold away (lib/platform/build-target.d.ts).
        define: { __VMS_PLATFORM__: '"fc"', __VMS_IN_PROCESS_ARCHIVE__: 'false' },
        logLevel: 'warning',
      }),
    ),
  );
}

if (require.main === module) {
  buildFc().then(
    () => console.log(`built ${FC_FUNCTIONS.map((f) => `dist/fc/${f}/index.js`).join(', ')}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
