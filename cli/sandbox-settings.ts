import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm start` writes its settings (scripts/sandbox.ts). */
export const SETTINGS_FILE = join(__dirname, '..', '.sandbox.json');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The environment with a running sandbox's settings filled in where a variable is unset,
 * so `npx vms-call-archive status …` finds the sandbox by itself. Says so on stderr. A
 * settings file left by a sandbox that is gone is ignored.
 */
export function withSandboxSettings(
  env: NodeJS.ProcessEnv,
  file = SETTINGS_FILE,
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): NodeJS.ProcessEnv {
  if (!existsSync(file)) return env;
  let settings: { pid?: number; env?: Record<string, string | undefined> };
  try {
    settings = JSON.parse(readFileSync(file, 'utf8')) as typeof settings;
  } catch {
    return env;
  }
  if (!settings.pid || !alive(settings.pid) || !settings.env) return env;
  const filled = Object.entries(settings.env).filter(
    ([name, value]) => value !== undefined && env[name] === undefined,
  );
  if (filled.length === 0) return env;
  say(
    `using the running sandbox's settings from ${file} for ${filled.map(([name]) => name).join(', ')}`,
  );
  return { ...env, ...Object.fromEntries(filled) };
}
