import type { Config } from '../../../lib/config';

/**
 * A scheduled function the platforms run from their scheduler and the sandbox from a timer,
 * through serverless offline's Lambda API (so it runs in the same process as the other
 * functions, with DISPATCH=local). One file per timer in this folder and a line in its index.ts.
 */
export interface SandboxTimer {
  /** The function's name in serverless.yml (`functions:`). */
  functionName: string;
  /** How often it runs, from the configuration the deployed schedule uses too. */
  everyMinutes(config: Config): number;
  /** One line for a person about a run, from the function's answer. */
  describe(answer: unknown): string;
}
