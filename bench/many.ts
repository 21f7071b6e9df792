import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHandler as createReportsHandler } from '../functions/reports/handler';
import { LocalDispatcher } from '../lib/dispatch/local-dispatcher';
import { functionServices, reportsServices } from '../lib/platform/wiring';
import { FsObjectStore } from '../lib/storage/fs-store';
import { lambdaContext, loadEvent } from '../test/events';
import { startHarness } from '../test/support/harness';
import { MB, report } from './common';
import { peakPerSecond, percentile, summarize } from './stats';

export interface PushRun {
  /** Calls archived per second, push to the last `detail.json`. */
  rate: number;
  archived: number;
  /** The most lookups the emulator saw in one second. */
  peak: number;
  pushLatency: number[];
  /** The index rows written and their bytes (JSON, one object per call). */
  rows: number;
  rowBytes: number;
}

/**
 * `count` pushed calls (1 MB recordings) through the real reports handler, the local
 * dispatcher and `archiveCall` into `file://`, lookups paced at `maxRps`. `indexRow: false`
 * drops each call's index row at the store (its one `put` under `index/pending/`), the
 * archive as it was before the index, to measure what the row costs.
 */
export async function pushAndArchive(
  count: number,
  maxRps: number,
  options: { indexRow: boolean } = { indexRow: true },
): Promise<PushRun> {
  const put = FsObjectStore.prototype.put;
  if (!options.indexRow) {
    FsObjectStore.prototype.put = function (this: FsObjectStore, key, body, meta) {
      if (!key.startsWith('index/pending/')) return put.call(this, key, body, meta);
      return Promise.resolve({ size: 0, storeTag: 'dropped' });
    };
  }
  try {
    return await pushRun(count, maxRps);
  } finally {
    FsObjectStore.prototype.put = put;
  }
}

async function pushRun(count: number, maxRps: number): Promise<PushRun> {
  const h = await startHarness({ env: { DYVMS_MAX_RPS: String(maxRps) } });
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const callee = `1380000${String(i).padStart(4, '0')}`;
    const callId = `3000001${String(i).padStart(5, '0')}^7${i}`;
    h.dyvms.addCall({
      taskId: '3000001',
      callee,
      date: '2019-06-14',
      recording: `many_${i}.wav`,
      data: {
        taskId: 3000001,
        called: callee,
        callId,
        callStartTime: '2019.06.14 10:00:00',
        recordStatus: 1,
      },
    });
    h.host.addRecording(`many_${i}.wav`, { size: MB, seed: i });
    records.push({
      call_id: callId,
      callee,
      start_time: '2019-06-14 10:00:00',
      end_time: '2019-06-14 10:00:30',
      task_id: '3000001',
    });
  }
  const services = functionServices(reportsServices, {
    ...h.env,
    REPORTS_TOKEN: 'bench',
    VMS_SANDBOX: '1',
    DISPATCH: 'local',
    LOCAL_RETRY_DELAYS_MS: '200,500',
  });
  const handler = createReportsHandler(services);
  const pushLatency: number[] = [];
  const start = performance.now();
  for (let i = 0; i < records.length; i += 100) {
    const event = loadEvent('http/reports');
    event.pathParameters = { token: 'bench' };
    event.body = JSON.stringify(records.slice(i, i + 100));
    const t = performance.now();
    const result = await handler(event, lambdaContext('reports'));
    pushLatency.push(performance.now() - t);
    if (result.statusCode !== 200) throw new Error(`push answered ${result.statusCode}`);
  }
  const dispatcher = services.built()?.dispatcher;
  if (dispatcher instanceof LocalDispatcher) await dispatcher.idle();
  const elapsed = (performance.now() - start) / 1000;
  const archived = (await h.store.list('3000001/')).filter((k) => k.endsWith('detail.json')).length;
  const peak = peakPerSecond(
    h.dyvms.requests.filter((r) => r.action === 'QueryRobotTaskCallDetail').map((r) => r.at),
  );
  const rate = archived / elapsed;
  const rowKeys = await h.store.list('index/pending/');
  const rowBytes = rowKeys.reduce(
    (sum, key) => sum + statSync(join(h.archiveDir, ...key.split('/'))).size,
    0,
  );
  await h.stop();
  return { rate, archived, peak, pushLatency, rows: rowKeys.length, rowBytes };
}

/** Benchmark 2. many pushed calls through the reports handler and the local dispatcher. */
export async function manyCalls(count: number, maxRps: number): Promise<void> {
  const { rate, archived, peak, pushLatency } = await pushAndArchive(count, maxRps);
  report({
    ...summarize(`2a. ${count} pushed calls archived (1 MB each)`, 'calls/s', [rate]),
    ratio: rate / maxRps,
    baseline: `DYVMS_MAX_RPS ${maxRps}`,
    target: '>= 0.9',
    met: rate / maxRps >= 0.9 && archived === count,
  });
  report({
    ...summarize('2b. peak lookups seen by the emulator in 1 s', 'calls', [peak]),
    ratio: peak / maxRps,
    baseline: `DYVMS_MAX_RPS ${maxRps}`,
    target: '<= 1.0',
    met: peak <= maxRps,
  });
  report({
    ...summarize('2c. push of 100 records answered in', 'ms', pushLatency),
    target: '< 700 ms',
    met: percentile(pushLatency, 100) < 700,
  });
}
