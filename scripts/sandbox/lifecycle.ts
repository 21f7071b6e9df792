import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Emulators } from './emulators';
import { watchAncestors } from './parent-watch';
import { stopServer } from './server';
import { removeSettings } from './settings';

/**
 * Stops everything the sandbox started, once, on Ctrl-C, SIGTERM, the server's own exit, or
 * when whatever started the sandbox (npm, sh, tsx) is gone, rather than run on orphaned.
 * The process exits once the server has exited, so its port is free by then.
 */
export function stopTogether(offline: ChildProcess, emulators: Emulators, buildDir: string): void {
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    removeSettings();
    await Promise.all([stopServer(offline), emulators.stop()]);
    // Its own build (about 30 MB, one per port): the next start builds afresh anyway.
    rmSync(buildDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));
  watchAncestors(() => void stop(0));
  offline.on('exit', (code, signal) => {
    if (stopping) return;
    // A Ctrl-C in a terminal reaches the whole process group: serverless may take it first
    // and exit 130 (or 143 for SIGTERM) before this process's own handler runs. That is a
    // stop asked for, not a failure.
    if (code === 130 || code === 143 || signal === 'SIGINT' || signal === 'SIGTERM') {
      void stop(0);
      return;
    }
    console.error(`serverless offline exited (${code}); run with SANDBOX_VERBOSE=1 to see why`);
    void stop(code ?? 1);
  });
}
