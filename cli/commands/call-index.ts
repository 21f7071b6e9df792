import type { Command } from 'commander';
import { compactIndex } from '../../lib/call-index/compact';
import { checkIndex, rebuildIndex } from '../../lib/call-index/rebuild';
import type { CliCommand, CommandContext } from '../command';
import { day, digits, range } from '../options';

/** `index compact|rebuild|check`: the call index by hand (docs/design.md "The call index"). */
export const callIndex: CliCommand = (program, { services }) => {
  const index = program
    .command('index')
    .description('the call index: compact its pending rows, rebuild it, check it');
  addCompact(index, services);
  addRebuild(index, services);
  addCheck(index, services);
};

type Services = CommandContext['services'];

function addCompact(index: Command, services: Services): void {
  index
    .command('compact')
    .description('fold pending rows into Parquet parts now (every day with pending rows, or one)')
    .option('--date <YYYY-MM-DD>', 'only this day', day)
    .action(async (options: { date?: string }) => {
      const results = await compactIndex(
        { store: (await services()).store() },
        { date: options.date },
      );
      for (const r of results) {
        console.log(
          `index compact ${r.date}: ${r.status}, ${r.pendingFolded} pending rows folded, ${r.partsWritten.length} parts written, ${r.partsDeleted.length} replaced`,
        );
      }
      if (results.length === 0) console.log('index compact: no pending rows');
    });
}

function addRebuild(index: Command, services: Services): void {
  index
    .command('rebuild')
    .description(
      "derive the index from the archive's detail.json files (archives older than the index, or any doubt)",
    )
    .option('--from <YYYY-MM-DD>', 'first day', day)
    .option('--to <YYYY-MM-DD>', 'last day', day)
    .option('--task <id>', 'only this task', digits)
    .action(async (options: { from?: string; to?: string; task?: string }) => {
      const { from, to } = range(options);
      const summary = await rebuildIndex((await services()).store(), {
        from,
        to,
        taskId: options.task,
      });
      console.log(`index rebuild: ${summary.days} days, ${summary.rows} calls`);
      for (const key of summary.unreadable) console.log(`  unreadable ${key}`);
      for (const date of summary.busy)
        console.log(`  busy ${date}: a compaction holds it, run again`);
      if (summary.unreadable.length + summary.busy.length > 0) process.exitCode = 1;
    });
}

function addCheck(index: Command, services: Services): void {
  index
    .command('check')
    .description(
      'compare the index with the archive: one line per missing, stray or differing call',
    )
    .option('--date <YYYY-MM-DD>', 'only this day', day)
    .option('--task <id>', 'only this task', digits)
    .action(async (options: { date?: string; task?: string }) => {
      const lines = await checkIndex((await services()).store(), {
        date: options.date,
        taskId: options.task,
      });
      for (const d of lines) console.log(`${d.kind} ${d.taskId}/${d.date}/${d.callId}`);
      if (lines.length > 0) process.exitCode = 1;
    });
}
