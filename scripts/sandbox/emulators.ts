import { randomBytes } from 'node:crypto';
import { campaignCalls, sampleCalls } from '../../emulators/dyvms/sample-calls';
import { DyvmsEmulator } from '../../emulators/dyvms/server';
import { RecordingHost } from '../../emulators/recording-host/server';

/** The seed call's recording: 30 s of 8 kHz 16-bit mono, as the Voice Service records. */
const SEED_RECORDING = 'Freeswitch_RU_117074080001_ccd71132-8256-4eb4-9217-884e1d87c0d4_record.wav';

export const generated = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export interface Emulators {
  /** True when the sandbox serves the bundled emulators rather than the real Voice Service. */
  emulated: boolean;
  stop(): Promise<void>;
}

/**
 * With no Alibaba Cloud credentials set: the bundled Dyvmsapi emulator with sample calls
 * (and a key pair only it accepts) and a recording host, written into `env`. Otherwise
 * nothing: the real Voice Service it is.
 */
export async function startEmulators(env: NodeJS.ProcessEnv, port: number): Promise<Emulators> {
  if (env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    console.log(
      `• Using the real Voice Service at ${env.DYVMS_ENDPOINT ?? 'dyvmsapi.aliyuncs.com'}`,
    );
    return { emulated: false, stop: async () => undefined };
  }
  const keyId = generated('LTAIsandbox');
  const secret = generated('sandbox');
  const recordingHost = new RecordingHost();
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
  const emulator = new DyvmsEmulator({ calls, credentials: { [keyId]: secret } });
  const url = await emulator.start(port);
  emulator.useRecordingHost((name) => recordingHost.signedUrl(name));
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
  return {
    emulated: true,
    stop: async () => {
      await emulator.stop();
      await recordingHost.stop();
    },
  };
}
