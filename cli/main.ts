import { Command } from 'commander';
import { loadConfig, processEnvironment } from '../lib/config';
import { ConfigError } from '../lib/errors';
import { logToStderr } from '../lib/log';
import { forPeople } from '../lib/platform/log-for-people';
import { cliServices } from '../lib/platform/wiring';
import type { CommandContext } from './command';
import * as commands from './commands';
import { SETTINGS_FILE, sandboxHint, withSandboxSettings } from './sandbox-settings';

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
    .hook('preAction', (command) =>
      command.opts().verbose ? logToStderr('debug') : logToStderr('warn', forPeople),
    )
    .configureHelp({ sortSubcommands: true })
    .showHelpAfterError();
  const context: CommandContext = {
    services: () =>
      cliServices(loadConfig(withSandboxSettings(env ?? processEnvironment(), settingsFile))),
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
  logToStderr('warn', forPeople);
  try {
    await buildProgram(env, settingsFile).parseAsync(argv);
  } catch (error: unknown) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    const hint = error instanceof ConfigError ? sandboxHint(settingsFile) : undefined;
    if (hint) console.error(`  ${hint}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
