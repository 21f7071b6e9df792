import type { ChildProcess } from 'node:child_process';
import type { Emulators } from './emulators';
import { stopServer } from './server';
import { removeSettings } from './settings';

/**
 * Stops everything the sandbox started, once, on Ctrl-C, SIGTERM, the server's own exit, or
 * when whatever started the sandbox (npm, tsx) is gone, rather than run on orphaned.
 */
export function stopTogether(offline: ChildProcess, emulators: Emulators): void {
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    stopServer(offline);
    removeSettings();
    await emulators.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(0);
  }, 300).unref();
  offline.on('exit', (code) => {
    if (!stopping) {
      console.error(`serverless offline exited (${code}); run with SANDBOX_VERBOSE=1 to see why`);
      void stop(code ?? 1);
    }
  });
}
