/**
 * `npm start`: the whole service on one local port, no cloud account needed.
 *
 * Every variable of docs/design.md "Configuration" applies here too; the sandbox only fills in what is unset:
 * API_KEYS (generated, printed), and, when no Alibaba Cloud credentials are set, the
 * bundled Dyvmsapi emulator with sample calls (and a key pair only it accepts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { campaignCalls, sampleCalls } from '../emulators/dyvms/sample-calls';
import { DyvmsEmulator } from '../emulators/dyvms/server';
import { RecordingHost } from '../emulators/recording-host/server';
import { loadConfig } from '../lib/config';
import { buildWeb } from './build-web';

/** The seed call's recording: 30 s of 8 kHz 16-bit mono, as the Voice Service records. */
const SEED_RECORDING = 'Freeswitch_RU_117074080001_ccd71132-8256-4eb4-9217-884e1d87c0d4_record.wav';

const root = join(__dirname, '..');
const env: NodeJS.ProcessEnv = { ...process.env };
const generated = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** Where `npm start` writes its settings for the CLI (gitignored; removed when it stops). */
export const SETTINGS_FILE = join(root, '.sandbox.json');

/** Resolves when `port` can be bound on 127.0.0.1 (0: a free one, which it answers). */
function bindable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : port));
    });
  });
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline)
          reject(new Error(`nothing listened on port ${port} in ${timeoutMs} ms`));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

async function main(): Promise<void> {
  // Every port is checked before anything starts: a second sandbox must not answer
  // "ready" with keys that belong to nothing.
  const port = Number(env.PORT || 3000);
  if ((await bindable(port)) === undefined) {
    throw new Error(
      `port ${port} (PORT) is taken: is another sandbox running? Stop it, or start this one with PORT=<another port>`,
    );
  }
  if (env.SANDBOX_LAMBDA_PORT) {
    if ((await bindable(Number(env.SANDBOX_LAMBDA_PORT))) === undefined)
      throw new Error(`port ${env.SANDBOX_LAMBDA_PORT} (SANDBOX_LAMBDA_PORT) is taken`);
  } else {
    // serverless offline's Lambda API, used by the reconcile timer: any free port.
    env.SANDBOX_LAMBDA_PORT = String(await bindable(0));
  }
  let emulator: DyvmsEmulator | undefined;
  let recordingHost: RecordingHost | undefined;
  if (!env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    const keyId = generated('LTAIsandbox');
    const secret = generated('sandbox');
    recordingHost = new RecordingHost();
    await recordingHost.start();
    recordingHost.addRecording(SEED_RECORDING, { size: 480_044, seed: 1 });
    // The seed's calls, and a campaign of 300 (task 2000001) for README's backfill tour.
    const campaign = campaignCalls();
    for (const call of campaign)
      if (call.recording) recordingHost.addRecording(call.recording, { size: 24_044, seed: 7 });
    const calls = [
      ...sampleCalls().map((call) =>
        call.callee === '13000000000' ? { ...call, recording: SEED_RECORDING } : call,
      ),
      ...campaign,
    ];
    emulator = new DyvmsEmulator({ calls, credentials: { [keyId]: secret } });
    const url = await emulator.start(Number(env.SANDBOX_EMULATOR_PORT ?? 0));
    const host = recordingHost;
    emulator.useRecordingHost((name) => host.signedUrl(name));
    // The emulated recording host is on 127.0.0.1: allow it, unless told otherwise.
    env.RECORDING_HOSTS ||= '.aliyuncs.com,.aliyun-inc.com,127.0.0.1';
    if (env.DYVMS_ENDPOINT)
      console.log(`! no Alibaba Cloud credentials: DYVMS_ENDPOINT=${env.DYVMS_ENDPOINT} ignored`);
    Object.assign(env, {
      ALIBABA_CLOUD_ACCESS_KEY_ID: keyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret,
      DYVMS_ENDPOINT: url,
    });
    console.log(
      `• Dyvmsapi emulator with ${calls.length} sample calls (task 2000001: ${campaign.length}, for backfill) at ${url}`,
    );
    console.log(`• Recording host emulator at ${recordingHost.url}`);
  } else {
    console.log(
      `• Using the real Voice Service at ${env.DYVMS_ENDPOINT ?? 'dyvmsapi.aliyuncs.com'}`,
    );
  }
  // A blank value is no value: generate one rather than start with a key that is nothing.
  if (!env.API_KEYS?.trim()) env.API_KEYS = generated('sbx');
  if (!env.REPORTS_TOKEN?.trim()) env.REPORTS_TOKEN = generated('push');
  env.BROWSE_SESSION_SECRET ||= randomBytes(32).toString('base64');
  // The archive browser's page, built from web/src (browse serves it itself).
  await buildWeb();
  // Tells the configuration it runs in the sandbox, where short secrets of your own are fine.
  env.VMS_SANDBOX = '1';
  env.ARCHIVE_URL ||= `file://${join(root, 'archive')}`;
  env.DISPATCH ||= 'local';
  // serverless.yml defaults to reading secrets from SSM; the sandbox has them in its env.
  env.SECRETS_SSM_PATH ??= '';
  // Fail here, naming the variable, rather than on the first request.
  const config = loadConfig(env);
  const apiKey = config.http.apiKeys[0] as string;

  const offline: ChildProcess = spawn(
    join(root, 'node_modules', '.bin', 'serverless'),
    ['offline', 'start', '--httpPort', String(config.platform.port), '--host', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...env,
        // The child ends itself when this process is gone (scripts/watch-parent.cjs).
        NODE_OPTIONS: [env.NODE_OPTIONS, `--require ${join(root, 'scripts', 'watch-parent.cjs')}`]
          .filter(Boolean)
          .join(' '),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  // What a person wants to see: one short line per push and per archived call, warnings
  // and errors; the functions' JSON and serverless offline's own lines with SANDBOX_VERBOSE=1.
  for (const stream of [offline.stdout, offline.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      if (env.SANDBOX_VERBOSE) {
        process.stdout.write(chunk);
        return;
      }
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const human = humanLine(line);
        if (human) console.log(human);
      }
    });
  }

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (offline.pid !== undefined && offline.exitCode === null) {
      try {
        process.kill(-offline.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(SETTINGS_FILE, { force: true });
    await emulator?.stop();
    await recordingHost?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // Whatever started us (npm, tsx) killed outright: stop too, rather than run on orphaned.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(0);
  }, 300).unref();
  offline.on('exit', (code) => {
    if (!stopping) {
      console.error(`serverless offline exited (${code}); run with SANDBOX_VERBOSE=1 to see why`);
      void stop(code ?? 1);
    }
  });

  await waitForPort(config.platform.port, 120_000);
  const base = `http://localhost:${config.platform.port}`;
  // Load both functions now rather than on the first real push (which has 700 ms): the
  // push receiver also takes up the jobs a killed sandbox left in _pending/ as it loads.
  await Promise.all([
    fetch(`http://127.0.0.1:${config.platform.port}/reports/${config.http.reportsToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    }),
    // With the key, and the seed call when it is the emulator's: no warning to read past.
    fetch(
      emulator
        ? `http://127.0.0.1:${config.platform.port}/calls/1045001/13000000000?date=2019-06-14`
        : `http://127.0.0.1:${config.platform.port}/calls/0/0?date=2019-06-14`,
      { headers: { 'x-api-key': apiKey } },
    ),
  ]);
  writeSettings(config, apiKey, emulator !== undefined);
  startReconcileTimer(config.reconcile.everyMinutes, Number(env.SANDBOX_LAMBDA_PORT ?? 3002));
  console.log(`• Sandbox ready at ${base}  (Ctrl-C stops it)`);
  console.log(`• Browse the archive: ${base}/app?date=2019-06-14  (sign in with the API key)`);
  console.log(`• API key: ${apiKey}`);
  console.log(`• Push token: ${config.http.reportsToken}`);
  console.log(`• Archive: ${config.archive.url}  (dispatch: ${env.DISPATCH})`);
  console.log(`• Settings for the CLI: ${SETTINGS_FILE} (npx vms-call-archive … uses them)`);
  console.log('\nTry:');
  console.log(
    `  curl -H 'x-api-key: ${apiKey}' '${base}/calls/1045001/13000000000?date=2019-06-14'`,
  );
  console.log(
    `  curl -H 'content-type: application/json' --data @events/http/reports-body.json '${base}/reports/${config.http.reportsToken}'`,
  );
}

/** A function's JSON log line as one short line for a person, or undefined to leave it out. */
function humanLine(line: string): string | undefined {
  const start = line.indexOf('{"level"');
  if (start < 0) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line.slice(start)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const dir = String(entry.detailKey ?? '').replace(/\/detail\.json$/, '');
  switch (entry.message) {
    case 'push received':
      // The sandbox's own warm-up is an empty push: not news.
      if (entry.records === 0) return undefined;
      return `• push: ${entry.records} records, ${entry.accepted} accepted, ${entry.rejected} rejected`;
    case 'archived':
      return `• archived ${dir} ${Math.round(Number(entry.bytes) / 1024)} KB in ${Number(entry.seconds).toFixed(1)} s`;
    case 'archived without recording':
      return `• archived ${dir} (no recording)`;
    case 'job parked':
      return `! parked ${entry.key}: ${entry.reason}`;
    default:
      return entry.level === 'warn' || entry.level === 'error'
        ? `! ${entry.message}${entry.error ? `: ${entry.error}` : ''}`
        : undefined;
  }
}

/**
 * What the CLI (and `npm run invoke`) need to reach this sandbox: its emulator's endpoint
 * and keys, the archive, the API key and push token, the ports. Local, random and only
 * good against this sandbox; readable by this user alone.
 */
function writeSettings(
  config: ReturnType<typeof loadConfig>,
  apiKey: string,
  emulated: boolean,
): void {
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
      API_KEYS: apiKey,
      REPORTS_TOKEN: config.http.reportsToken,
      DISPATCH: 'local',
      VMS_SANDBOX: '1',
      SECRETS_SSM_PATH: '',
      PORT: String(config.platform.port),
      SANDBOX_LAMBDA_PORT: env.SANDBOX_LAMBDA_PORT,
    },
  };
  writeFileSync(SETTINGS_FILE, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
}

/**
 * The platforms run reconcile from their scheduler; the sandbox from a timer, through
 * serverless offline's Lambda API (so it runs in the same process as the other functions,
 * with DISPATCH=local archiving what it finds missing). One line per run.
 */
function startReconcileTimer(everyMinutes: number, lambdaPort: number): void {
  const url = `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/vms-call-archive-dev-reconcile/invocations`;
  const run = async () => {
    try {
      const response = await fetch(url, { method: 'POST', body: '{}' });
      const summary = (await response.json()) as Record<string, unknown>;
      const failed = Array.isArray(summary.failed) ? summary.failed.length : '?';
      console.log(
        `• reconcile: ${summary.tasksSeen} recent tasks, ${summary.callsListed} calls listed, ${summary.alreadyArchived} archived, ${summary.dispatched} dispatched, ${failed} failed`,
      );
    } catch (error: unknown) {
      console.log(`! reconcile run failed: ${error instanceof Error ? error.message : error}`);
    }
  };
  setInterval(run, everyMinutes * 60_000).unref();
  setTimeout(run, 5_000).unref();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
