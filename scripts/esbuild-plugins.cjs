// serverless.yml's `custom.esbuild.plugins`: the plugins of every AWS bundle (and the sandbox's).
const { xmlBuilderUnused } = require('./xml-builder-unused.cjs');

module.exports = [xmlBuilderUnused()];
