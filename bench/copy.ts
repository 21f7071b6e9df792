import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { archiveCall } from '../lib/archive/archive-call';
import {
  type Harness,
  RECORDED_CALL,
  SEED_RECORDING,
  startHarness,
  startS3,
} from '../test/support/harness';
import { hostInOwnProcess, MB, readToNull, report, run, say, seconds } from './common';
import { summarize } from './stats';

/** Benchmark 1. a large recording copied: the archive against the pipelines a person would write. */
export async function largeCopy(reps: number): Promise<void> {
  const size = 100 * MB;
  // Its own process: generating 100 MB must not share the client's event loop.
  const host = await hostInOwnProcess({ [SEED_RECORDING]: { size, seed: 9 } });
  const s3 = await startS3();
  const fileH = await startHarness({
    recording: { size, seed: 9 },
    env: { RECORDING_READ_TIMEOUT_MS: '60000' },
  });
  const s3H = await startHarness({
    recording: { size, seed: 9 },
    s3Endpoint: s3.endpoint,
    env: { RECORDING_READ_TIMEOUT_MS: '60000' },
  });
  fileH.dyvms.useRecordingHost((name) => host.signedUrl(name));
  s3H.dyvms.useRecordingHost((name) => host.signedUrl(name));
  const dir = '1045001/2019-06-14/116950320375_103750100375';
  const fresh = async (h: Harness) => {
    await h.store.delete(`${dir}/detail.json`);
    await h.store.delete(`${dir}/recording.wav`);
  };
  const raw: number[] = [];
  const toFile: number[] = [];
  const toS3: number[] = [];
  const script: number[] = [];
  const curlToDisk: number[] = [];
  const diskCopy = join(fileH.archiveDir, 'curl-copy.wav');
  const hasAws = spawnSync('aws', ['--version']).status === 0;
  for (let i = 0; i < reps; i++) {
    raw.push(size / MB / (await seconds(() => readToNull(host.signedUrl(SEED_RECORDING)))));
    await fresh(fileH);
    // Both disk copies start from a disk with nothing left to write back (the s3rver copy
    // of the rep before, the deleted files), so neither pays for the other's leftovers.
    await run('sync', []);
    toFile.push(size / MB / (await seconds(() => archiveCall({ ...RECORDED_CALL }, fileH.deps))));
    await run('sync', []);
    // What a person would script: curl onto the same disk, then sync (archiveCall fsyncs).
    curlToDisk.push(
      size /
        MB /
        (await seconds(() =>
          run('bash', [
            '-c',
            `curl -sf -o '${diskCopy}' '${host.signedUrl(SEED_RECORDING)}' && sync`,
          ]),
        )),
    );
    rmSync(diskCopy, { force: true });
  }
  // The S3 copies in a loop of their own: s3rver runs in this process, and what a 100 MB
  // upload leaves behind (its garbage, its unsynced files) slowed the disk copies of the rep
  // after it by a tenth.
  for (let i = 0; i < reps; i++) {
    await fresh(s3H);
    toS3.push(size / MB / (await seconds(() => archiveCall({ ...RECORDED_CALL }, s3H.deps))));
    if (hasAws) {
      const url = host.signedUrl(SEED_RECORDING);
      const cmd = `curl -sf '${url}' | aws s3 cp - s3://archive/bench/recording.wav --endpoint-url ${s3.endpoint} --no-progress`;
      script.push(
        size /
          MB /
          (await seconds(() =>
            run('bash', ['-o', 'pipefail', '-c', cmd], {
              env: {
                ...process.env,
                AWS_ACCESS_KEY_ID: 'S3RVER',
                AWS_SECRET_ACCESS_KEY: 'S3RVER',
                AWS_DEFAULT_REGION: 'us-east-1',
              },
            }),
          )),
      );
    }
  }
  const rawMedian = summarize('', '', raw).median;
  report({ ...summarize('1a. raw download rate (100 MB to /dev/null)', 'MB/s', raw) });
  const scriptFig = summarize('1b. curl | aws s3 cp - (to s3rver)', 'MB/s', script);
  if (hasAws) report(scriptFig);
  else say('1b. curl | aws s3 cp -: skipped, `aws` not installed (apt-get install awscli)');
  const file = summarize('1c. archiveCall 100 MB to file://', 'MB/s', toFile);
  report({
    ...file,
    ratio: file.median / rawMedian,
    baseline: '1a',
    target: '>= 0.8 x 1a',
    met: file.median / rawMedian >= 0.8,
  });
  const curl = summarize('1f. curl -o onto the same disk + sync', 'MB/s', curlToDisk);
  report(curl);
  // Each rep copies both ways back to back: the ratio of each pair, then their median, so a
  // slow spell of this shared machine weighs on both sides of a pair alike.
  const paired = summarize(
    '1g. archiveCall to file:// / curl -o + sync, per rep',
    '×',
    toFile.map((rate, i) => rate / (curlToDisk[i] as number)),
  );
  report({
    ...paired,
    ratio: paired.median,
    baseline: '1f',
    target: '>= 0.9 x 1f',
    met: paired.median >= 0.9,
  });
  const s3Fig = summarize('1d. archiveCall 100 MB to s3rver', 'MB/s', toS3);
  report({
    ...s3Fig,
    ratio: s3Fig.median / rawMedian,
    baseline: '1a',
    target: '>= 0.8 x 1a',
    met: s3Fig.median / rawMedian >= 0.8,
  });
  if (hasAws) {
    const r = s3Fig.median / scriptFig.median;
    report({
      ...s3Fig,
      name: '1e. archiveCall to s3rver vs the script',
      ratio: r,
      baseline: '1b',
      target: '>= 1.0 x 1b',
      met: r >= 1,
    });
  }
  await fileH.stop();
  await s3H.stop();
  await s3.stop();
  host.stop();
}
