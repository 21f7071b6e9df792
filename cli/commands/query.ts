import { homedir } from 'node:os';
import { join } from 'node:path';
import { Option } from 'commander';
import { openCalls } from '../../lib/call-index/duckdb/calls-view';
import { localIndexOf } from '../../lib/call-index/duckdb/local-index';
import {
  formatCsv,
  formatJson,
  formatTable,
  runQuery,
} from '../../lib/call-index/duckdb/query-output';
import type { CliCommand } from '../command';
import { day, range } from '../options';

/** Where `query` and `export` keep their copy of an s3:// or oss:// index (0700). */
export const INDEX_CACHE = join(homedir(), '.cache', 'vms-call-archive', 'index');

const FORMATS = { table: formatTable, csv: formatCsv, json: formatJson };

/** `query "<SQL>"`: DuckDB over the view `calls` (docs/design.md "Query and export"). */
export const query: CliCommand = (program, { services }) => {
  program
    .command('query')
    .description(
      'run SQL with DuckDB over the view `calls` (the call index, deduped; TimeZone Asia/Shanghai)',
    )
    .argument('<sql>', 'one SQL statement, e.g. "SELECT count(*) FROM calls"')
    .option('--from <YYYY-MM-DD>', 'read only the index from this day', day)
    .option('--to <YYYY-MM-DD>', 'read only the index up to this day', day)
    .addOption(
      new Option('--format <format>', 'how to print the answer')
        .choices(Object.keys(FORMATS))
        .default('table'),
    )
    .action(async (sql: string, options: { from?: string; to?: string; format: string }) => {
      const { store, archiveUrl } = (await services()).indexQuery();
      const index = await localIndexOf(store, archiveUrl, INDEX_CACHE, range(options));
      const connection = await openCalls(index);
      const format = FORMATS[options.format as keyof typeof FORMATS] ?? formatTable;
      process.stdout.write(format(await runQuery(connection, sql)));
      connection.closeSync();
    });
};
