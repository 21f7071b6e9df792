import { InvalidArgumentError } from 'commander';
import type { CliCommand, CommandContext } from '../command';
import { collect, day, digits, range } from '../options';
import { progressFor } from '../progress';

interface StatusOptions {
  task?: string;
  date?: string;
  from?: string;
  to?: string;
  callee: string[];
  json: boolean;
}

/** `status`: calls listed upstream against calls archived, for one task or one day. */
export const status: CliCommand = (program, context) => {
  program
    .command('status')
    .description(
      'calls listed upstream against calls archived; names the missing ones (--task, or --date alone for every recent task)',
    )
    .option('--task <id>', 'task id', digits)
    .option('--date <YYYY-MM-DD>', 'only calls of this day', day)
    .option('--from <YYYY-MM-DD>', 'from this day on', day)
    .option('--to <YYYY-MM-DD>', 'up to this day', day)
    .option('--callee <number>', 'only this callee (repeatable)', collect, [])
    .option('--json', 'print JSON', false)
    .action(async (options: StatusOptions) => {
      if (options.task) return taskReport({ ...options, task: options.task }, context);
      if (!options.date) throw new InvalidArgumentError('status needs --task, or --date alone');
      return dayReport(options.date, options.json, context);
    });
};

/** `status --date D`: every recent task's calls of that day, missing ones named. */
async function dayReport(date: string, json: boolean, { services }: CommandContext) {
  const [{ reconcileRun }, { parkedCalls }] = await Promise.all([
    import('../../lib/reconcile/reconcile'),
    import('../../lib/parking/park'),
  ]);
  const { tally: _tally, idle: _idle, ...deps } = (await services()).reconcile();
  const summary = await reconcileRun({
    ...deps,
    dryRun: true,
    day: date,
    progress: progressFor('status'),
  });
  // A missing call may be parked: then it is lost upstream (or waits for `replay`), with
  // the reason, not pending forever.
  const parkedReasons = await parkedCalls(deps.store);
  const listedMissing = summary.missingCalls ?? [];
  const parked = listedMissing.filter((c) => parkedReasons.has(`${c.taskId}/${c.callId}`));
  const missing = listedMissing.filter((c) => !parkedReasons.has(`${c.taskId}/${c.callId}`));
  if (json) console.log(JSON.stringify({ ...summary, parked, missing }, null, 2));
  else {
    console.log(
      `${date}: ${summary.tasksReconciled} recent tasks, ${summary.callsListed} calls listed, ${summary.alreadyArchived} archived (${summary.withoutRecording} without recording), ${parked.length} parked, ${missing.length} missing, ${summary.failed.length} failed`,
    );
    for (const call of parked)
      console.log(
        `  parked ${call.taskId} ${call.callId} ${call.callee}: ${parkedReasons.get(`${call.taskId}/${call.callId}`)}`,
      );
    for (const call of missing)
      console.log(`  missing ${call.taskId} ${call.callId} ${call.callee} ${call.date}`);
    for (const failure of summary.failed)
      console.log(`  failed task ${failure.taskId}: ${failure.reason}`);
  }
  if (listedMissing.length > 0 || summary.failed.length > 0) process.exitCode = 1;
}

/** `status --task ID`: that task's listed calls against the archive. */
async function taskReport(options: StatusOptions & { task: string }, { services }: CommandContext) {
  const { taskStatus } = await import('../../lib/maintenance/status');
  const built = await services();
  const report = await taskStatus(
    { taskId: options.task, range: range(options), callees: options.callee },
    { archive: built.archive(), pageSize: built.pageSize },
  );
  if (options.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(
      `task ${options.task}: ${report.listed} listed, ${report.archived} archived, ${report.missing.length} missing`,
    );
    for (const call of report.missing)
      console.log(`  missing ${call.callId} ${call.callee} ${call.date ?? '(no date)'}`);
  }
  if (report.missing.length > 0) process.exitCode = 1;
}
