import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../lib/config';

/** Where `npm start` writes its settings for the CLI (gitignored; removed when it stops). */
export const SETTINGS_FILE = join(__dirname, '..', '..', '.sandbox.json');

/**
 * What the CLI (and `npm run invoke`) need to reach this sandbox: its emulator's endpoint
 * and keys, the archive, the API key and push token, the ports. Local, random and only
 * good against this sandbox; readable by this user alone.
 */
export function writeSettings(env: NodeJS.ProcessEnv, config: Config, emulated: boolean): void {
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
}

export function removeSettings(): void {
  rmSync(SETTINGS_FILE, { force: true });
}
