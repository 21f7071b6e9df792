import { Command } from 'commander';
import type { CommandContext } from './command';
import * as commands from './commands';
import { SETTINGS_FILE } from './settings-file';

const VERSION = (require('../package.json') as { version: string }).version;

/**
 * `npx vms-call-archive <command>`: the program and its shared options; each command is a
 * file in cli/commands/ (backfill, lookup, reconcile, replay, status, verify, …).
 */
export function buildProgram(env?: NodeJS.ProcessEnv, settingsFile = SETTINGS_FILE): Command {
  const program = new Command('vms-call-archive')
    .description(
      'Archive and inspect Alibaba Cloud Voice Service robot calls (configuration: environment, see README)',
    )
    .version(VERSION, '-V, --version')
    .option('--verbose', 'print every step as a JSON log line on stderr (default: warnings only)')
    .hook('preAction', async (command) => {
      const [{ logToStderr }, { forPeople }] = await Promise.all([
        import('../lib/log'),
        import('../lib/platform/log-for-people'),
      ]);
      if (command.opts().verbose) logToStderr('debug');
      else logToStderr('warn', forPeople);
    })
    .configureHelp({ sortSubcommands: true })
    .showHelpAfterError();
  const context: CommandContext = {
    services: async () => {
      const [{ loadConfig, processEnvironment }, { cliServices }, { withSandboxSettings }] =
        await Promise.all([
          import('../lib/config'),
          import('../lib/platform/wiring/cli'),
          import('./sandbox-settings'),
        ]);
      return cliServices(
        loadConfig(withSandboxSettings(env ?? processEnvironment(), settingsFile)),
      );
    },
  };
  for (const register of Object.values(commands)) register(program, context);
  return program;
}

/**
 * Runs one command. A configuration error with no sandbox to fill the environment in says
 * so, and how to start one, rather than only naming the variable.
 */
export async function main(
  argv = process.argv,
  env?: NodeJS.ProcessEnv,
  settingsFile = SETTINGS_FILE,
): Promise<void> {
  try {
    await buildProgram(env, settingsFile).parseAsync(argv);
  } catch (error: unknown) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    const [{ ConfigError }, { sandboxHint }] = await Promise.all([
      import('../lib/errors'),
      import('./sandbox-settings'),
    ]);
    const hint = error instanceof ConfigError ? sandboxHint(settingsFile) : undefined;
    if (hint) console.error(`  ${hint}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
