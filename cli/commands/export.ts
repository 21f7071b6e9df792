import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';
import { exportCsv, normalizedCallee } from '../../lib/call-index/call-filters';
import { openCalls } from '../../lib/call-index/duckdb/calls-view';
import {
  type CallFilters,
  exportParquet,
  exportRows,
} from '../../lib/call-index/duckdb/export-calls';
import { localIndexOf } from '../../lib/call-index/duckdb/local-index';
import { filtersTarget } from '../../lib/layout/access-audit';
import type { CliCommand, CommandContext } from '../command';
import { day, digits } from '../options';
import { INDEX_CACHE } from './query';

const callee = (value: string) => {
  if (!/^\d{4,32}$/.test(normalizedCallee(value)))
    throw new InvalidArgumentError('expected 4 to 32 digits');
  return value;
};

interface ExportOptions {
  from: string;
  to?: string;
  task?: string;
  result?: string;
  label?: string;
  recording?: 'yes' | 'no';
  callee?: string;
  text?: string;
  format: 'csv' | 'parquet' | 'jsonl';
  out?: string;
  fullNumbers?: boolean;
}

/** `export`: every matching call, from the index; numbers masked unless --full-numbers; audited. */
export const exportCalls: CliCommand = (program, { services }) => {
  program
    .command('export')
    .description('write every matching call (from the call index) as CSV, Parquet or JSON lines')
    .requiredOption('--from <YYYY-MM-DD>', 'first day', day)
    .option('--to <YYYY-MM-DD>', 'last day (default: --from)', day)
    .option('--task <id>', 'only this task', digits)
    .option('--result <text>', 'call_result containing this')
    .option('--label <text>', 'a label containing this')
    .addOption(
      new Option('--recording <yes|no>', 'with or without a recording').choices(['yes', 'no']),
    )
    .option('--callee <number>', '4 digits: the last four; 5 to 32: the whole number', callee)
    .option('--text <words>', 'words said in a turn (case-insensitive for Latin letters)')
    .addOption(
      new Option('--format <format>', 'file format')
        .choices(['csv', 'parquet', 'jsonl'])
        .default('csv'),
    )
    .option('--out <file>', 'where to write (default: stdout; required for parquet)')
    .option('--full-numbers', 'write callees in full (masked by default)')
    .action((options: ExportOptions) => runExport(options, services));
};

/** The export's filters from its options; `--to` defaults to `--from`. */
function filtersOf(options: ExportOptions): CallFilters {
  const filters: CallFilters = {
    from: options.from,
    to: options.to ?? options.from,
    taskId: options.task,
    result: options.result,
    label: options.label,
    recording: options.recording,
    callee: options.callee,
    text: options.text,
  };
  if (filters.from > filters.to)
    throw new InvalidArgumentError(`--from ${filters.from} is after --to ${filters.to}`);
  return filters;
}

/** The matching calls from a local copy of the index, written out, and the export audited. */
async function runExport(
  options: ExportOptions,
  services: CommandContext['services'],
): Promise<void> {
  const filters = filtersOf(options);
  const { store, archiveUrl, who, audit } = (await services()).indexQuery();
  const index = await localIndexOf(store, archiveUrl, INDEX_CACHE, filters);
  const connection = await openCalls(index);
  const full = options.fullNumbers === true;
  if (options.format === 'parquet') {
    if (!options.out) throw new InvalidArgumentError('--format parquet needs --out');
    await exportParquet(connection, filters, full, options.out);
  } else {
    const rows = await exportRows(connection, filters, full);
    const body =
      options.format === 'csv'
        ? exportCsv(rows)
        : rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length > 0 ? '\n' : '');
    if (options.out) writeFileSync(options.out, body, { mode: 0o600 });
    else process.stdout.write(body);
  }
  connection.closeSync();
  const { from, to, taskId, ...rest } = filters;
  audit.record(
    who,
    'export',
    filtersTarget({
      from,
      to,
      taskId,
      ...rest,
      format: options.format,
      fullNumbers: full ? 'yes' : undefined,
    }),
  );
  await audit.flush();
}
