// Shared by serverless.yml's bundles (scripts/esbuild-plugins.cjs), scripts/build-fc.ts and
// bench/cold.ts. Plain JavaScript: serverless-esbuild loads its plugins file with require.

/**
 * @alicloud/openapi-client reaches xml2js through @alicloud/tea-xml, whose builder requires
 * xmlbuilder (67 KB minified) to write XML request bodies. Dyvmsapi is called with JSON and
 * form bodies only, so nothing here builds XML (xml2js's parser, which reads XML error
 * answers, stays). In its place stands a module that throws, naming why.
 *
 * @returns {import('esbuild').Plugin}
 */
function xmlBuilderUnused() {
  return {
    name: 'xml-builder-unused',
    setup(b) {
      b.onResolve({ filter: /^xmlbuilder$/ }, (args) =>
        args.importer.includes('xml2js')
          ? { path: args.path, namespace: 'xml-builder-unused' }
          : null,
      );
      b.onLoad({ filter: /.*/, namespace: 'xml-builder-unused' }, () => ({
        contents:
          "module.exports = { create() { throw new Error('xmlbuilder is not bundled: no request of this service has an XML body'); } };",
        loader: 'js',
      }));
    },
  };
}

module.exports = { xmlBuilderUnused };
