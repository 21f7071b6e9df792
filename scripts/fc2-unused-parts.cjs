// Shared by scripts/build-fc.ts (the FC bundles) and scripts/cli-bundle.cjs (the CLI's).
// Plain JavaScript, since the CLI's bin loads its builder before anything compiles TypeScript.

/**
 * fc2's client requires ali-oss, axios and ws at its top, for uploading code and layers and
 * for WebSocket sessions; invokeFunction, all `fc:<service>/<function>` uses, sends through
 * httpx and touches none of them. Left out, they would be 900 KB of each dispatching bundle
 * (urllib alone brings 481 KB of iconv-lite); in their place stands a module that throws.
 *
 * @param {string} bundle how the error names the bundle ("this bundle", "the CLI's bundle")
 * @returns {import('esbuild').Plugin}
 */
function fc2UnusedParts(bundle) {
  return {
    name: 'fc2-unused-parts',
    setup(b) {
      b.onResolve({ filter: /^(ali-oss|axios|ws)$/ }, (args) =>
        args.importer.includes('@alicloud/fc2')
          ? { path: args.path, namespace: 'fc2-unused' }
          : null,
      );
      b.onLoad({ filter: /.*/, namespace: 'fc2-unused' }, (args) => ({
        contents: `module.exports = function () { throw new Error(${JSON.stringify(
          `${args.path} is not in ${bundle}: DISPATCH=fc: only invokes functions`,
        )}); };`,
        loader: 'js',
      }));
    },
  };
}

module.exports = { fc2UnusedParts };
