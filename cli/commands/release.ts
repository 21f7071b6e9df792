import { describeScope, releaseHold } from '../../lib/lifecycle/holds';
import type { CliCommand } from '../command';

/** `release --id`: ends a hold; the next erasure or sweep may take its calls. */
export const release: CliCommand = (program, { services }) => {
  program
    .command('release')
    .description('end a hold: the next erasure or retention sweep may take its calls')
    .requiredOption('--id <hold-id>', 'the id `hold` printed')
    .action(async (options) => {
      const lifecycle = (await services()).lifecycle();
      try {
        const released = await releaseHold(options.id, lifecycle);
        if (!released) {
          console.log(`no hold ${options.id}`);
          process.exitCode = 1;
          return;
        }
        console.log(`released ${released.id} (${describeScope(released.scope)})`);
      } finally {
        await lifecycle.audit.flush();
      }
    });
};
