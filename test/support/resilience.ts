export { waitUntil } from './wait';

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DyvmsEmulator, type EmulatorCall } from '../../emulators/dyvms/server';
import { type Recording, RecordingHost } from '../../emulators/recording-host/server';
import { KEY_ID, SECRET } from './harness';

const root = join(__dirname, '..', '..');

/**
 * Figures of the latest run, one JSON file per test under `resilience-report/` (not
 * committed); `npm run test:resilience` prints them and RESILIENCE.md quotes them.
 */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  const dir = join(root, 'resilience-report');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  console.info(`resilience figures ${name}: ${JSON.stringify(figures)}`);
}

/** One synthetic robot call of task `taskId`, with its recording and push record. */
export interface SyntheticCall {
  call: EmulatorCall;
  recordingName: string;
  recording: Recording;
  callId: string;
  report: Record<string, unknown>;
}

/** `count` distinct calls on 2019-06-14, with small recordings of varied size. */
export function syntheticCalls(count: number, taskId = '2001', firstSeed = 1): SyntheticCall[] {
  return Array.from({ length: count }, (_, index) => {
    const n = firstSeed + index;
    const callee = `139${String(n).padStart(8, '0')}`;
    const callId = `${900000000000 + n}^${700000000000 + n}`;
    const recordingName = `Freeswitch_RU_${n}_load_record.wav`;
    const second = String(n % 60).padStart(2, '0');
    return {
      callId,
      recordingName,
      recording: { size: 1024 + ((n * 7919) % 15_000), seed: n },
      call: {
        taskId,
        callee,
        date: '2019-06-14',
        recording: recordingName,
        data: {
          taskId: Number(taskId),
          caller: '0571-88996676',
          called: callee,
          duration: String(n % 300),
          label: '邀约，有房',
          dialogCount: '2',
          callResult: '接通',
          hangupDirection: '0',
          transferResult: '3',
          callId,
          recallCurTimes: 0,
          callStartTime: `2019.06.14 10:00:${second}`,
          callEndTime: `2019.06.14 10:05:${second}`,
          sureCount: 1,
          denyCount: 0,
          rejectCount: 0,
          customCount: 0,
          konwledgeCount: 0,
          defaultCount: 0,
          knowledgeBusinessCount: 0,
          knowledgeCommonCount: 0,
          recordStatus: 1,
          dialogDetail: [],
        },
      },
      report: {
        call_id: callId,
        callee,
        caller: '0571-88996676',
        start_time: `2019-06-14 10:00:${second}`,
        end_time: `2019-06-14 10:05:${second}`,
        duration: String(n % 300),
        status_code: '200000',
        out_id: `ALICOM_SMART_SAAS^${taskId}^${n}`,
      },
    };
  });
}

/** Every file under `dir`, as paths relative to it (asynchronously: the emulators share this event loop). */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string): Promise<void> => {
    const entries = await readdir(at, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(dir, path));
    }
  };
  await walk(dir);
  return out;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** What must never be in a log line: a full mobile number, the AccessKey secret, an OSS URL signature. */
export function leaksIn(lines: readonly string[], secret: string): Record<string, string[]> {
  const leaks: Record<string, string[]> = { phone: [], secret: [], signedUrl: [] };
  for (const line of lines) {
    if (/(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/.test(line)) leaks.phone?.push(line);
    if (line.includes(secret)) leaks.secret?.push(line);
    if (/Signature=|OSSAccessKeyId=/.test(line)) leaks.signedUrl?.push(line);
  }
  return leaks;
}

/** What a sandbox run talks to: both emulators, in this process, serving `calls`. */
export interface Upstream {
  dyvms: DyvmsEmulator;
  host: RecordingHost;
  /** The sandbox's environment for this upstream, a `file://` archive and DISPATCH=local. */
  sandboxEnv(archive: string, name: string, maxRps: number): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startUpstream(calls: readonly SyntheticCall[]): Promise<Upstream> {
  const host = new RecordingHost();
  await host.start();
  for (const c of calls) host.addRecording(c.recordingName, c.recording);
  const dyvms = new DyvmsEmulator({
    calls: calls.map((c) => c.call),
    credentials: { [KEY_ID]: SECRET },
  });
  await dyvms.start();
  dyvms.useRecordingHost((name) => host.signedUrl(name));
  return {
    dyvms,
    host,
    sandboxEnv: (archive, name, maxRps) => ({
      ...process.env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
      DYVMS_ENDPOINT: dyvms.url,
      DYVMS_MAX_RPS: String(maxRps),
      RECORDING_HOSTS: '127.0.0.1',
      ARCHIVE_URL: `file://${archive}`,
      API_KEYS: `${name}-key`,
      REPORTS_TOKEN: `${name}-token`,
      DISPATCH: 'local',
    }),
    stop: async () => {
      await dyvms.stop();
      await host.stop();
    },
  };
}
