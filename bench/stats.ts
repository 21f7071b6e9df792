/** Medians and ratios: this machine is shared and noisy, so no lone absolute time is reported. */
export interface Figure {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  /** figure ÷ baseline (for throughputs: higher is better), when there is a baseline */
  ratio?: number;
  baseline?: string;
  target?: string;
  met?: boolean;
}

export function summarize(name: string, unit: string, samples: number[]): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    name,
    unit,
    median,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

/** The largest number of `times` (ms) inside any one-second window. */
export function peakPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

const fmt = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? 'n/a' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);

export function printFigure(f: Figure): void {
  const ratio = f.ratio === undefined ? '' : `  ratio ${fmt(f.ratio)} vs ${f.baseline}`;
  const target = f.target ? `  target ${f.target}: ${f.met ? 'met' : 'MISSED'}` : '';
  process.stdout.write(
    `${f.name.padEnd(44)} median ${fmt(f.median).padStart(8)} ${f.unit.padEnd(6)} min ${fmt(f.min).padStart(8)} max ${fmt(f.max).padStart(8)}${ratio}${target}\n`,
  );
}
