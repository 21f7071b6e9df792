import type { CallDetail } from '../../lib/call-detail/schema';
import type { CliCommand } from '../command';

/** `lookup TASK CALLEE`: one call's detail, upstream, normalized. */
export const lookup: CliCommand = (program, { services }) => {
  program
    .command('lookup <taskId> <callee>')
    .description('print one call detail (QueryRobotTaskCallDetail, normalized)')
    .option('--date <YYYY-MM-DD|epoch-ms>', 'day of the call (China time); default today')
    .option('--json', 'print the CallDetail as JSON (for scripts)', false)
    .action(async (taskId: string, callee: string, options) => {
      const [{ lookupCall }, { parseLookupRequest }, { CallNotReadyError }, { maskPhone }] =
        await Promise.all([
          import('../../lib/dyvms/lookup-call'),
          import('../../lib/lookup/lookup-request'),
          import('../../lib/errors'),
          import('../../lib/log'),
        ]);
      const query = parseLookupRequest({ taskId, callee }, { date: options.date }, Date.now());
      const { detail } = await lookupCall(query, (await services()).dyvms()).catch(
        (error: unknown) => {
          // The detail API looks up one day: without --date that is today, and "no detail"
          // for an older call is not a reason to wait.
          if (options.date === undefined && error instanceof CallNotReadyError)
            throw new CallNotReadyError(
              `no call of task ${taskId} to ${maskPhone(callee)} today (${query.date}, China time): give --date YYYY-MM-DD for a call of another day (a call that ended just now may take a minute to show)`,
              error.requestId,
            );
          throw error;
        },
      );
      if (options.json) console.log(JSON.stringify(detail, null, 2));
      else printDetail(detail);
    });
};

function printDetail(detail: CallDetail): void {
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
    console.log(`  [${turn.spokenAt?.slice(11, 19) ?? '--:--:--'}] ${turn.role}: ${turn.content}`);
}
