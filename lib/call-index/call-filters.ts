/**
 * The filters that find calls in the index (docs/design.md "Finding calls"), one meaning for
 * browse's API, its CSV export and the CLI's `export`: DuckDB's WHERE clause
 * (duckdb/export-calls.ts) and browse's predicate (`callMatcher`) follow the same rules.
 */
export interface CallFilters {
  from: string;
  to: string;
  taskId?: string;
  /** Part of `call_result` (case-insensitive for Latin letters). */
  result?: string;
  /** Part of one of the labels (case-insensitive for Latin letters). */
  label?: string;
  recording?: 'yes' | 'no';
  /** Exactly 4 digits: the last four; 5 to 32: the whole number (`+86`, `-`, spaces removed). */
  callee?: string;
  /** Words said in one turn's content (substring; case-insensitive for Latin letters). */
  text?: string;
}

/** A whole number as typed or stored: `+86`, `-` and spaces removed. */
export const normalizedCallee = (value: string): string =>
  value.replace(/[\s-]/g, '').replace(/^\+86/, '');

/** `text` as a regular expression that matches it literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `callee` asks for the last four digits rather than the whole number. */
export const isLastFour = (callee: string): boolean => /^\d{4}$/.test(normalizedCallee(callee));

/** The content of each turn of `dialog_text` (`role: content`, one per line). */
export function turnContents(dialogText: string): string[] {
  return dialogText.split('\n').map((line) => {
    const colon = line.indexOf(': ');
    return colon === -1 ? line : line.slice(colon + 2);
  });
}

/** The values a row offers the filters: any of them may be missing (null). */
export interface FilterableCall {
  task_id: string;
  callee: string | null;
  call_result: string | null;
  labels: readonly string[];
  recording_bytes: number | null;
  dialog_text: string | null;
}

/** Columns a filter reads, beyond the ones every list reads. */
export function filterColumns(filters: CallFilters): ('dialog_text' | 'recording_bytes')[] {
  return [
    ...(filters.text ? (['dialog_text'] as const) : []),
    ...(filters.recording ? (['recording_bytes'] as const) : []),
  ];
}

/**
 * The predicate of `filters` (but the days, which the caller picks): prepared once, so a
 * day of 100,000 rows costs string compares only.
 */
export function callMatcher(
  filters: Omit<CallFilters, 'from' | 'to'>,
): (call: FilterableCall) => boolean {
  const result = containing(filters.result);
  const label = containing(filters.label);
  const text = containing(filters.text);
  const lastFour = filters.callee !== undefined && isLastFour(filters.callee);
  const number = filters.callee === undefined ? undefined : normalizedCallee(filters.callee);
  return (call) => {
    if (filters.taskId !== undefined && call.task_id !== filters.taskId) return false;
    if (filters.recording === 'yes' && call.recording_bytes === null) return false;
    if (filters.recording === 'no' && call.recording_bytes !== null) return false;
    if (number !== undefined) {
      if (call.callee === null) return false;
      if (lastFour ? !call.callee.endsWith(number) : normalizedCallee(call.callee) !== number)
        return false;
    }
    if (result && (call.call_result === null || !result(call.call_result))) return false;
    if (label && !call.labels.some(label)) return false;
    if (text) {
      // Cheap first: most calls do not hold the words anywhere.
      if (call.dialog_text === null || !text(call.dialog_text)) return false;
      if (!turnContents(call.dialog_text).some(text)) return false;
    }
    return true;
  };
}

/**
 * Whether a value contains `part`, case-insensitive for Latin letters: a plain `includes`
 * when `part` has no letter with a case (Chinese, digits), else one case-insensitive
 * regular expression, so no lower-cased copy of each value (a day's dialogs are tens of MB)
 * is made.
 */
function containing(part: string | undefined): ((value: string) => boolean) | undefined {
  if (part === undefined) return undefined;
  if (part.toLowerCase() === part.toUpperCase()) return (value) => value.includes(part);
  const pattern = new RegExp(escapeRegExp(part), 'i');
  return (value) => pattern.test(value);
}

// ---- the CSV of an export ----------------------------------------------------------------

/** docs/design.md "Finding calls": the export's columns, in order. */
export const EXPORT_COLUMNS = [
  'date',
  'task_id',
  'call_id',
  'callee',
  'started_at',
  'duration_seconds',
  'call_result',
  'labels',
  'hangup_by',
  'transfer_status',
  'recording_bytes',
  'recording_sha256',
] as const;

export type ExportRow = Record<string, string | number | null>;

/** A cell a spreadsheet would run as a formula gets a leading `'`. */
export const spreadsheetSafe = (cell: string): string =>
  /^[=+\-@]/.test(cell) ? `'${cell}` : cell;

const csvCell = (cell: string) =>
  /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;

/** UTF-8 with BOM, CRLF, one header row, spreadsheet-safe cells (docs/design.md "Finding calls"). */
export function exportCsv(rows: readonly ExportRow[]): string {
  const lines = [
    [...EXPORT_COLUMNS],
    ...rows.map((row) => EXPORT_COLUMNS.map((c) => spreadsheetSafe(String(row[c] ?? '')))),
  ].map((cells) => cells.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
