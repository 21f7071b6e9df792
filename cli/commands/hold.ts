import { InvalidArgumentError } from 'commander';
import { describeScope, type HoldTarget, listHolds, placeHold } from '../../lib/lifecycle/holds';
import type { CliCommand } from '../command';
import { callKey, day, digits, number } from '../options';

/** `hold`: keeps a callee's, a call's or a task's calls from erasure and retention. */
export const hold: CliCommand = (program, { services }) => {
  program
    .command('hold')
    .description(
      'keep calls from erasure and the retention sweep until released (prints the hold id); --list shows the holds',
    )
    .option('--callee <number>', 'every call to this number (kept as its keyed hash)', number)
    .option('--call <taskId/date/callId>', 'one call', callKey)
    .option('--task <id>', 'every call of this task', digits)
    .option('--date <YYYY-MM-DD>', 'with --callee or --task: only calls of this day', day)
    .option('--reason <text>', 'why the calls are kept (required to place a hold)')
    .option('--list', 'list the holds in force', false)
    .action(async (options) => {
      const lifecycle = (await services()).lifecycle();
      if (options.list) {
        for (const held of await listHolds(lifecycle.store))
          console.log(
            `${held.id}  ${describeScope(held.scope)}  by ${held.who} at ${held.createdAt}: ${held.reason}`,
          );
        return;
      }
      const given = [options.callee, options.call, options.task].filter(Boolean).length;
      if (given !== 1) throw new InvalidArgumentError('give one of --callee, --call or --task');
      if (options.call && options.date)
        throw new InvalidArgumentError('--date goes with --callee or --task');
      if (!options.reason) throw new InvalidArgumentError('--reason is required');
      const target: HoldTarget = options.call
        ? { call: options.call }
        : options.task
          ? { taskId: options.task, date: options.date }
          : { callee: options.callee, date: options.date };
      try {
        const placed = await placeHold(target, options.reason, lifecycle);
        console.log(placed.id);
      } finally {
        await lifecycle.audit.flush();
      }
    });
};
