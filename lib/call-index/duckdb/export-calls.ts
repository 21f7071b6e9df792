import type { DuckDBConnection } from '@duckdb/node-api';
import { maskPhone } from '../../log';
import {
  type CallFilters,
  EXPORT_COLUMNS,
  type ExportRow,
  escapeRegExp,
  isLastFour,
  normalizedCallee,
} from '../call-filters';

export type { CallFilters } from '../call-filters';

/** The WHERE clause over `calls` and its bound values (never a value spliced into SQL). */
export function whereOf(filters: CallFilters): { sql: string; values: string[] } {
  const clauses = [`"date" BETWEEN ? AND ?`];
  const values = [filters.from, filters.to];
  const add = (clause: string, value?: string) => {
    clauses.push(clause);
    if (value !== undefined) values.push(value);
  };
  if (filters.taskId) add('task_id = ?', filters.taskId);
  // Parts of values, and words said in one turn's content, case-insensitive for Latin
  // letters: the same rules as browse's predicate (call-filters.ts `callMatcher`).
  if (filters.result) add(`contains(lower(call_result), ?)`, filters.result.toLowerCase());
  if (filters.label)
    add(`contains(lower(array_to_string(labels, chr(31))), ?)`, filters.label.toLowerCase());
  if (filters.recording === 'yes') add('recording_key IS NOT NULL');
  if (filters.recording === 'no') add('recording_key IS NULL');
  if (filters.callee && isLastFour(filters.callee))
    add('ends_with(callee, ?)', normalizedCallee(filters.callee));
  else if (filters.callee)
    add(
      `regexp_replace(regexp_replace(callee, '[\\s-]', '', 'g'), '^\\+86', '') = ?`,
      normalizedCallee(filters.callee),
    );
  if (filters.text)
    add(
      'regexp_matches(lower(dialog_text), ?)',
      `(?:^|\n)[^\n]*?: [^\n]*${escapeRegExp(filters.text.toLowerCase())}`,
    );
  return { sql: clauses.join(' AND '), values };
}

const SELECT = `SELECT "date", task_id, call_id, callee,
  strftime(started_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%dT%H:%M:%S+08:00') AS started_at,
  duration_seconds, call_result, array_to_string(labels, '|') AS labels, hangup_by,
  transfer_status, recording_bytes, recording_sha256 FROM calls`;

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
