import type { Config } from '../../lib/config';
import { SETTINGS_FILE } from './settings';

/** The "ready" lines: where it listens, the key and token, and commands to paste. */
export function printReady(config: Config, dispatch: string | undefined, settings: boolean): void {
  const base = `http://localhost:${config.platform.port}`;
  const apiKey = config.http.apiKeys[0];
  console.log(`• Sandbox ready at ${base}  (Ctrl-C stops it)`);
  console.log(`• Browse the archive: ${base}/app?date=2019-06-14  (sign in with the API key)`);
  console.log(`• API key: ${apiKey}`);
  console.log(`• Push token: ${config.http.reportsToken}`);
  console.log(`• Archive: ${config.archive.url}  (dispatch: ${dispatch})`);
  if (settings)
    console.log(`• Settings for the CLI: ${SETTINGS_FILE} (npx vms-call-archive … uses them)`);
  console.log('\nTry:');
  console.log(
    `  curl -H 'x-api-key: ${apiKey}' '${base}/calls/1045001/13000000000?date=2019-06-14'`,
  );
  console.log(
    `  curl -H 'content-type: application/json' --data @events/http/reports-body.json '${base}/reports/${config.http.reportsToken}'`,
  );
}
