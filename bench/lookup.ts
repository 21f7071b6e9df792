import { performance } from 'node:perf_hooks';
import { createHandler as createLookupHandler } from '../functions/lookup/handler';
import { QueryRobotTaskCallDetailRequest } from '../lib/dyvms/models';
import { functionServices, lookupServices } from '../lib/platform/wiring';
import { lambdaContext, loadEvent } from '../test/events';
import { startHarness } from '../test/support/harness';
import { report } from './common';
import { percentile, summarize } from './stats';

/** Benchmark 5. what the lookup handler adds to the bare client call. */
/** [requests, concurrency] pairs, measured against one emulator and one loaded handler. */
export async function lookupOverhead(levels: [number, number][]): Promise<void> {
  const h = await startHarness({ env: { DYVMS_MAX_RPS: '1000000' } });
  const handler = createLookupHandler(
    functionServices(lookupServices, { ...h.env, API_KEYS: 'sandbox-key' }),
  );
  const bare = h.deps.dyvms;
  const request = () =>
    new QueryRobotTaskCallDetailRequest({
      taskId: '1045001',
      callee: '13000000000',
      queryDate: Date.parse('2019-06-14T12:00:00+08:00'),
    });
  const measure = async (one: () => Promise<unknown>, requests: number, concurrency: number) => {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < requests) {
          const t = performance.now();
          await one();
          latencies.push(performance.now() - t);
        }
      }),
    );
    return latencies;
  };
  const sample = loadEvent('http/lookup');
  const viaHandler = () => handler(structuredClone(sample), lambdaContext('lookup'));
  for (const [requests, concurrency] of levels) {
    const bareRuns: number[][] = [];
    const handlerRuns: number[][] = [];
    for (let round = 0; round < 3; round++) {
      bareRuns.push(
        await measure(() => bare.queryRobotTaskCallDetail(request()), requests, concurrency),
      );
      handlerRuns.push(await measure(viaHandler, requests, concurrency));
    }
    const p = (runs: number[][], q: number) => runs.map((r) => percentile(r, q));
    const b50 = summarize(`5. bare client p50, ${concurrency} at once`, 'ms', p(bareRuns, 50));
    const b99 = summarize(`5. bare client p99, ${concurrency} at once`, 'ms', p(bareRuns, 99));
    const h50 = summarize(
      `5. lookup handler p50, ${concurrency} at once`,
      'ms',
      p(handlerRuns, 50),
    );
    const h99 = summarize(
      `5. lookup handler p99, ${concurrency} at once`,
      'ms',
      p(handlerRuns, 99),
    );
    for (const f of [b50, b99, h50, h99]) report(f);
    report({
      ...summarize(`5. added p50, ${concurrency} at once`, 'ms', [h50.median - b50.median]),
      target: '< 1 ms',
      met: h50.median - b50.median < 1,
    });
    report({
      ...summarize(`5. added p99, ${concurrency} at once`, 'ms', [h99.median - b99.median]),
      target: '< 5 ms',
      met: h99.median - b99.median < 5,
    });
  }
  await h.stop();
}
