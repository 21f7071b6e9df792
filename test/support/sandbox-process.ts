import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface SandboxProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  base: string;
  apiKey: string;
  token: string;
  /** Everything the sandbox printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<number | null>;
}

/**
 * The sandbox as a child process on free ports, resolved once it has printed its API key,
 * push token and the ready-to-paste commands (the last lines): `tsx scripts/sandbox.ts`,
 * or with `npm: true` the very `npm start` a person types (then `child` is npm itself).
 * `env` is the whole environment: the caller decides what is unset.
 */
export async function startSandbox(
  env: NodeJS.ProcessEnv,
  options: { port?: number; npm?: boolean } = {},
): Promise<SandboxProcess> {
  const port = options.port ?? (await freePort());
  const [command, args] = options.npm
    ? ['npm', ['start']]
    : [join(root, 'node_modules', '.bin', 'tsx'), ['scripts/sandbox.ts']];
  const child = spawn(command, args, { cwd: root, env: { ...env, PORT: String(port) } });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const apiKey = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const key = /API key: (\S+)/.exec(output)?.[1];
      if (key && /curl .*\/reports\/\S+'\n/.test(output)) {
        clearInterval(timer);
        resolve(key);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`sandbox exited early:\n${output}`));
      }
    }, 100);
  });
  const token = /Push token: (\S+)/.exec(output)?.[1] ?? '';
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    apiKey,
    token,
    output: () => output,
    exited,
  };
}

/**
 * This process's environment as a newcomer's would be for `npm start`: no cloud
 * credentials, keys, token or dispatch of ours, and the archive in `archiveDir`.
 */
export function sandboxEnv(archiveDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ARCHIVE_URL: `file://${archiveDir}` };
  for (const name of [
    'ALIBABA_CLOUD_ACCESS_KEY_ID',
    'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    'API_KEYS',
    'REPORTS_TOKEN',
    'DISPATCH',
    'DYVMS_ENDPOINT',
    'RECORDING_HOSTS',
  ])
    delete env[name];
  return env;
}
