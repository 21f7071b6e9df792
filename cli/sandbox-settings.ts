import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { SETTINGS_FILE } from './settings-file';

export { SETTINGS_FILE };

const SettingsSchema = z.object({
  pid: z.number().int().positive(),
  base: z.string().optional(),
  env: z.record(z.string(), z.string().optional()),
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether a sandbox's settings are there to use, and if not, why not. */
export type SandboxState =
  | { kind: 'running'; env: Record<string, string | undefined> }
  | { kind: 'none' }
  | { kind: 'stale'; pid?: number };

export function sandboxState(file = SETTINGS_FILE): SandboxState {
  if (!existsSync(file)) return { kind: 'none' };
  let parsed: ReturnType<typeof SettingsSchema.safeParse>;
  try {
    parsed = SettingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { kind: 'stale' };
  }
  if (!parsed.success) return { kind: 'stale' };
  if (!alive(parsed.data.pid)) return { kind: 'stale', pid: parsed.data.pid };
  return { kind: 'running', env: parsed.data.env };
}

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
  const state = sandboxState(file);
  if (state.kind !== 'running') return env;
  const filled = Object.entries(state.env).filter(
    ([name, value]) => value !== undefined && env[name] === undefined,
  );
  if (filled.length === 0) return env;
  say(
    `using the running sandbox's settings from ${file} for ${filled.map(([name]) => name).join(', ')}`,
  );
  return { ...env, ...Object.fromEntries(filled) };
}

/**
 * What to add to a configuration error when no sandbox filled the environment in: that none
 * runs (or that its settings file is left from one that is gone), and how to start one.
 */
export function sandboxHint(file = SETTINGS_FILE): string | undefined {
  const state = sandboxState(file);
  const start =
    'start one with `npm start` in another terminal (the CLI then finds it by itself), or set the variables yourself (README "Reference: configuration")';
  if (state.kind === 'none') return `no sandbox is running in this checkout: ${start}`;
  if (state.kind === 'stale')
    return `${file} is stale: the sandbox that wrote it${state.pid ? ` (pid ${state.pid})` : ''} is gone; ${start}`;
  return undefined;
}
