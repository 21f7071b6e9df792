import type { Command } from 'commander';
import type { cliServices } from '../lib/platform/wiring/cli';

/**
 * What every command is handed: its collaborators, built only once it runs. Commands load
 * the use cases they run with `await import()` inside their action, so `--help` and
 * `--version` evaluate none of lib/ (the bundle defers each module until it is imported).
 */
export interface CommandContext {
  /**
   * Built when a command runs, so `--help` works with any environment; a running sandbox's
   * settings fill in what the environment leaves unset.
   */
  services(): Promise<ReturnType<typeof cliServices>>;
}

/**
 * One `vms-call-archive <name>` command: a file in cli/commands/ that adds itself to the
 * program (options, description, action) and a line in cli/commands/index.ts.
 */
export type CliCommand = (program: Command, context: CommandContext) => void;
