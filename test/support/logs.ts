import { setLogSink } from '../../lib/log';

let stop: (() => void) | undefined;

/**
 * Sends the logger's records, masked as they would print, into `lines` as JSON lines (or
 * nowhere), instead of stdout and stderr; `stopLogs()` puts the printing back.
 */
export function logsInto(lines?: string[]): void {
  stop?.();
  stop = setLogSink((record) => lines?.push(JSON.stringify(record)));
}

export function stopLogs(): void {
  stop?.();
  stop = undefined;
}
