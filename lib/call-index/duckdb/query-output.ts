import type { DuckDBConnection } from '@duckdb/node-api';

/** One answer of `query`: column names and each row's values as JSON-safe values. */
export interface QueryAnswer {
  columns: string[];
  rows: unknown[][];
}

/** Runs one SQL statement over the `calls` view; timestamps come back in China time. */
export async function runQuery(connection: DuckDBConnection, sql: string): Promise<QueryAnswer> {
  const reader = await connection.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRowsJson() };
}

const text = (value: unknown): string =>
  value === null || value === undefined
    ? ''
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
export const csvCell = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

export function formatCsv({ columns, rows }: QueryAnswer): string {
  const lines = [columns, ...rows.map((row) => row.map(text))].map((cells) =>
    cells.map(csvCell).join(','),
  );
  return `${lines.join('\r\n')}\r\n`;
}

/** `--format json`: one array of objects. */
export function formatJson({ columns, rows }: QueryAnswer): string {
  const objects = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

/** Display width: CJK characters take two columns in a terminal. */
const width = (value: string) =>
  [...value].reduce((sum, ch) => sum + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);

/** `--format table` (the default): aligned columns for a person, nulls as `NULL`. */
export function formatTable({ columns, rows }: QueryAnswer): string {
  const cells = rows.map((row) =>
    row.map((value) => (value === null ? 'NULL' : text(value).replaceAll('\n', '⏎'))),
  );
  const widths = columns.map((c, i) => Math.max(width(c), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (values: string[]) =>
    values.map((v, i) => v + ' '.repeat((widths[i] ?? 0) - width(v))).join(' │ ');
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  const count = `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`;
  return `${[line(columns), rule, ...cells.map(line), count].join('\n')}\n`;
}
