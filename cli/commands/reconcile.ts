import { Option } from 'commander';
import type { LocalTally } from '../../lib/dispatch/local-dispatcher';
import type { ReconcileSummary } from '../../lib/reconcile/reconcile';
import type { CliCommand } from '../command';
import { positive } from '../options';
import { progressFor } from '../progress';

/** `reconcile`: dispatch every call of a recent task that the archive lacks. */
export const reconcile: CliCommand = (program, { services }) => {
  program
    .command('reconcile')
    .description(
      'compare recent tasks upstream with the archive and dispatch every missing call (DISPATCH=local: archive it here)',
    )
    .option('--dry-run', 'name what is missing, dispatch nothing', false)
    .addOption(
      new Option('--lookback-hours <n>', 'tasks fired or active within this many hours')
        .default(undefined, 'RECONCILE_LOOKBACK_HOURS, 48')
        .argParser(positive),
    )
    .action(async (options: { dryRun: boolean; lookbackHours?: number }) => {
      const { reconcileRun } = await import('../../lib/reconcile/reconcile');
      const { tally, idle, ...deps } = (await services()).reconcile();
      const summary = await reconcileRun({
        ...deps,
        lookbackHours: options.lookbackHours ?? deps.lookbackHours,
        dryRun: options.dryRun,
        progress: progressFor('reconcile'),
      });
      // DISPATCH=local: every job runs in this process; the tally is whole once it idles.
      await idle();
      printRun(summary, tally, options.dryRun);
      if (summary.failed.length > 0 || (tally?.failed.length ?? 0) > 0) process.exitCode = 1;
    });
};

/** The run's line, what this process archived (DISPATCH=local), and each missing or failed call. */
function printRun(summary: ReconcileSummary, tally: LocalTally | undefined, dryRun: boolean): void {
  const verb = dryRun ? `would dispatch ${summary.missing}` : `dispatched ${summary.dispatched}`;
  console.log(
    `reconcile: ${summary.tasksSeen} recent tasks (${summary.tasksSkipped} finished and complete, skipped), ${summary.callsListed} calls listed, ${summary.alreadyArchived} already archived, ${verb}, ${summary.failed.length} failed`,
  );
  if (tally && !dryRun) {
    console.log(
      `  here: ${tally.archived} archived, ${tally.noRecording} without recording, ${tally.alreadyArchived} already archived, ${tally.failed.length} parked`,
    );
  }
  for (const call of summary.missingCalls ?? [])
    console.log(`  missing ${call.taskId} ${call.callId} ${call.callee} ${call.date}`);
  for (const failure of summary.failed)
    console.log(`  failed task ${failure.taskId}: ${failure.reason}`);
  for (const failure of tally?.failed ?? [])
    console.log(`  parked ${failure.callId} (${failure.callee}): ${failure.reason}`);
  if (!summary.dryRun) console.log(`  summary: _reconcile/…/${summary.runId}.json in ARCHIVE_URL`);
}
