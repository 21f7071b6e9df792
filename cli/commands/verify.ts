import { Option } from 'commander';
import type { CliCommand } from '../command';
import { day, digits, positive } from '../options';
import { progressFor } from '../progress';

/** `verify`: the deep check, every stored recording re-hashed against its detail.json. */
export const verify: CliCommand = (program, { services }) => {
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
      const { verifyArchive } = await import('../../lib/maintenance/verify');
      const summary = await verifyArchive(
        (await services()).archive().store,
        { taskId: options.task, date: options.date, concurrency: options.concurrency },
        progressFor('verify'),
      );
      console.log(
        `verify: ${summary.checked} calls checked, ${summary.verified} recordings verified, ${summary.withoutRecording} without recording, ${summary.mismatches.length} mismatched${summary.staleTemps > 0 ? `, ${summary.staleTemps} stale temp files of unfinished writes removed` : ''}`,
      );
      for (const m of summary.mismatches) console.log(`  mismatch ${m.detailKey}: ${m.reason}`);
      if (summary.mismatches.length > 0) process.exitCode = 1;
    });
};
