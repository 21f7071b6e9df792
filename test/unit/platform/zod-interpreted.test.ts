import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'zod-interpreted-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A handler bundled as serverless.yml bundles it: tree-shaken, package.json's sideEffects honoured. */
async function bundled(name: string, entry = 'handler'): Promise<string> {
  const outfile = join(out, `${name}-${entry}.js`);
  await build({
    entryPoints: [join(root, 'functions', name, `${entry}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    define: { __VMS_PLATFORM__: '"aws"', __VMS_IN_PROCESS_ARCHIVE__: 'false' },
    external: ['@aws-sdk/*', '@smithy/*', '@alicloud/*', '@aws-lambda-powertools/*', '@middy/*'],
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * Loads a bundle in a fresh node and answers what zod saw each time it read its `jitless`
 * flag (each object schema reads it as it is built): true where the flag was already set.
 */
function jitlessReads(bundle: string): boolean[] {
  const script = `
    const reads = [];
    const config = {};
    globalThis.__zod_globalConfig = new Proxy(config, {
      get: (target, key) => { if (key === 'jitless') reads.push(target.jitless === true); return target[key]; },
    });
    require(${JSON.stringify(bundle)});
    process.stdout.write(JSON.stringify(reads));`;
  const stdout = execFileSync(process.execPath, ['-e', script], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_PATH: join(root, 'node_modules') },
  });
  return JSON.parse(stdout.toString()) as boolean[];
}

describe('zod interpreted in the cold-start functions', () => {
  jest.setTimeout(60_000);

  // an import kept for its side effect alone is what package.json's sideEffects lets a bundler drop
  it.each([
    ['archive', 'handler'],
    ['archive', 'fc'],
    ['lookup', 'handler'],
    ['lookup', 'fc'],
  ])(
    'given the %s bundle (%s.ts) loading, then every schema zod builds sees jitless already set',
    async (name, entry) => {
      const reads = jitlessReads(await bundled(name, entry));
      expect(reads.length).toBeGreaterThan(10);
      expect(reads.filter((set) => !set)).toEqual([]);
    },
  );

  it('given the push receiver bundle loading, then its parsers stay compiled (many records of one shape)', async () => {
    const reads = jitlessReads(await bundled('reports'));
    expect(reads.length).toBeGreaterThan(10);
    expect(reads.every((set) => !set)).toBe(true);
  });
});
