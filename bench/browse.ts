import { performance } from 'node:perf_hooks';
import type { S3Client } from '@aws-sdk/client-s3';
import { archiveCall } from '../lib/archive/archive-call';
import { listDay } from '../lib/browse/archive-view';
import { forEachLimited } from '../lib/common/for-each-limited';
import { RECORDED_CALL, startHarness, startS3 } from '../test/support/harness';
import { report, say } from './common';
import { summarize } from './stats';

/** Benchmark 8. browse: the first page of a day. */
/**
 * browse: the first page of a day of `count` archived calls across 4 tasks in s3rver,
 * and the store requests it takes (counted at the S3 client).
 */
export async function browseListing(count: number): Promise<void> {
  say(`\n8. browse: the first page of a day of ${count} archived calls (s3rver)`);
  const s3 = await startS3();
  const h = await startHarness({ s3Endpoint: s3.endpoint });
  await archiveCall({ ...RECORDED_CALL }, h.deps);
  const template = JSON.parse(
    String(await h.store.get('1045001/2019-06-14/116950320375_103750100375/detail.json')),
  ) as { call: Record<string, unknown> };
  const calls = Array.from({ length: count }, (_, i) => i);
  await forEachLimited(calls, 32, async (i) => {
    const taskId = String(6000000 + (i % 4));
    const callId = `${taskId}${i}^${i}`;
    const detail = {
      ...template,
      call: { ...template.call, taskId, callId, callee: `1370000${String(i).padStart(4, '0')}` },
    };
    await h.store.put(
      `${taskId}/2019-06-20/${callId.replace('^', '_')}/detail.json`,
      JSON.stringify(detail),
      {
        contentType: 'application/json',
      },
    );
  });
  let requests = 0;
  (h.store as unknown as { client: S3Client }).client.middlewareStack.add(
    (next) => (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'countBrowse' },
  );
  const samples: number[] = [];
  let perRun = 0;
  for (let i = 0; i < 3; i++) {
    const before = requests;
    const start = performance.now();
    const page = await listDay(h.store, '2019-06-20', {}, undefined);
    samples.push(performance.now() - start);
    perRun = requests - before;
    if (page.totals.archived !== count)
      throw new Error(`listed ${page.totals.archived} of ${count}`);
  }
  report({
    ...summarize(`8. first page of ${count} calls`, 'ms', samples),
    target: '< 1000 ms',
    met: summarize('', '', samples).median < 1000,
  });
  report({ ...summarize(`8. store requests for it`, 'req', [perRun]) });
  await h.stop();
  await s3.stop();
}
