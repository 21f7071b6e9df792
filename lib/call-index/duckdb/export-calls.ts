import type { DuckDBConnection } from '@duckdb/node-api';
import { maskPhone } from '../../log';

/** The filters of `export` (and of browse's export), docs/design.md "Finding calls". */
export interface CallFilters {
  from: string;
  to: string;
  taskId?: string;
  result?: string;
  label?: string;
  recording?: 'yes' | 'no';
  callee?: string;
  text?: string;
}

/** A whole number as typed: `+86`, `-` and spaces removed. */
export const normalizedCallee = (value: string): string =>
  value.replace(/^\+86/, '').replace(/[\s-]/g, '');

/** The WHERE clause over `calls` and its bound values (never a value spliced into SQL). */
export function whereOf(filters: CallFilters): { sql: string; values: string[] } {
  const clauses = [`"date" BETWEEN ? AND ?`];
  const values = [filters.from, filters.to];
  const add = (clause: string, value?: string) => {
    clauses.push(clause);
    if (value !== undefined) values.push(value);
  };
  if (filters.taskId) add('task_id = ?', filters.taskId);
  if (filters.result) add(`contains(call_result, ?)`, filters.result);
  if (filters.label) add(`contains(array_to_string(labels, chr(31)), ?)`, filters.label);
  if (filters.recording === 'yes') add('recording_key IS NOT NULL');
  if (filters.recording === 'no') add('recording_key IS NULL');
  if (filters.callee && /^\d{4}$/.test(filters.callee)) add('ends_with(callee, ?)', filters.callee);
  else if (filters.callee)
    add(
      `regexp_replace(regexp_replace(callee, '^\\+86', ''), '[\\s-]', '', 'g') = ?`,
      normalizedCallee(filters.callee),
    );
  if (filters.text) add('contains(lower(dialog_text), lower(?))', filters.text);
  return { sql: clauses.join(' AND '), values };
}

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

const SELECT = `SELECT "date", task_id, call_id, callee,
  strftime(started_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%dT%H:%M:%S+08:00') AS started_at,
  duration_seconds, call_result, array_to_string(labels, '|') AS labels, hangup_by,
  transfer_status, recording_bytes, recording_sha256 FROM calls`;

/** A cell a spreadsheet would run as a formula gets a leading `'`. */
export const spreadsheetSafe = (cell: string): string =>
  /^[=+\-@]/.test(cell) ? `'${cell}` : cell;

const csvCell = (cell: string) =>
  /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;

export type ExportRow = Record<string, string | number | null>;

const cellOf = (value: unknown): string | number | null =>
  typeof value === 'string' || typeof value === 'number' ? value : null;

/** The matching calls, newest first, callee masked unless `fullNumbers`. */
export async function exportRows(
  connection: DuckDBConnection,
  filters: CallFilters,
  fullNumbers: boolean,
): Promise<ExportRow[]> {
  const where = whereOf(filters);
  const reader = await connection.runAndReadAll(
    `${SELECT} WHERE ${where.sql} ORDER BY started_at DESC NULLS LAST, task_id, call_id`,
    where.values,
  );
  return reader.getRowsJson().map((row) => {
    const out: ExportRow = Object.fromEntries(
      EXPORT_COLUMNS.map((name, i) => [name, cellOf(row[i])]),
    );
    if (!fullNumbers && typeof out.callee === 'string') out.callee = maskPhone(out.callee);
    return out;
  });
}

/** UTF-8 with BOM, CRLF, one header row, spreadsheet-safe cells (docs/design.md "Finding calls"). */
export function exportCsv(rows: readonly ExportRow[]): string {
  const lines = [
    [...EXPORT_COLUMNS],
    ...rows.map((row) => EXPORT_COLUMNS.map((c) => spreadsheetSafe(String(row[c] ?? '')))),
  ].map((cells) => cells.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** `--format parquet`: DuckDB writes the same rows (callee masked as above) to `path`. */
export async function exportParquet(
  connection: DuckDBConnection,
  filters: CallFilters,
  fullNumbers: boolean,
  path: string,
): Promise<void> {
  const where = whereOf(filters);
  const callee = fullNumbers
    ? 'callee'
    : `CASE WHEN length(callee) >= 7 THEN left(callee, 3) || '****' || right(callee, 4)
        ELSE repeat('*', greatest(length(callee) - 2, 0)) || right(callee, 2) END AS callee`;
  await connection.run(
    `COPY (SELECT * REPLACE (${callee}) FROM calls WHERE ${where.sql}
      ORDER BY started_at DESC NULLS LAST) TO '${path.replaceAll("'", "''")}' (FORMAT parquet)`,
    where.values,
  );
}
