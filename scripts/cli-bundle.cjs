// The CLI as one built bundle (dist/cli.cjs), so a command starts without compiling
// TypeScript first (tsx took ~3.5 s per run). Plain JavaScript: the bin loads it before
// anything can compile TypeScript. Built on the first run after any change to the sources
// (or by `npm run build:cli`); a stale bundle is never used.
const { mkdirSync, readdirSync, renameSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { fc2UnusedParts } = require('./fc2-unused-parts.cjs');

const root = join(__dirname, '..');
const BUNDLE = join(root, 'dist', 'cli.cjs');
/** What the bundle is built from: a change to any of it means building again. */
const SOURCES = ['cli', 'lib', 'package.json', 'package-lock.json'];
/**
 * Left out of the bundle and required at run time: native modules (DuckDB's, for `query`)
 * cannot be bundled, and are loaded only by the command that uses them.
 */
const EXTERNAL = ['@duckdb/node-api', '*.node'];

/** The newest modification time among the sources, in ms. */
function newestSource(path = root, names = SOURCES) {
  let newest = 0;
  for (const name of names) {
    const full = join(path, name);
    let info;
    try {
      info = statSync(full);
    } catch {
      continue;
    }
    newest = Math.max(
      newest,
      info.isDirectory() ? newestSource(full, readdirSync(full)) : info.mtimeMs,
    );
  }
  return newest;
}

function isFresh() {
  try {
    return statSync(BUNDLE).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}

/** Builds the bundle (to a temp file renamed into place: two first runs at once are fine). */
function build() {
  const temp = (file) => `${file}.${process.pid}.tmp`;
  mkdirSync(join(root, 'dist'), { recursive: true });
  // Plugins need esbuild's asynchronous API: run it in a child and wait, so the bin stays
  // synchronous (the build is the rare path).
  require('node:child_process').execFileSync(process.execPath, [__filename, temp(BUNDLE)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  renameSync(temp(BUNDLE), BUNDLE);
}

/**
 * The build itself, in its own process (see build): one bundle. The commands import their
 * use cases with `await import()`, which esbuild keeps lazy inside the bundle, so `--help`
 * and `--version` evaluate none of them (they are still parsed: splitting them into a
 * second file saved ~0.2 s more, but a command importing lib/ statically would then hold a
 * second copy of modules with state, such as the logger's level).
 */
async function buildTo(outfile) {
  await require('esbuild').build({
    entryPoints: [join(root, 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ES module builds first, as the functions' bundles do: the AWS SDK tree-shakes.
    mainFields: ['module', 'main'],
    external: EXTERNAL,
    plugins: [fc2UnusedParts("the CLI's bundle")],
    logLevel: 'warning',
  });
}

/** The bundle's path, built first when missing or older than a source. */
function freshBundle() {
  if (!isFresh()) build();
  return BUNDLE;
}

module.exports = { freshBundle, build, BUNDLE, EXTERNAL };

if (require.main === module) {
  // `node scripts/cli-bundle.cjs` (npm run build:cli) builds dist/cli.cjs; with a path, the
  // first run's child builds there.
  const [target] = process.argv.slice(2);
  if (target)
    buildTo(target).catch((error) => {
      console.error(error);
      process.exit(1);
    });
  else build();
}
