/**
 * `npm run invoke -- <function> <event.json>`: `serverless invoke local` of one function
 * with one sample event, against the running sandbox (`npm start`): its emulator, its
 * archive, and the key and token the samples in events/ carry. Exits non-zero when the
 * handler answers 5xx or throws, so a script can rely on the exit code.
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxState } from '../cli/sandbox-settings';

const root = join(__dirname, '..');
const [fn, event] = process.argv.slice(2);
if (!fn || !event) {
  console.error(
    'usage: npm run invoke -- <lookup|reports|archive|reconcile> <events/…/sample.json>',
  );
  process.exit(2);
}
const settingsFile = join(root, '.sandbox.json');
if (!existsSync(settingsFile)) {
  console.error(
    'no running sandbox: start it with `npm start` in another terminal (its settings are in .sandbox.json), or run `npx serverless invoke local` with the variables of README "Reference: configuration" set yourself',
  );
  process.exit(2);
}
const sandbox = sandboxState(settingsFile);
if (sandbox.kind !== 'running') {
  console.error(`${settingsFile} is stale (its sandbox is gone): start one with \`npm start\``);
  process.exit(2);
}
const settings = { env: sandbox.env };
const result = spawnSync(
  join(root, 'node_modules', '.bin', 'serverless'),
  ['invoke', 'local', '-f', fn, '--path', event],
  {
    cwd: root,
    encoding: 'utf8',
    env: {
      // Your environment wins; the sandbox's settings fill in what it leaves unset.
      ...settings.env,
      ...process.env,
      // The key and token the samples in events/ carry (short: fine in the sandbox).
      API_KEYS: `${settings.env.API_KEYS},sandbox-key`,
      REPORTS_TOKEN: 'sandbox-token',
    },
  },
);
process.stdout.write(result.stdout ?? '');
process.stderr.write(result.stderr ?? '');
const status = /"statusCode": (\d{3})/.exec(result.stdout ?? '')?.[1];
if (result.status !== 0) process.exit(result.status ?? 1);
if (status !== undefined && Number(status) >= 500) {
  console.error(`the handler answered ${status}`);
  process.exit(1);
}
if (/"errorMessage"|Error:/.test(result.stdout ?? '') && status === undefined) process.exit(1);
