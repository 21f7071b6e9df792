import { SingleBar } from 'cli-progress';
import type { Progress } from '../lib/model/progress';

/**
 * A progress bar on a terminal; on a pipe or in CI, a plain line every 10 % (and at the end),
 * so logs stay readable. Progress goes to stderr; results to stdout.
 */
export function progressFor(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted}`,
      stream,
      hideCursor: true,
    });
    return {
      start: (total) => bar.start(total, 0),
      tick: () => bar.increment(),
      stop: () => bar.stop(),
    };
  }
  let total = 0;
  let done = 0;
  let nextReport = 0;
  return {
    start: (n) => {
      total = n;
      nextReport = Math.max(1, Math.ceil(n / 10));
      stream.write(`${label}: ${n} to go\n`);
    },
    tick: () => {
      done++;
      if (done === total || done >= nextReport) {
        stream.write(`${label}: ${done}/${total}\n`);
        nextReport = done + Math.max(1, Math.ceil(total / 10));
      }
    },
    stop: () => undefined,
  };
}
