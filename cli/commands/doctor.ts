import { InvalidArgumentError, Option } from 'commander';
import type { CliCommand } from '../command';

interface DoctorOptions {
  pushUrl?: string;
  notify: boolean;
  format: 'text' | 'json';
}

const httpUrl = (value: string) => {
  if (!/^https?:\/\/\S+$/.test(value)) throw new InvalidArgumentError('expected an http(s) URL');
  return value;
};

/**
 * `doctor`: checks a configuration (a deployment's, or the sandbox's) before the first call
 * ends: credentials, archive, dispatch target, push URL, clock, index, notifications. One
 * line per check, with the fix of each that failed; exit code 1 when one did.
 */
export const doctor: CliCommand = (program, context) => {
  program
    .command('doctor')
    .description(
      'check this configuration: credentials, archive, dispatch target, push URL, clock, index, notifications (exit 1 when a check fails)',
    )
    .option(
      '--push-url <url>',
      'the push URL the Voice Service is given: POST [] must answer {"code":0}',
      httpUrl,
    )
    .option('--notify', 'send one test message through ALERT_WEBHOOK_URL', false)
    .addOption(
      new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'),
    )
    .action(async (options: DoctorOptions) => {
      const { runDoctor, failed } = await import('../../lib/maintenance/doctor');
      const { sandboxPushUrl, ...deps } = (await context.services()).doctor();
      const results = await runDoctor({
        ...deps,
        pushUrl: options.pushUrl ?? sandboxPushUrl,
        notify: options.notify,
      });
      if (options.format === 'json')
        console.log(JSON.stringify({ ok: !failed(results), checks: results }, null, 2));
      else
        for (const result of results) {
          console.log(`${result.status.padEnd(4)} ${result.check.padEnd(14)} ${result.detail}`);
          if (result.fix) console.log(`     ${''.padEnd(14)} fix: ${result.fix}`);
        }
      if (failed(results)) process.exitCode = 1;
    });
};
