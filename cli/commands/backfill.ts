import { Option } from 'commander';
import type { BackfillSummary } from '../../lib/backfill/backfill';
import type { CliCommand, CommandContext } from '../command';
import { collect, day, digits, positive, printFailures, range } from '../options';
import { progressFor } from '../progress';

/** `backfill --task ID`: archive every call of a task not archived yet (resumable). */
export const backfill: CliCommand = (program, { services }) => {
  program
    .command('backfill')
    .description('archive every call of a task that is not archived yet (resumable)')
    .requiredOption('--task <id>', 'task id', digits)
    .option('--date <YYYY-MM-DD>', 'only calls of this day (China time)', day)
    .option('--from <YYYY-MM-DD>', 'only calls from this day on', day)
    .option('--to <YYYY-MM-DD>', 'only calls up to this day', day)
    .option('--callee <number>', 'only this callee (repeatable)', collect, [])
    .addOption(
      new Option('--concurrency <n>', 'calls archived at once').default(4).argParser(positive),
    )
    .option('--dry-run', 'list what would be archived, archive nothing', false)
    .option(
      '--dispatch',
      'send jobs through DISPATCH (the cloud archives them) instead of archiving here',
      false,
    )
    .action((options: BackfillCliOptions) => runBackfill(options, services));
};

interface BackfillCliOptions {
  task: string;
  date?: string;
  from?: string;
  to?: string;
  callee: string[];
  concurrency: number;
  dryRun: boolean;
  dispatch: boolean;
}

async function runBackfill(
  options: BackfillCliOptions,
  services: CommandContext['services'],
): Promise<void> {
  const { backfillTask, emptyBackfillSummary } = await import('../../lib/backfill/backfill');
  const built = await services();
  const archive = built.archive();
  const progress = progressFor('backfill');
  const summary = emptyBackfillSummary();
  // Ctrl-C: what was done so far, marked interrupted, and this run's unfinished writes
  // removed (the calls they belonged to have no detail.json: the next run archives them).
  const interrupt = async () => {
    progress.stop();
    await archive.store.abandonWrites?.().catch(() => 0);
    printSummary(options, summary, 'interrupted');
    console.log('  run the same command again to resume: archived calls are skipped');
    process.exit(130);
  };
  const task = {
    taskId: options.task,
    range: range(options),
    callees: options.callee,
    concurrency: options.concurrency,
    dryRun: options.dryRun,
  };
  await withSigint(interrupt, () =>
    backfillTask(task, {
      archive,
      pageSize: built.pageSize,
      dispatcher: options.dispatch ? built.dispatcher() : undefined,
      progress,
      summary,
    }),
  );
  printSummary(options, summary);
  if (summary.failed.length > 0) {
    console.log(
      '  failed calls are parked in _rejected/: run `vms-call-archive replay --from-rejected`',
    );
    process.exitCode = 1;
  }
}

/** Runs `work` with Ctrl-C handed to `interrupt`; the handler goes once the work ends. */
async function withSigint<T>(interrupt: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  const onSigint = () => void interrupt();
  process.once('SIGINT', onSigint);
  try {
    return await work();
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The run's one line (and its failures); the same at the end and on Ctrl-C. */
function printSummary(
  options: { task: string; dryRun: boolean },
  summary: BackfillSummary,
  interrupted?: 'interrupted',
) {
  const verb = options.dryRun
    ? `would archive ${summary.wouldArchive}`
    : `archived ${summary.archived}`;
  const superseded =
    summary.superseded > 0
      ? `, ${summary.superseded} superseded (a later call to the same number that day took their place upstream)`
      : '';
  const stale =
    summary.staleTemps > 0
      ? `, ${summary.staleTemps} stale temp files of an earlier run removed`
      : '';
  console.log(
    `task ${options.task}${interrupted ? ' (interrupted)' : ''}: ${summary.listed} calls listed, ${verb}, ${summary.noRecording} without recording, ${summary.skipped} already archived, ${summary.dispatched} dispatched, ${summary.failed.length} failed${superseded}${stale}`,
  );
  printFailures(summary);
}
