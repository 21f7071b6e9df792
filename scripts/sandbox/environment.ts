import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../lib/config';
import { generated } from './emulators';

/**
 * The sandbox's own defaults for what the environment leaves unset (keys, token, session
 * secret, archive folder, dispatch), then the configuration, loaded here so a bad variable
 * fails at start, named, rather than on the first request.
 */
export function sandboxConfig(env: NodeJS.ProcessEnv, root: string): Config {
  // A blank value is no value: generate one rather than start with a key that is nothing.
  if (!env.API_KEYS?.trim()) env.API_KEYS = generated('sbx');
  if (!env.REPORTS_TOKEN?.trim()) env.REPORTS_TOKEN = generated('push');
  env.BROWSE_SESSION_SECRET ||= randomBytes(32).toString('base64');
  env.AUDIT_HASH_SECRET ||= sandboxHashSecret(root);
  // Tells the configuration it runs in the sandbox, where short secrets of your own are fine.
  env.VMS_SANDBOX = '1';
  env.ARCHIVE_URL ||= `file://${join(root, 'archive')}`;
  env.DISPATCH ||= 'local';
  // serverless.yml defaults to reading secrets from SSM; the sandbox has them in its env.
  env.SECRETS_SSM_PATH ??= '';
  return loadConfig(env);
}

/**
 * The sandbox's AUDIT_HASH_SECRET, generated once and kept beside the repository (0600,
 * gitignored): suppressed numbers and holds by callee are matched by their HMAC under it,
 * so a new secret at each start would forget them.
 */
function sandboxHashSecret(root: string): string {
  const file = join(root, '.sandbox-audit-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
