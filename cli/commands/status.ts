import { InvalidArgumentError } from 'commander';
import type { ReconcileSummary } from '../../lib/reconcile/reconcile';
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
      "calls listed upstream against calls archived; names the missing ones (--task, or --date alone: the day's archived calls from the index, and every recent task's listed calls within the reconcile lookback)",
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

/** The first instant (ms) after China day `date` (UTC+8, no daylight saving). */
const endOfChinaDay = (date: string) => Date.parse(`${date}T00:00:00+08:00`) + 86_400_000;

/**
 * `status --date D`: the day's archived calls from the call index (any day), then, for a day
 * the reconcile lookback reaches, every recent task's listed calls against them, the missing
 * ones named. Upstream lists only tasks of the lookback, so an older day says so instead of
 * printing zeros.
 */
async function dayReport(date: string, json: boolean, { services }: CommandContext) {
  const built = await services();
  const lookbackHours = built.lookbackHours;
  const { dayCounts } = await import('../../lib/browse/archive-view');
  const archive = await dayCounts(built.store(), date);
  const archiveLine = `${date}: ${archive.archived} calls archived (${archive.withRecording} with recording, ${archive.withoutRecording} without), from the call index`;
  if (endOfChinaDay(date) <= Date.now() - lookbackHours * 3600_000)
    return printOutsideLookback({ date, archive, archiveLine, lookbackHours }, json);
  const [{ reconcileRun }, { parkedCalls }] = await Promise.all([
    import('../../lib/reconcile/reconcile'),
    import('../../lib/parking/park'),
  ]);
  const { tally: _tally, idle: _idle, ...deps } = built.reconcile();
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
  if (json)
    console.log(
      JSON.stringify(
        { ...summary, parked, missing, date, archive, upstream: { listed: true, lookbackHours } },
        null,
        2,
      ),
    );
  else {
    console.log(archiveLine);
    printUpstream(summary, { parked, missing, parkedReasons, lookbackHours });
  }
  if (listedMissing.length > 0 || summary.failed.length > 0) process.exitCode = 1;
}

/** A day older than the lookback: the archive's counts, and why upstream was not listed. */
function printOutsideLookback(
  day: { date: string; archive: unknown; archiveLine: string; lookbackHours: number },
  json: boolean,
): void {
  const { date, archive, archiveLine, lookbackHours } = day;
  const upstream = { listed: false, lookbackHours };
  if (json) console.log(JSON.stringify({ date, archive, upstream }, null, 2));
  else
    console.log(
      `${archiveLine}\n  upstream: outside the ${lookbackHours} h lookback, not listed (status --task ID compares one task's calls for any day)`,
    );
}

type MissingCall = NonNullable<ReconcileSummary['missingCalls']>[number];

/** The upstream's side of a day: its counts, then each parked, missing and failed call. */
function printUpstream(
  summary: ReconcileSummary,
  day: {
    parked: MissingCall[];
    missing: MissingCall[];
    parkedReasons: Map<string, string>;
    lookbackHours: number;
  },
): void {
  const { parked, missing, parkedReasons, lookbackHours } = day;
  console.log(
    `  upstream (tasks of the last ${lookbackHours} h): ${summary.tasksReconciled} recent tasks, ${summary.callsListed} calls listed, ${summary.alreadyArchived} archived (${summary.withoutRecording} without recording), ${parked.length} parked, ${missing.length} missing, ${summary.failed.length} failed`,
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
