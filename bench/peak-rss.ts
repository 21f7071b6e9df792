import { performance } from 'node:perf_hooks';
import { MB } from './common';

/** Runs `fn`, sampling the process's RSS every 20 ms: its time, its peak RSS (MB), its value. */
export async function withPeakRss<T>(
  fn: () => Promise<T>,
): Promise<{ seconds: number; peakMb: number; value: T }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { seconds: (performance.now() - started) / 1000, peakMb: peak / MB, value };
  } finally {
    clearInterval(sampler);
  }
}
