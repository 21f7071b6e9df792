import type { Config } from '../../lib/config';
import * as timers from './timers';
import type { SandboxTimer } from './timers/timer';

/** The first run comes soon after start, so a person sees each timer work once. */
const FIRST_RUN_MS = 5_000;

/** Starts every timer of scripts/sandbox/timers/; none keeps the process alive by itself. */
export function startTimers(config: Config, lambdaPort: number): void {
  for (const timer of Object.values(timers)) {
    const run = () => runOnce(timer, lambdaPort);
    setInterval(run, timer.everyMinutes(config) * 60_000).unref();
    setTimeout(run, FIRST_RUN_MS).unref();
  }
}

async function runOnce(timer: SandboxTimer, lambdaPort: number): Promise<void> {
  const url = `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/vms-call-archive-dev-${timer.functionName}/invocations`;
  try {
    const response = await fetch(url, { method: 'POST', body: '{}' });
    console.log(timer.describe(await response.json()));
  } catch (error: unknown) {
    console.log(
      `! ${timer.functionName} run failed: ${error instanceof Error ? error.message : error}`,
    );
  }
}
