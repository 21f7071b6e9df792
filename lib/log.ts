/**
 * Structured one-line JSON logs. Phone numbers and signed URLs are personal data and
 * credentials: log them only through `maskPhone` and `redactUrl`.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';

let everythingToStderr = false;
const LEVELS: Level[] = ['debug', 'info', 'warn', 'error'];
let minimum = 0;

/**
 * For the CLI: its stdout is the result (`--json` for scripts); logs go to stderr, and
 * below `minimumLevel` not at all (a person reads the summary; `--verbose` shows each step).
 */
export function logToStderr(minimumLevel: Level = 'debug'): void {
  everythingToStderr = true;
  minimum = LEVELS.indexOf(minimumLevel);
}

export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (LEVELS.indexOf(level) < minimum) return;
  const line = JSON.stringify({ level, message, ...fields, time: new Date().toISOString() });
  if (everythingToStderr || level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

/** `13000000000` → `130****0000`; short numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  if (phone.length >= 7) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return `${'*'.repeat(Math.max(phone.length - 2, 0))}${phone.slice(-2)}`;
}

/** A URL without its query string, which for OSS holds the signature. */
export function redactUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/** An error as loggable fields, its cause chain included, never a stack of secrets. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const fields: Record<string, unknown> = { error: error.message, errorName: error.name };
  if (error.cause instanceof Error) fields.cause = `${error.cause.name}: ${error.cause.message}`;
  return fields;
}
