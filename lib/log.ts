import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import { maskLogValue } from './log-masking';

export { maskPhone, redactUrl } from './log-masking';

/**
 * Structured logs: Powertools Logger, one JSON line per record (level, message, timestamp,
 * service, and on a handler's lines the request id and cold-start flag that
 * `injectLambdaContext(logger)` adds). Phone numbers and signed URLs are personal data and
 * credentials: every record goes through one replacer that masks them by key and by shape
 * (lib/log-masking.ts), so a call site that forgets `maskPhone` still logs none.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';

/** A record as printed: masked, with Powertools' keys and the call site's fields. */
export type LogRecord = Readonly<Record<string, unknown>>;

/** Where records go instead of stdout/stderr (the CLI, the sandbox's own lines, tests). */
export type LogSink = (record: LogRecord, level: Level) => void;

let sink: LogSink | undefined;
const levelNames: Record<number, Level> = { 8: 'debug', 12: 'info', 16: 'warn', 20: 'error' };

/** Powertools' Logger with one change: a sink, when one is set, takes the masked record. */
class ArchiveLogger extends Logger {
  protected override printLog(logLevel: number, log: LogItem): void {
    if (!sink) {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    const masked: LogRecord = JSON.parse(
      JSON.stringify(log.getAttributes(), this.getJsonReplacer()),
    );
    sink(masked, levelNames[logLevel] ?? 'error');
  }

  // Children (one per job) print through the same override.
  protected override createLogger(options?: ConstructorParameters<typeof Logger>[0]): Logger {
    return new ArchiveLogger(options);
  }
}

/**
 * The process's logger, for `injectLambdaContext(logger)` in each handler. Its level is
 * INFO until `setLogLevel` gives it the configuration's `POWERTOOLS_LOG_LEVEL`.
 */
export const logger: Logger = new ArchiveLogger({
  // Without a name Powertools prints `service_undefined` wherever POWERTOOLS_SERVICE_NAME is
  // unset (the sandbox, the CLI, Function Compute). One name everywhere: a line's log group
  // already names the function and stage; metrics keep the per-stage `service` dimension.
  serviceName: 'vms-call-archive',
  logLevel: 'INFO',
  jsonReplacerFn: (key, value) => maskLogValue(key, value),
});

const jobLoggers = new AsyncLocalStorage<Logger>();

const LEVEL_NAMES = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;

/** The level the configuration validated (`config.log.level`). */
export function setLogLevel(level: (typeof LEVEL_NAMES)[Level] | 'SILENT'): void {
  logger.setLogLevel(level);
}

/**
 * Runs `work` with a child logger whose every record carries `keys` (a job's task and day),
 * however deep the call that logs and however many jobs run at once.
 *
 * @example
 * await withLogKeys({ taskId: job.taskId, day: job.date }, () => archiveCall(job, deps));
 */
export function withLogKeys<T>(keys: Record<string, string | number>, work: () => T): T {
  const parent = jobLoggers.getStore() ?? logger;
  return jobLoggers.run(parent.createChild({ persistentKeys: keys }), work);
}

export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  (jobLoggers.getStore() ?? logger)[level](message, fields);
}

/**
 * Sends every record to `next` instead of stdout/stderr until the returned function is
 * called; tests capture records this way, the CLI renders them on stderr.
 */
export function setLogSink(next: LogSink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

/**
 * For the CLI: its stdout is the result (`--json` for scripts); logs go to stderr, each as
 * `render` writes it (JSON by default), and below `minimumLevel` not at all (a person reads
 * the summary; `--verbose` shows each step).
 */
export function logToStderr(
  minimumLevel: Level = 'debug',
  render: (record: LogRecord) => string | undefined = (record) => JSON.stringify(record),
): void {
  setLogLevel(LEVEL_NAMES[minimumLevel]);
  setLogSink((record) => {
    const line = render(record);
    if (line !== undefined) process.stderr.write(`${line}\n`);
  });
}

/** Records captured in memory (tests): each as the JSON line it would have printed. */
export function captureLogs(): { records: LogRecord[]; lines(): string[]; stop(): void } {
  const records: LogRecord[] = [];
  const stop = setLogSink((record) => records.push(record));
  return { records, lines: () => records.map((r) => JSON.stringify(r)), stop };
}

/** An error as loggable fields, its cause chain included, never a stack of secrets. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const fields: Record<string, unknown> = { error: error.message, errorName: error.name };
  if (error.cause instanceof Error) fields.cause = `${error.cause.name}: ${error.cause.message}`;
  return fields;
}
