/**
 * `npm run build:fc`: one bundle per function for Function Compute 3.0 (Node.js 20
 * runtime), at dist/fc/<function>/index.js with handler `index.handler`, as s.yaml expects.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { buildWeb } from './build-web';

export const FC_FUNCTIONS = [
  'lookup',
  'reports',
  'archive',
  'reconcile',
  'browse',
  'park',
  'index-compact',
] as const;
const root = join(__dirname, '..');

/**
 * fc2's client requires ali-oss, axios and ws at its top, for uploading code and layers and
 * for WebSocket sessions; invokeFunction, all `fc:<service>/<function>` uses, sends through
 * httpx and touches none of them. Left out, they would be 900 KB of each dispatching bundle
 * (urllib alone brings 481 KB of iconv-lite); in their place stands a module that throws.
 */
const fc2UnusedParts: Plugin = {
  name: 'fc2-unused-parts',
  setup(b) {
    b.onResolve({ filter: /^(ali-oss|axios|ws)$/ }, (args) =>
      args.importer.includes('@alicloud/fc2') ? { path: args.path, namespace: 'fc2-unused' } : null,
    );
    b.onLoad({ filter: /.*/, namespace: 'fc2-unused' }, (args) => ({
      contents: `module.exports = function () { throw new Error(${JSON.stringify(
        `${args.path} is not in this bundle: DISPATCH=fc: only invokes functions`,
      )}); };`,
      loader: 'js',
    }));
  },
};

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
        plugins: [fc2UnusedParts],
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
