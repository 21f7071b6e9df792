import type { DuckDBConnection } from '@duckdb/node-api';
import { INDEX_COLUMNS } from '../../layout/index-rows';
import type { LocalIndex } from './local-index';

/**
 * DuckDB's view `calls` over local index files (docs/design.md "Query and export"): the
 * parts (union by name, so older parts still read) and the pending rows, one row per
 * (task_id, call_id), the greater `archived_at` winning and a tie going to the pending row;
 * `date` from the Hive path, a string. DuckDB is the CLI's alone: no function imports this.
 */
const SQL_TYPES = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  int32: 'INTEGER',
  int64: 'BIGINT',
  'list<string>': 'VARCHAR[]',
} as const;

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const fileList = (paths: readonly string[]) => `[${paths.map(quote).join(', ')}]`;
const HIVE = `hive_partitioning = true, hive_types = {'date': 'VARCHAR'}`;

/** No files of a kind: an empty relation of the same columns, so the view still binds. */
const emptyRows = () =>
  `SELECT ${INDEX_COLUMNS.map((c) => `NULL::${SQL_TYPES[c.type]} AS ${c.name}`).join(', ')}, NULL::VARCHAR AS "date" WHERE false`;

function partsSql(parts: readonly string[]): string {
  if (parts.length === 0) return emptyRows();
  return `SELECT * FROM read_parquet(${fileList(parts)}, union_by_name = true, ${HIVE})`;
}

function pendingSql(pending: readonly string[]): string {
  if (pending.length === 0) return emptyRows();
  const columns = INDEX_COLUMNS.map((c) => `${quote(c.name)}: ${quote(SQL_TYPES[c.type])}`);
  return `SELECT * FROM read_json(${fileList(pending)}, format = 'newline_delimited', columns = {${columns.join(', ')}}, ${HIVE})`;
}

/** The statements that make `calls` on a fresh connection. */
export function callsViewSql(index: LocalIndex): string[] {
  return [
    `SET TimeZone = 'Asia/Shanghai'`,
    `CREATE OR REPLACE TEMP VIEW calls AS
      SELECT * EXCLUDE (_pending, _rank) FROM (
        SELECT *, row_number() OVER (
          PARTITION BY task_id, call_id ORDER BY archived_at DESC, _pending DESC) AS _rank
        FROM (
          SELECT *, 0 AS _pending FROM (${partsSql(index.parts)})
          UNION ALL BY NAME
          SELECT *, 1 AS _pending FROM (${pendingSql(index.pending)})
        )
      ) WHERE _rank = 1`,
  ];
}

/** A connection to an in-memory DuckDB with `calls` defined over `index`. */
export async function openCalls(index: LocalIndex): Promise<DuckDBConnection> {
  const { DuckDBInstance, DuckDBTimestampTZValue } = await import('@duckdb/node-api');
  // Results print instants in China time, as the session's TimeZone computes them; China
  // has kept +08:00 all year since 1991.
  DuckDBTimestampTZValue.timezoneOffsetInMinutes = 8 * 60;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const sql of callsViewSql(index)) await connection.run(sql);
  return connection;
}
