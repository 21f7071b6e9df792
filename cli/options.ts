import { InvalidArgumentError } from 'commander';
import { CALLEE, isCallDay, TASK_ID } from '../lib/call-detail/identity';
import type { DateRange } from '../lib/dyvms/task-calls';
import { parseCallKey } from '../lib/layout/lifecycle';

/** The option parsers the commands share: each names what it expected. */

export const day = (value: string) => {
  if (!isCallDay(value)) throw new InvalidArgumentError('expected a day, YYYY-MM-DD');
  return value;
};
export const digits = (value: string) => {
  if (!TASK_ID.test(value)) throw new InvalidArgumentError('expected digits');
  return value;
};
export const positive = (value: string) => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive whole number');
  return Number(value);
};
/** A phone number as the upstream writes them (digits, `+`, `-`). */
export const number = (value: string) => {
  if (!CALLEE.test(value)) throw new InvalidArgumentError('expected a number: digits, + or -');
  return value;
};
/** `{taskId}/{YYYY-MM-DD}/{callId}`, the call id with `^` or `_`. */
export const callKey = (value: string) => {
  if (!parseCallKey(value) || !isCallDay(value.split('/')[1] ?? ''))
    throw new InvalidArgumentError('expected {taskId}/{YYYY-MM-DD}/{callId}');
  return value;
};
export const collect = (value: string, previous: string[]) => [...previous, value];

/** `--date`, or `--from`/`--to`; a range that can hold nothing is an error, not a silent zero. */
export function range(options: { date?: string; from?: string; to?: string }): DateRange {
  if (options.date && (options.from || options.to))
    throw new InvalidArgumentError('give --date, or --from/--to, not both');
  if (options.from && options.to && options.from > options.to)
    throw new InvalidArgumentError(`--from ${options.from} is after --to ${options.to}`);
  if (options.date) return { from: options.date, to: options.date };
  return { from: options.from, to: options.to };
}

/** One line per call that failed, with its callee when the summary has it. */
export function printFailures(summary: {
  failed: readonly { callId: string; callee?: string; reason: string }[];
}): void {
  for (const failure of summary.failed) {
    console.log(
      `  failed ${failure.callId}${failure.callee ? ` (${failure.callee})` : ''}: ${failure.reason}`,
    );
  }
}
