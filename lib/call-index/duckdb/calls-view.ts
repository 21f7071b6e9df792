import type { DuckDBConnection } from '@duckdb/node-api';
import { DAY_PARTS_METADATA_KEY, INDEX_COLUMNS } from '../../layout/index-rows';
import { type DeclaredPart, daysWithoutDuplicates } from '../part-sets';
import type { LocalIndex } from './local-index';

/**
 * DuckDB's view `calls` over local index files (docs/design.md "Query and export"): the
 * parts (union by name, so older parts still read) and the pending rows, one row per
 * (task_id, call_id), the greater `archived_at` winning and a tie going to the pending row;
 * `date` from the Hive path, a string. DuckDB is the CLI's alone: no function imports this.
 *
 * The dedupe is what costs (a window over every row read was 10 s for 30 days of 100,000
 * calls; BENCHMARKS.md "The call index"), so it runs only where a duplicate can be: a call
 * lives in one day, and a day whose parts their writer vouched for (part-sets.ts) holds each
 * call once in its parts. Those parts' rows pass as they are (on a day with pending rows, but
 * for the calls that have one); those calls, the days nobody vouched for and the pending rows
 * go through the window, partitioned by day.
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
const KEY = `"date", task_id, call_id`;

/** No files of a kind: an empty relation of the same columns, so the view still binds. */
const emptyRows = () =>
  `SELECT ${INDEX_COLUMNS.map((c) => `NULL::${SQL_TYPES[c.type]} AS ${c.name}`).join(', ')}, NULL::VARCHAR AS "date" WHERE false`;

/** The rows of `parts` (an empty relation when none). */
export function partsSql(parts: readonly string[]): string {
  if (parts.length === 0) return emptyRows();
  return `SELECT * FROM read_parquet(${fileList(parts)}, union_by_name = true, ${HIVE})`;
}

/** The rows of pending files (an empty relation when none). */
export function pendingSql(pending: readonly string[]): string {
  if (pending.length === 0) return emptyRows();
  const columns = INDEX_COLUMNS.map((c) => `${quote(c.name)}: ${quote(SQL_TYPES[c.type])}`);
  return `SELECT * FROM read_json(${fileList(pending)}, format = 'newline_delimited', columns = {${columns.join(', ')}}, ${HIVE})`;
}

const dayOfPath = (path: string) => /[\\/]date=(\d{4}-\d{2}-\d{2})[\\/][^\\/]*$/.exec(path)?.[1];

/**
 * The statements that make `calls` on a fresh connection. `cleanDays`: the days whose parts
 * hold each call once (`daysWithoutDuplicates`); every other day is deduped whole.
 */
export function callsViewSql(
  index: LocalIndex,
  cleanDays: ReadonlySet<string> = new Set(),
): string[] {
  const dayOf = (path: string) => dayOfPath(path) ?? '';
  const pendingDays = new Set(index.pending.map(dayOf));
  const clean = index.parts.filter((path) => cleanDays.has(dayOf(path)));
  const untouched = clean.filter((path) => !pendingDays.has(dayOf(path)));
  const touched = clean.filter((path) => pendingDays.has(dayOf(path)));
  const others = index.parts.filter((path) => !cleanDays.has(dayOf(path)));
  const contested = `(SELECT DISTINCT ${KEY} FROM _pending_rows)`;
  const branches: string[] = [];
  const ranked = [`SELECT *, 1 AS _pending FROM _pending_rows`];
  if (untouched.length > 0) branches.push(partsSql(untouched));
  if (touched.length > 0) {
    branches.push(`SELECT * FROM (${partsSql(touched)}) ANTI JOIN ${contested} USING (${KEY})`);
    ranked.push(
      `SELECT *, 0 AS _pending FROM (${partsSql(touched)}) SEMI JOIN ${contested} USING (${KEY})`,
    );
  }
  if (others.length > 0) ranked.push(`SELECT *, 0 AS _pending FROM (${partsSql(others)})`);
  if (index.pending.length > 0 || others.length > 0 || branches.length === 0)
    branches.push(`SELECT * EXCLUDE (_pending) FROM (${ranked.join('\n UNION ALL BY NAME ')})
      QUALIFY row_number() OVER (PARTITION BY ${KEY} ORDER BY archived_at DESC, _pending DESC) = 1`);
  return [
    `SET TimeZone = 'Asia/Shanghai'`,
    // Read once (each branch below would read them again), by one thread: thousands of
    // small files read 7 times faster so than by two here (BENCHMARKS.md "The call index").
    `SET threads = 1`,
    `CREATE OR REPLACE TEMP TABLE _pending_rows AS ${pendingSql(index.pending)}`,
    `RESET threads`,
    `CREATE OR REPLACE TEMP VIEW calls AS ${branches.join('\n UNION ALL BY NAME ')}`,
  ];
}

/** What each part's footer says of its day (`DAY_PARTS_METADATA_KEY`), read by DuckDB. */
export async function declaredParts(
  connection: DuckDBConnection,
  parts: readonly string[],
): Promise<DeclaredPart[]> {
  const declared = new Map<string, string>();
  if (parts.length > 0) {
    const reader = await connection.runAndReadAll(
      `SELECT file_name, decode(value) FROM parquet_kv_metadata(${fileList(parts)})
        WHERE decode(key) = ${quote(DAY_PARTS_METADATA_KEY)}`,
    );
    for (const [file, value] of reader.getRowsJson()) declared.set(String(file), String(value));
  }
  return parts.flatMap((path) => {
    const date = dayOfPath(path);
    return date ? [{ date, path, dayParts: declared.get(path) }] : [];
  });
}

/** A connection to an in-memory DuckDB with `calls` defined over `index`. */
export async function openCalls(index: LocalIndex): Promise<DuckDBConnection> {
  const { DuckDBInstance, DuckDBTimestampTZValue } = await import('@duckdb/node-api');
  // Results print instants in China time, as the session's TimeZone computes them; China
  // has kept +08:00 all year since 1991.
  DuckDBTimestampTZValue.timezoneOffsetInMinutes = 8 * 60;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const cleanDays = daysWithoutDuplicates(await declaredParts(connection, index.parts));
  for (const sql of callsViewSql(index, cleanDays)) await connection.run(sql);
  return connection;
}
