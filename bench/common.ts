/** What every benchmark shares: where the repository is, the figures so far, and how to report one. */
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { RecordingHost } from '../emulators/recording-host/server';
import { setLogSink } from '../lib/log';
import { type Figure, printFigure } from './stats';

export const run = promisify(execFile);
export const root = join(__dirname, '..');
export const MB = 1024 * 1024;
export const figures: Figure[] = [];
export const quiet = () => {
  // The archive logs a record per call; a benchmark prints figures only.
  setLogSink(() => undefined);
  console.log = () => undefined;
  console.error = () => undefined;
};
export const say = console.log.bind(console);
export const report = (figure: Figure) => {
  figures.push(figure);
  printFigure(figure);
};
export const seconds = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
};

export function readToNull(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The recording host in a child process; answers a signer for its URLs, and a stop. */
export async function hostInOwnProcess(
  recordings: Record<string, { size: number; seed: number }>,
): Promise<{ signedUrl(name: string): string; stop(): void }> {
  const secret = 'bench-host-secret';
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'emulators', 'recording-host', 'serve.ts'),
      JSON.stringify(recordings),
      secret,
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n')[0];
      if (text.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  const signer = new RecordingHost(secret);
  signer.url = url;
  return { signedUrl: (name) => signer.signedUrl(name), stop: () => child.stdin.end() };
}
