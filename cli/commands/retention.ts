import { InvalidArgumentError } from 'commander';
import { sweepRetention } from '../../lib/lifecycle/retention';
import type { CliCommand } from '../command';
import { positive } from '../options';
import { erasing, printPlan } from './erase';

/** `retention`: the daily sweep by hand (RETENTION_DAYS, or --days). */
export const retention: CliCommand = (program, { services }) => {
  program
    .command('retention')
    .description(
      'erase every call older than RETENTION_DAYS (held calls excepted) and the side entries of those days, with one receipt',
    )
    .option('--days <n>', 'instead of RETENTION_DAYS', positive)
    .option('--dry-run', 'list what would go, erase nothing', false)
    .action(async (options: { days?: number; dryRun: boolean }) => {
      const lifecycle = (await services()).lifecycle();
      const days = options.days ?? lifecycle.retentionDays;
      if (days === undefined)
        throw new InvalidArgumentError('RETENTION_DAYS is not set (keep forever): give --days');
      await erasing('retention', lifecycle, async () => {
        const outcome = await sweepRetention(days, lifecycle, { dryRun: options.dryRun });
        const verb = options.dryRun ? 'would erase' : 'erased';
        printPlan(outcome.plan, verb);
        for (const folder of outcome.sideFolders) console.log(`  ${verb} ${folder}`);
        const receipts = outcome.receipts.map((r) => r.id).join(', ') || 'none';
        console.log(
          `retention before ${outcome.cutoff}${options.dryRun ? ' (dry run)' : ''}: ${outcome.plan.calls.length} calls ${verb}, ${outcome.plan.held.length} held, ${outcome.sideFolders.length} side folders; receipts: ${receipts}`,
        );
      });
    });
};
