/**
 * `npm start`: the whole service on one local port, no cloud account needed.
 *
 * Every variable of docs/design.md "Configuration" applies here too; the sandbox only fills in what is unset:
 * API_KEYS (generated, printed), and, when no Alibaba Cloud credentials are set, the
 * bundled Dyvmsapi emulator with sample calls (and a key pair only it accepts).
 *
 * What it starts, in order, one module each in scripts/sandbox/.
 */
import { join } from 'node:path';
import { loadConfig, requireArchiveUrl } from '../lib/config';
import { buildWeb } from './build-web';
import { ensureArchiveFolder } from './sandbox/archive-folder';
import { startEmulators } from './sandbox/emulators';
import { sandboxConfig } from './sandbox/environment';
import { indexAtStart } from './sandbox/index-at-start';
import { stopTogether } from './sandbox/lifecycle';
import { reservePorts } from './sandbox/ports';
import { printReady } from './sandbox/printout';
import { startTimers } from './sandbox/run-timers';
import { sandboxBuildDir, startServer, warmUp } from './sandbox/server';
import { writeSettings } from './sandbox/settings';

const root = join(__dirname, '..');

async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Every variable checked before anything starts (PORT=abc names PORT, not a NaN).
  const { platform } = loadConfig(env);
  await reservePorts(env, platform);
  const emulators = await startEmulators(env, platform.sandboxEmulatorPort);
  // The archive browser's page, built from web/src (browse serves it itself).
  await buildWeb();
  const config = sandboxConfig(env, root);
  // A folder it cannot write is named now, not after "ready" as 503s.
  await ensureArchiveFolder(requireArchiveUrl(config));
  await indexAtStart(config);
  const offline = startServer(env, config, root);
  stopTogether(offline, emulators, join(root, sandboxBuildDir(config.platform.port)));
  await warmUp(config, emulators.emulated);
  const settings = writeSettings(env, config, emulators.emulated);
  startTimers(config, Number(env.SANDBOX_LAMBDA_PORT));
  printReady(config, env.DISPATCH, settings);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
