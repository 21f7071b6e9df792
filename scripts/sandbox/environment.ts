import { randomBytes } from 'node:crypto';
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
  // Tells the configuration it runs in the sandbox, where short secrets of your own are fine.
  env.VMS_SANDBOX = '1';
  env.ARCHIVE_URL ||= `file://${join(root, 'archive')}`;
  env.DISPATCH ||= 'local';
  // serverless.yml defaults to reading secrets from SSM; the sandbox has them in its env.
  env.SECRETS_SSM_PATH ??= '';
  return loadConfig(env);
}
