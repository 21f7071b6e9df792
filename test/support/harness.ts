import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { sampleCalls } from '../../emulators/dyvms/sample-calls';
import { DyvmsEmulator, type EmulatorCall } from '../../emulators/dyvms/server';
import { type Recording, RecordingHost } from '../../emulators/recording-host/server';
import type { ArchiveDeps } from '../../lib/archive/archive-call';
import { type Config, loadConfig } from '../../lib/config';
import { createDyvmsClient } from '../../lib/dyvms/client';
import type { ObjectStore } from '../../lib/storage/object-store';
import { openStore } from '../../lib/storage/open-store';

export const KEY_ID = 'LTAIharness0001';
export const SECRET = 'harness-secret';
export const BUCKET = 'archive';

export interface S3Server {
  endpoint: string;
  /** Closes the server and keeps its data: the store is down until `resume`. */
  pause(): Promise<void>;
  /** Serves the same data on the same port again. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** A running S3-protocol server (s3rver) on 127.0.0.1 with an `archive` bucket. */
export async function startS3(): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const serve = async (port: number) => {
    const server = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory,
      configureBuckets: [{ name: BUCKET }],
    });
    return { server, port: (await server.run()).port };
  };
  let running: Awaited<ReturnType<typeof serve>> | undefined = await serve(0);
  const port = running.port;
  const pause = async () => {
    await running?.server.close();
    running = undefined;
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pause,
    resume: async () => {
      running ??= await serve(port);
    },
    stop: async () => {
      await pause();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export const RECORDED_CALL = {
  taskId: '1045001',
  callee: '13000000000',
  date: '2019-06-14',
} as const;
export const SEED_RECORDING =
  'Freeswitch_RU_117074080001_ccd71132-8256-4eb4-9217-884e1d87c0d4_record.wav';

/** The sample calls, with the seed call's recording served by the recording host. */
export function archiveCalls(): EmulatorCall[] {
  return sampleCalls().map((call) =>
    call.taskId === RECORDED_CALL.taskId && call.callee === RECORDED_CALL.callee
      ? { ...call, recording: SEED_RECORDING }
      : call,
  );
}

export interface Harness {
  dyvms: DyvmsEmulator;
  host: RecordingHost;
  config: Readonly<Config>;
  env: Record<string, string>;
  store: ObjectStore;
  deps: ArchiveDeps;
  archiveDir: string;
  stop(): Promise<void>;
}

/** Emulators on 127.0.0.1 and a store: `file://` in a temp dir, or s3rver when given. */
export async function startHarness(
  options: { s3Endpoint?: string; recording?: Recording; env?: Record<string, string> } = {},
): Promise<Harness> {
  const host = new RecordingHost();
  await host.start();
  host.addRecording(SEED_RECORDING, options.recording ?? { size: 256 * 1024 + 7, seed: 1 });
  const dyvms = new DyvmsEmulator({ calls: archiveCalls(), credentials: { [KEY_ID]: SECRET } });
  await dyvms.start();
  dyvms.useRecordingHost((name) => host.signedUrl(name));
  const archiveDir = mkdtempSync(join(tmpdir(), 'archive-'));
  const env: Record<string, string> = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
    DYVMS_ENDPOINT: dyvms.url,
    RECORDING_HOSTS: '127.0.0.1',
    // Like the sandbox: tests use short, readable secrets.
    VMS_SANDBOX: '1',
    RECORDING_READ_TIMEOUT_MS: '500',
    // A fresh prefix per harness: one s3rver serves a whole test file.
    ARCHIVE_URL: options.s3Endpoint
      ? `s3://${BUCKET}/${archiveDir.split('-').pop()}`
      : `file://${archiveDir}`,
    ...(options.s3Endpoint ? { S3_ENDPOINT: options.s3Endpoint, AWS_REGION: 'us-east-1' } : {}),
    ...options.env,
  };
  if (options.s3Endpoint) {
    // The S3 client takes credentials from the standard AWS chain; s3rver accepts these.
    process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  }
  const config = loadConfig(env);
  const noSleep = async () => undefined;
  const store = openStore(env.ARCHIVE_URL as string, config.archive);
  return {
    dyvms,
    host,
    config,
    env,
    store,
    archiveDir,
    deps: {
      dyvms: createDyvmsClient(config.dyvms, { sleep: noSleep }),
      store,
      recordingHosts: config.recording.hosts,
      recording: config.recording,
      sleep: noSleep,
    },
    stop: async () => {
      await dyvms.stop();
      await host.stop();
      rmSync(archiveDir, { recursive: true, force: true });
    },
  };
}
