/**
 * `npm run bench`: the figures BENCHMARKS.md reports, each beside its baseline, measured
 * in one run on this machine (shared and noisy: medians and ratios, never a lone time).
 * Every benchmark starts its own servers on 127.0.0.1. Not part of `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { figures, quiet, root, run, say } from './common';
import { benchmarks } from './registry';
import type { Figure } from './stats';

/** A benchmark that needs the legacy OpenSSL provider, run in its own child. */
async function inLegacyChild(name: string): Promise<void> {
  const { stdout } = await run(
    process.execPath,
    ['--openssl-legacy-provider', '--import', 'tsx', join(__dirname, 'run.ts'), `${name}-here`],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  const lines = stdout.trim().split('\n');
  say(lines.slice(0, -1).join('\n'));
  figures.push(...(JSON.parse(lines.at(-1) ?? '[]') as Figure[]));
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const started = performance.now();
  quiet();
  const here = /^(\w+)-here$/.exec(only ?? '')?.[1];
  const child = benchmarks.find((b) => b.name === here);
  if (child) {
    // The child of inLegacyChild: its figures go to the parent as its last line.
    await child.run();
    process.stdout.write(`\n${JSON.stringify(figures)}\n`);
    process.exit(0);
  }
  const chosen = benchmarks.filter((b) => !only || b.name === only);
  if (chosen.length === 0) {
    throw new Error(`no benchmark ${only}: ${benchmarks.map((b) => b.name).join(', ')}`);
  }
  say(`vms-call-archive benchmarks — node ${process.version}, ${new Date().toISOString()}`);
  for (const benchmark of chosen) {
    await (benchmark.legacyOpenssl ? inLegacyChild(benchmark.name) : benchmark.run());
  }
  const file = only ? `latest-${only}.json` : 'latest.json';
  const elapsed = (performance.now() - started) / 1000;
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  // A partial run (`npm run bench -- cold`) keeps the full run's file as it is.
  writeFileSync(
    join(root, 'bench', 'results', file),
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, seconds: elapsed, figures }, null, 2)}\n`,
  );
  const missed = figures.filter((f) => f.met === false).length;
  say(`\n${missed} target(s) missed; figures in bench/results/${file} (${elapsed.toFixed(0)} s)`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
