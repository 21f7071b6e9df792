import { execFileSync } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { type Figure, summarize } from './stats';

const root = join(__dirname, '..');
const bin = join(root, 'bin', 'vms-call-archive.cjs');

/** Wall time of one `node <args>` run, in ms. */
function timed(args: string[]): number {
  const start = performance.now();
  execFileSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  return performance.now() - start;
}

/**
 * 10. How fast the CLI answers: `--version` from the built bundle, beside a bare `node -e 0`
 * (this machine's own start-up) and the tsx path it replaced; and the first run after a
 * change, which builds the bundle.
 */
export function cliStart(reps: number, report: (figure: Figure) => void): void {
  timed([bin, '--version']); // built, if a source changed since the last build
  const bare: number[] = [];
  const bundle: number[] = [];
  const tsx: number[] = [];
  for (let i = 0; i < reps; i++) {
    bare.push(timed(['-e', '0']));
    bundle.push(timed([bin, '--version']));
    tsx.push(timed(['--import', 'tsx', join(root, 'cli', 'main.ts'), '--version']));
  }
  const bareFig = summarize('10a. node -e 0 (this machine starting node)', 'ms', bare);
  report(bareFig);
  const bundleFig = summarize('10b. vms-call-archive --version (built bundle)', 'ms', bundle);
  report({ ...bundleFig, ratio: bundleFig.median / bareFig.median, baseline: '10a' });
  // What the CLI adds to node's own start, run by run: the part this project controls (on a
  // quiet machine node itself starts in ~50 ms).
  const own = summarize(
    "10c. --version's own time (10b − 10a, paired)",
    'ms',
    bundle.map((ms, i) => ms - (bare[i] ?? 0)),
  );
  report({ ...own, target: '< 500 ms', met: own.median < 500 });
  const tsxFig = summarize('10d. the same through tsx (before)', 'ms', tsx);
  report({ ...tsxFig, ratio: tsxFig.median / bundleFig.median, baseline: '10b' });
  report(
    summarize(
      "10e. tsx's own time (10d − 10a, paired)",
      'ms',
      tsx.map((ms, i) => ms - (bare[i] ?? 0)),
    ),
  );
  // The first run after an edit: the bundle is built, then the command runs.
  const now = new Date();
  utimesSync(join(root, 'cli', 'main.ts'), now, now);
  report(
    summarize('10f. first --version after a change (builds the bundle)', 'ms', [
      timed([bin, '--version']),
    ]),
  );
}
