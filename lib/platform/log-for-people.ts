import type { LogRecord } from '../log';

/**
 * A log record as one short line for a person, or undefined to leave it out: the sandbox
 * prints its functions' records this way, the CLI its own on stderr. Records a person wants
 * at info level name their `event`; warnings and errors show always.
 */
export function forPeople(record: LogRecord): string | undefined {
  switch (record.event) {
    case 'push-received':
      // The sandbox's own warm-up is an empty push: not news.
      if (record.records === 0) return undefined;
      return `• push: ${record.records} records, ${record.accepted} accepted, ${record.rejected} rejected`;
    case 'call-archived': {
      const dir = String(record.detailKey ?? '').replace(/\/detail\.json$/, '');
      if (typeof record.bytes !== 'number') return `• archived ${dir} (no recording)`;
      const seconds = Number(record.seconds).toFixed(1);
      return `• archived ${dir} ${Math.round(record.bytes / 1024)} KB in ${seconds} s`;
    }
    case 'job-parked':
      return `! parked ${record.key}: ${record.reason}`;
    default: {
      const level = String(record.level).toLowerCase();
      if (level !== 'warn' && level !== 'error' && level !== 'critical') return undefined;
      return `! ${record.message}${record.error ? `: ${record.error}` : ''}`;
    }
  }
}

/** A line a function printed, as a record if it is one (its JSON may follow a prefix). */
export function recordOf(line: string): LogRecord | undefined {
  const start = line.indexOf('{"level"');
  if (start < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(line.slice(start));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? Object.fromEntries(Object.entries(parsed))
      : undefined;
  } catch {
    return undefined;
  }
}
