import middy from '@middy/core';
import { METRICS, METRICS_NAMESPACE, recordMetric, useMetricsSink } from '../../../lib/metrics';
import { emfMetricsMiddleware } from '../../../lib/platform/metrics';
import { lambdaContext } from '../../events';
import { logsInto, stopLogs } from '../../support/logs';

let lines: string[];

beforeEach(() => {
  lines = [];
  logsInto(lines);
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  useMetricsSink(undefined);
  jest.restoreAllMocks();
  stopLogs();
});

const records = () =>
  lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));

describe('metrics', () => {
  it('given no sink, when a metric is recorded, then it is one structured log record with its name, unit and dimensions', () => {
    recordMetric('ParkedByReason', 2, { Reason: 'InvalidJobError' });

    expect(records()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'metric',
        metric: 'ParkedByReason',
        unit: 'Count',
        value: 2,
        Reason: 'InvalidJobError',
      }),
    ]);
  });

  it('drops a value that is not a finite number', () => {
    recordMetric('CallEndToArchiveSeconds', Number.NaN);

    expect(records()).toEqual([]);
  });

  it('given the EMF middleware, when an invocation records metrics, then one EMF line carries them under the namespace and a dimensioned one leaves apart', async () => {
    const handler = middy()
      .use(emfMetricsMiddleware())
      .handler(async () => {
        recordMetric('Archived', 1);
        recordMetric('ArchivedBytes', 300_001);
        recordMetric('ParkedByReason', 1, { Reason: 'DeadLettered' });
      });

    await handler({}, lambdaContext('archive'));

    const emf = records().filter((r) => r._aws);
    const names = (r: {
      _aws: { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] };
    }) => r._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => `${x.Name}:${x.Unit}`));
    expect(emf.map(names).sort()).toEqual([
      ['Archived:Count', 'ArchivedBytes:Bytes'],
      ['ParkedByReason:Count'],
    ]);
    for (const line of emf)
      expect(line._aws.CloudWatchMetrics[0].Namespace).toBe(METRICS_NAMESPACE);
    expect(emf.find((r) => r.ParkedByReason)?.Reason).toBe('DeadLettered');
    expect(emf.find((r) => r.Archived)).toMatchObject({ Archived: 1, ArchivedBytes: 300_001 });
  });

  it('given the EMF middleware and an invocation that records nothing, then nothing is written', async () => {
    const handler = middy()
      .use(emfMetricsMiddleware())
      .handler(async () => 'ok');

    await handler({}, lambdaContext('browse'));

    expect(records()).toEqual([]);
  });

  it('names every metric with a CloudWatch unit', () => {
    for (const unit of Object.values(METRICS))
      expect(['Count', 'Bytes', 'Seconds']).toContain(unit);
  });
});
