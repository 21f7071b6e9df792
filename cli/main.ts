import { Command, InvalidArgumentError, Option } from 'commander';
import { verifyArchive } from '../lib/archive/verify';
import { type BackfillSummary, backfillTask, taskStatus } from '../lib/backfill/backfill';
import type { DateRange } from '../lib/backfill/task-calls';
import { isCallDay, TASK_ID } from '../lib/call-detail/identity';
import { loadConfig } from '../lib/config';
import { logToStderr } from '../lib/log';
import { lookupCall } from '../lib/lookup/lookup-call';
import { parseLookupRequest } from '../lib/lookup/lookup-request';
import { parkedCalls } from '../lib/parking/park';
import { type ReplaySummary, replayDlq, replayRejected } from '../lib/parking/replay';
import { cliServices } from '../lib/platform/wiring';
import { reconcileRun } from '../lib/reconcile/reconcile';
import { progressFor } from './progress';
import { withSandboxSettings } from './sandbox-settings';

const VERSION = (require('../package.json') as { version: string }).version;

/** `npx vms-call-archive <command>`: backfill, replay, status and lookup from a terminal. */

const day = (value: string) => {
  if (!isCallDay(value)) throw new InvalidArgumentError('expected a day, YYYY-MM-DD');
  return value;
};
const digits = (value: string) => {
  if (!TASK_ID.test(value)) throw new InvalidArgumentError('expected digits');
  return value;
};
const positive = (value: string) => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive whole number');
  return Number(value);
};
const collect = (value: string, previous: string[]) => [...previous, value];

/** `--date`, or `--from`/`--to`; a range that can hold nothing is an error, not a silent zero. */
function range(options: { date?: string; from?: string; to?: string }): DateRange {
  if (options.date && (options.from || options.to))
    throw new InvalidArgumentError('give --date, or --from/--to, not both');
  if (options.from && options.to && options.from > options.to)
    throw new InvalidArgumentError(`--from ${options.from} is after --to ${options.to}`);
  if (options.date) return { from: options.date, to: options.date };
  return { from: options.from, to: options.to };
}

function printFailures(summary: BackfillSummary | ReplaySummary): void {
  for (const failure of summary.failed) {
    console.log(
      `  failed ${failure.callId}${failure.callee ? ` (${failure.callee})` : ''}: ${failure.reason}`,
    );
  }
}

export function buildProgram(env?: NodeJS.ProcessEnv): Command {
  const program = new Command('vms-call-archive')
    .description(
      'Archive and inspect Alibaba Cloud Voice Service robot calls (configuration: environment, see README)',
    )
    .version(VERSION, '-V, --version')
    .option('--verbose', 'print every step as a JSON log line on stderr (default: warnings only)')
    .hook('preAction', (command) => logToStderr(command.opts().verbose ? 'debug' : 'warn'))
    .showHelpAfterError();
  // Built when a command runs, so `--help` works with any environment; a running sandbox's
  // settings fill in what the environment leaves unset.
  const services = () => cliServices(loadConfig(withSandboxSettings(env ?? process.env)));

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
    .action(async (options) => {
      const built = services();
      const summary = await backfillTask(
        {
          taskId: options.task,
          range: range(options),
          callees: options.callee,
          concurrency: options.concurrency,
          dryRun: options.dryRun,
        },
        {
          archive: built.archive(),
          pageSize: built.pageSize,
          dispatcher: options.dispatch ? built.dispatcher() : undefined,
          progress: progressFor('backfill'),
        },
      );
      const verb = options.dryRun
        ? `would archive ${summary.wouldArchive}`
        : `archived ${summary.archived}`;
      console.log(
        `task ${options.task}: ${summary.listed} calls listed, ${verb}, ${summary.noRecording} without recording, ${summary.skipped} already archived, ${summary.dispatched} dispatched, ${summary.failed.length} failed`,
      );
      printFailures(summary);
      if (summary.failed.length > 0) {
        console.log(
          '  failed calls are parked in _rejected/: run `vms-call-archive replay --from-rejected`',
        );
        process.exitCode = 1;
      }
    });

  program
    .command('replay')
    .description('feed parked jobs back through the archive, removing each once archived')
    .option(
      '--from-rejected',
      'replay _rejected/ and _pending/ in ARCHIVE_URL (what it does without --dlq)',
    )
    .option('--dlq <queue-url>', 'replay an SQS dead-letter queue')
    .addOption(new Option('--concurrency <n>', 'jobs at once').default(4).argParser(positive))
    .action(async (options) => {
      const archive = services().archive();
      const summary = options.dlq
        ? await replayDlq(options.dlq, { archive, progress: progressFor('replay') })
        : await replayRejected({
            archive,
            progress: progressFor('replay'),
            concurrency: options.concurrency,
          });
      console.log(
        `replay: ${summary.found} found, ${summary.archived} archived, ${summary.unreplayable} still not archivable, ${summary.failed.length} failed`,
      );
      printFailures(summary);
      if (summary.failed.length > 0) process.exitCode = 1;
    });

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
    .action(async (options) => {
      const built = services();
      if (!options.task) {
        if (!options.date) throw new InvalidArgumentError('status needs --task, or --date alone');
        const { tally: _tally, ...deps } = built.reconcile();
        const summary = await reconcileRun({
          ...deps,
          dryRun: true,
          day: options.date,
          progress: progressFor('status'),
        });
        // A missing call may be parked: then it is lost upstream (or waits for `replay`), with
        // the reason, not pending forever.
        const parkedReasons = await parkedCalls(deps.store);
        const listedMissing = summary.missingCalls ?? [];
        const parked = listedMissing.filter((c) => parkedReasons.has(`${c.taskId}/${c.callId}`));
        const missing = listedMissing.filter((c) => !parkedReasons.has(`${c.taskId}/${c.callId}`));
        if (options.json) console.log(JSON.stringify({ ...summary, parked, missing }, null, 2));
        else {
          console.log(
            `${options.date}: ${summary.tasksReconciled} recent tasks, ${summary.callsListed} calls listed, ${summary.alreadyArchived} archived (${summary.withoutRecording} without recording), ${parked.length} parked, ${missing.length} missing, ${summary.failed.length} failed`,
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
        return;
      }
      const status = await taskStatus(
        { taskId: options.task, range: range(options), callees: options.callee },
        { archive: built.archive(), pageSize: built.pageSize },
      );
      if (options.json) {
        console.log(JSON.stringify(status, null, 2));
      } else {
        console.log(
          `task ${options.task}: ${status.listed} listed, ${status.archived} archived, ${status.missing.length} missing`,
        );
        for (const call of status.missing)
          console.log(`  missing ${call.callId} ${call.callee} ${call.date ?? '(no date)'}`);
      }
      if (status.missing.length > 0) process.exitCode = 1;
    });

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
    .action(async (options) => {
      const { tally, ...deps } = services().reconcile();
      const summary = await reconcileRun({
        ...deps,
        lookbackHours: options.lookbackHours ?? deps.lookbackHours,
        dryRun: options.dryRun,
        progress: progressFor('reconcile'),
      });
      const verb = options.dryRun
        ? `would dispatch ${summary.missing}`
        : `dispatched ${summary.dispatched}`;
      console.log(
        `reconcile: ${summary.tasksSeen} recent tasks (${summary.tasksSkipped} finished and complete, skipped), ${summary.callsListed} calls listed, ${summary.alreadyArchived} already archived, ${verb}, ${summary.failed.length} failed`,
      );
      if (tally && !options.dryRun) {
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
      if (!summary.dryRun)
        console.log(`  summary: _reconcile/…/${summary.runId}.json in ARCHIVE_URL`);
      if (summary.failed.length > 0 || (tally?.failed.length ?? 0) > 0) process.exitCode = 1;
    });

  program
    .command('verify')
    .description(
      're-read and re-hash stored recordings against their detail.json (the deep check); names any mismatch',
    )
    .option('--task <id>', 'only this task', digits)
    .option('--date <YYYY-MM-DD>', 'only calls of this day', day)
    .addOption(
      new Option('--concurrency <n>', 'recordings read at once').default(4).argParser(positive),
    )
    .action(async (options) => {
      const summary = await verifyArchive(
        services().archive().store,
        { taskId: options.task, date: options.date, concurrency: options.concurrency },
        progressFor('verify'),
      );
      console.log(
        `verify: ${summary.checked} calls checked, ${summary.verified} recordings verified, ${summary.withoutRecording} without recording, ${summary.mismatches.length} mismatched`,
      );
      for (const m of summary.mismatches) console.log(`  mismatch ${m.detailKey}: ${m.reason}`);
      if (summary.mismatches.length > 0) process.exitCode = 1;
    });

  program
    .command('lookup <taskId> <callee>')
    .description('print one call detail (QueryRobotTaskCallDetail, normalized)')
    .option('--date <YYYY-MM-DD|epoch-ms>', 'day of the call (China time); default today')
    .option('--json', 'print the CallDetail as JSON (for scripts)', false)
    .action(async (taskId: string, callee: string, options) => {
      const query = parseLookupRequest({ taskId, callee }, { date: options.date }, Date.now());
      const { detail } = await lookupCall(query, services().dyvms());
      if (options.json) {
        console.log(JSON.stringify(detail, null, 2));
        return;
      }
      console.log(
        `${detail.callId}  task ${detail.taskId}  ${detail.startedAt ?? '?'} → ${detail.endedAt ?? '?'}  ${detail.durationSeconds ?? '?'} s`,
      );
      console.log(
        `  result: ${detail.callResult ?? '-'}  hung up by: ${detail.hangupBy ?? '-'}  labels: ${detail.labels.join(', ') || '-'}`,
      );
      console.log(
        `  recording: ${detail.recording.status}${detail.recording.expiresAt ? ` (URL expires ${detail.recording.expiresAt})` : ''}`,
      );
      for (const turn of detail.dialog)
        console.log(
          `  [${turn.spokenAt?.slice(11, 19) ?? '--:--:--'}] ${turn.role}: ${turn.content}`,
        );
    });

  return program;
}

export async function main(argv = process.argv): Promise<void> {
  logToStderr('warn');
  try {
    await buildProgram().parseAsync(argv);
  } catch (error: unknown) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
