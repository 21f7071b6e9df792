/**
 * Child process of the memory test: archives one large recording into a file:// store and
 * prints peak RSS before and after as JSON. Run alone so the figure is this process's.
 */

import { recordingSha256 } from '../../emulators/recording-host/server';
import { archiveCall } from '../../lib/archive/archive-call';
import { RECORDED_CALL, SEED_RECORDING, startHarness } from './harness';

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 200 * 1024 * 1024);
  const h = await startHarness({
    recording: { size: 1024 * 1024, seed: 3 },
    env: { RECORDING_READ_TIMEOUT_MS: '30000' },
  });
  // Warm up every code path on a 1 MB recording, so the baseline includes them.
  await archiveCall({ ...RECORDED_CALL }, h.deps);
  await h.store.delete('1045001/2019-06-14/116950320375_103750100375/detail.json');
  global.gc?.();
  const before = process.resourceUsage().maxRSS * 1024;

  h.host.addRecording(SEED_RECORDING, { size, seed: 4 });
  const outcome = await archiveCall({ ...RECORDED_CALL }, h.deps);
  const after = process.resourceUsage().maxRSS * 1024;

  const ok = outcome.status === 'archived' && outcome.recording.bytes === size;
  const sha256Matches = ok && outcome.recording.sha256 === recordingSha256({ size, seed: 4 });
  await h.stop();
  process.stdout.write(
    `${JSON.stringify({ size, before, after, growth: after - before, ok, sha256Matches })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
