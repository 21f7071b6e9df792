import { performance } from 'node:perf_hooks';
import type { S3Client } from '@aws-sdk/client-s3';
import { chinaDate } from '../lib/call-detail/china-time';
import { forEachLimited } from '../lib/common/for-each-limited';
import { reconcileRun } from '../lib/reconcile/reconcile';
import { startHarness, startS3 } from '../test/support/harness';
import { report, say } from './common';
import { summarize } from './stats';

/** Benchmark 6. reconcile over archived calls: Dyvmsapi calls, store requests, time. */
/**
 * Reconcile over a task whose calls are all archived already: what one run costs in
 * Dyvmsapi calls, store requests (counted at the S3 client, against s3rver) and time. The
 * store requests must grow with calls/1000 (ListObjectsV2 pages), never with calls.
 */
export async function reconcileCost(counts: number[]): Promise<void> {
  say('\n6. reconcile over archived calls of one task (s3rver)');
  const s3 = await startS3();
  const day = chinaDate(Date.now() - 3600_000);
  for (const count of counts) {
    const h = await startHarness({ s3Endpoint: s3.endpoint, env: { DYVMS_MAX_RPS: '5000' } });
    const taskId = String(5000000 + count);
    const calls: { callId: string; callee: string }[] = [];
    for (let i = 0; i < count; i++) {
      const callee = `1370${String(i).padStart(7, '0')}`;
      const callId = `${taskId}${i}^${i}`;
      calls.push({ callId, callee });
      h.dyvms.addCall({
        taskId,
        callee,
        date: day,
        data: {
          taskId: Number(taskId),
          called: callee,
          callId,
          callStartTime: `${day.replaceAll('-', '.')} 00:01:00`,
          recordStatus: 2,
        },
      });
    }
    // Archived already: a detail.json and a recording per call.
    await forEachLimited(calls, 32, async ({ callId }) => {
      const dir = `${taskId}/${day}/${callId.replaceAll('^', '_')}`;
      await h.store.put(`${dir}/recording.wav`, 'x', { contentType: 'audio/wav' });
      await h.store.put(`${dir}/detail.json`, '{}', { contentType: 'application/json' });
    });
    let storeRequests = 0;
    const client = (h.store as unknown as { client: S3Client }).client;
    client.middlewareStack.add(
      (next) => (args) => {
        storeRequests++;
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    const dyvmsBefore = h.dyvms.requests.length;
    const dispatched: unknown[] = [];
    const started = performance.now();
    const summary = await reconcileRun({
      dyvms: h.deps.dyvms,
      store: h.store,
      dispatcher: { describe: 'count', dispatch: async (jobs) => void dispatched.push(...jobs) },
      lookbackHours: 48,
      pageSize: 50,
    });
    const elapsed = (performance.now() - started) / 1000;
    if (summary.alreadyArchived !== count || dispatched.length !== 0)
      throw new Error(
        `reconcile saw ${summary.alreadyArchived} of ${count} archived: ${JSON.stringify(summary)}`,
      );
    const dyvmsCalls = h.dyvms.requests.length - dyvmsBefore;
    report({ ...summarize(`6. ${count} calls: Dyvmsapi calls`, 'calls', [dyvmsCalls]) });
    report({
      ...summarize(`6. ${count} calls: store requests`, 'req', [storeRequests]),
      target: `<= ${Math.ceil((2 * count) / 1000)} list pages + 10`,
      met: storeRequests <= Math.ceil((2 * count) / 1000) + 10,
    });
    report({ ...summarize(`6. ${count} calls: one run`, 's', [elapsed]) });
    await h.stop();
  }
  await s3.stop();
}
