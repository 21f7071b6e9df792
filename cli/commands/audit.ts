import { readAccessTrail } from '../../lib/lifecycle/access-trail';
import type { CliCommand } from '../command';
import { callKey, day, range } from '../options';

/** `audit`: who signed in, searched, viewed, played, exported, erased or held what. */
export const audit: CliCommand = (program, { services }) => {
  program
    .command('audit')
    .description('read the access audit: who did what to which call, numbers masked')
    .option('--call <taskId/date/callId>', 'only rows about this call', callKey)
    .option('--who <name>', "only this key's name (crm, key-1a2b3c4d) or cli:<user>")
    .option('--from <YYYY-MM-DD>', 'from this day (Asia/Shanghai)', day)
    .option('--to <YYYY-MM-DD>', 'up to this day', day)
    .option('--json', 'one JSON array instead of lines', false)
    .action(async (options) => {
      const { from, to } = range(options);
      const rows = await readAccessTrail((await services()).lifecycle().store, {
        call: options.call,
        who: options.who,
        from,
        to,
      });
      if (options.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      for (const row of rows)
        console.log(
          `${row.at}  ${row.who}  ${row.action}  ${row.target}${row.ip ? `  ${row.ip}` : ''}`,
        );
      console.log(`${rows.length} rows`);
    });
};
