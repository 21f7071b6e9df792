import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../lib/config';

/** Where `npm start` writes its settings for the CLI (gitignored; removed when it stops). */
export const SETTINGS_FILE = join(__dirname, '..', '..', '.sandbox.json');

const Owner = z.object({ pid: z.number(), base: z.string().optional() });

/** The other live sandbox of this checkout that owns the settings file, if there is one. */
export function otherOwner(): { pid: number; base?: string } | undefined {
  let owner: z.infer<typeof Owner>;
  try {
    owner = Owner.parse(JSON.parse(readFileSync(SETTINGS_FILE, 'utf8')));
  } catch {
    return undefined;
  }
  if (owner.pid === process.pid) return undefined;
  try {
    process.kill(owner.pid, 0);
    return owner;
  } catch {
    return undefined;
  }
}

/**
 * What the CLI (and `npm run invoke`) need to reach this sandbox: its emulator's endpoint
 * and keys, the archive, the API key and push token, the ports. Local, random and only
 * good against this sandbox; readable by this user alone. A second sandbox in the same
 * checkout leaves the first one's file alone and says so: the CLI keeps talking to the
 * first. Answers whether it wrote the file.
 */
export function writeSettings(env: NodeJS.ProcessEnv, config: Config, emulated: boolean): boolean {
  const other = otherOwner();
  if (other) {
    console.log(
      `! ${SETTINGS_FILE} belongs to the sandbox at ${other.base ?? '?'} (pid ${other.pid}): the CLI and npm run invoke talk to that one, not to this one`,
    );
    return false;
  }
  const settings = {
    pid: process.pid,
    base: `http://127.0.0.1:${config.platform.port}`,
    env: {
      // Only the emulator's own keys: real credentials stay in your environment, never a file.
      ...(emulated
        ? {
            ALIBABA_CLOUD_ACCESS_KEY_ID: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
          }
        : {}),
      DYVMS_ENDPOINT: env.DYVMS_ENDPOINT,
      RECORDING_HOSTS: env.RECORDING_HOSTS,
      ARCHIVE_URL: config.archive.url,
      API_KEYS: config.http.apiKeys[0],
      REPORTS_TOKEN: config.http.reportsToken,
      AUDIT_HASH_SECRET: config.lifecycle.hashSecret,
      DISPATCH: 'local',
      VMS_SANDBOX: '1',
      SECRETS_SSM_PATH: '',
      PORT: String(config.platform.port),
      SANDBOX_LAMBDA_PORT: env.SANDBOX_LAMBDA_PORT,
    },
  };
  writeFileSync(SETTINGS_FILE, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  return true;
}

/** Removes the settings file when it is this sandbox's (never another sandbox's). */
export function removeSettings(): void {
  try {
    if (Owner.parse(JSON.parse(readFileSync(SETTINGS_FILE, 'utf8'))).pid !== process.pid) return;
  } catch {
    return;
  }
  rmSync(SETTINGS_FILE, { force: true });
}
