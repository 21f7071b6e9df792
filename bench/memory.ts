import { join } from 'node:path';
import { MB, report, root, run } from './common';
import { summarize } from './stats';

/** Benchmark 3. peak memory archiving large recordings. */
export async function memory(): Promise<void> {
  const growth: Record<number, number> = {};
  for (const size of [MB, 100 * MB, 500 * MB]) {
    const { stdout } = await run(
      join(root, 'node_modules', '.bin', 'tsx'),
      ['test/support/archive-large-recording.ts', String(size)],
      {
        cwd: root,
        maxBuffer: 16 * MB,
      },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      growth: number;
      after: number;
      ok: boolean;
    };
    if (!result.ok) throw new Error(`archiving ${size} bytes failed`);
    growth[size] = result.growth / MB;
    report(summarize(`3. peak RSS growth archiving ${size / MB} MB`, 'MB', [result.growth / MB]));
  }
  const delta = (growth[500 * MB] as number) - (growth[MB] as number);
  report({
    ...summarize('3. growth 500 MB minus growth 1 MB', 'MB', [delta]),
    target: '< 64 MB',
    met: delta < 64,
  });
}
