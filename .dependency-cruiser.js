/**
 * The layers of docs/design.md "Where things live", as rules: a module imports only from
 * its own layer or the ones below it, and a use case never reaches into another use case.
 * `npm run lint` runs this (depcruise); test/unit/layers.test.ts shows it failing on a
 * module that climbs a layer.
 *
 * 1 base      lib/common, lib/errors.ts, lib/log.ts, lib/config
 * 2 model     lib/call-detail, lib/model
 * 3 adapters  lib/dyvms, lib/storage, lib/layout, lib/parking
 * 4 use cases every other lib/ folder (archive, reports, reconcile, backfill, browse, …)
 * 5 transport lib/dispatch, lib/platform, lib/http
 * 6 entry     functions, cli, scripts, web, bench (and emulators, test: never imported by lib)
 */
const base = '^lib/(common/|errors[.]ts$|log[.]ts$|log/|metrics[.]ts$|config/)';
const model = '^lib/(call-detail|model)/';
const adapters = '^lib/(dyvms|storage|layout|parking)/';
const transport = '^lib/(dispatch|platform|http)/';
const useCase =
  '^lib/(?!(common|config|call-detail|model|dyvms|storage|layout|parking|dispatch|platform|http)/)[^/]+/';
const entry = '^(functions|cli|scripts|web|bench|emulators|test)/';

const above = (layer, ...higher) => ({
  name: `${layer.name}-imports-above`,
  severity: 'error',
  comment: `${layer.name} may import only from its own layer or below (${layer.says})`,
  from: { path: layer.path },
  to: { path: higher },
});

module.exports = {
  forbidden: [
    above(
      { name: 'base', path: base, says: 'no domain knowledge' },
      model,
      adapters,
      useCase,
      transport,
      entry,
    ),
    above(
      { name: 'model', path: model, says: 'types and rules of the domain' },
      adapters,
      useCase,
      transport,
      entry,
    ),
    above(
      { name: 'adapter', path: adapters, says: 'upstream and storage' },
      useCase,
      transport,
      entry,
    ),
    above({ name: 'use-case', path: useCase, says: 'handed its collaborators' }, transport, entry),
    above({ name: 'transport', path: transport, says: 'dispatch, wiring, HTTP' }, entry),
    {
      name: 'use-case-into-another',
      severity: 'error',
      comment:
        'a use case calls adapters and the model, not another use case; shared types live in lib/model. ' +
        "The one entry a use case may call is the archive's own (lib/archive/archive-job.ts: backfill and replay archive in process)",
      from: { path: '^lib/([^/]+)/', pathNot: `${base}|${model}|${adapters}|${transport}` },
      to: {
        path: useCase,
        pathNot: [
          '^lib/$1/',
          '^lib/archive/archive-job[.]ts$',
          '^lib/archive/archive-call[.]ts$',
          // The call index is how every read that spans calls finds them (docs/design.md "The
          // call index"): erasure and retention read it and take their rows out of it; browse
          // searches it by column with the filters the CLI's export shares.
          '^lib/call-index/(reader|rewrite-parts|day-table|call-filters)[.]ts$',
        ],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a cycle between modules: one of them belongs a layer lower',
      from: { path: '^lib/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|[.]esbuild|[.]serverless)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
