import { Option } from 'commander';
import type { CliCommand } from '../command';
import { positive, printFailures } from '../options';
import { progressFor } from '../progress';

/** `replay`: feed parked jobs (or an SQS dead-letter queue) back through the archive. */
export const replay: CliCommand = (program, { services }) => {
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
      const { replayDlq, replayRejected } = await import('../../lib/maintenance/replay');
      const archive = (await services()).archive();
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
};
