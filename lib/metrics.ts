import { log } from './log';

/**
 * The service's metrics (docs/design.md "Operating it"): one name, unit and meaning each,
 * the same on every platform. On AWS they leave as CloudWatch embedded metric format
 * through Powertools Metrics (lib/platform/metrics.ts installs that sink; no extra calls),
 * on Function Compute and in the sandbox as one structured log record each:
 * `{"level":"INFO","message":"metric","metric":"Archived","unit":"Count","value":1}`.
 */
export const METRICS_NAMESPACE = 'VmsCallArchive';

export const METRICS = {
  /** A call archived (recording and detail.json, or detail.json of a call without one). */
  Archived: 'Count',
  /** Bytes of recording stored. */
  ArchivedBytes: 'Bytes',
  /** Seconds from the call's end (its endedAt) to its detail.json. */
  CallEndToArchiveSeconds: 'Seconds',
  /** Seconds the recording URL had left (its Expires) when the download started. */
  RecordingUrlLifeLeftSeconds: 'Seconds',
  /** An archive attempt that failed and was handed back to the platform to retry. */
  ArchiveErrors: 'Count',
  /** Items parked in `_rejected/` (jobs, or records of a push), whatever the reason. */
  Parked: 'Count',
  /** The same, with a `Reason` dimension (the error's name, or how the platform gave up). */
  ParkedByReason: 'Count',
  /** Jobs a reconcile run dispatched: each is a call the push did not bring. */
  ReconcileDispatched: 'Count',
  /** Tasks or calls a reconcile run could not look at or dispatch. */
  ReconcileFailed: 'Count',
  /** An index compaction run that failed (emitted by the compaction function). */
  IndexCompactionFailed: 'Count',
  /** A retention sweep that failed (emitted by the retention function). */
  RetentionSweepFailed: 'Count',
  /** Age of the oldest pending index row when compaction starts (the index's lag). */
  IndexPendingAgeSeconds: 'Seconds',
} as const;

export type MetricName = keyof typeof METRICS;
export type MetricUnit = (typeof METRICS)[MetricName];

export interface MetricsSink {
  add(name: MetricName, unit: MetricUnit, value: number, dimensions: Record<string, string>): void;
}

const logSink: MetricsSink = {
  add(name, unit, value, dimensions) {
    log('info', 'metric', { metric: name, unit, value, ...dimensions });
  },
};

let sink: MetricsSink = logSink;
const listeners = new Set<MetricsSink>();

/** Also hands every point to `listener` (notifications count Parked and ReconcileDispatched). */
export function onMetric(listener: MetricsSink): void {
  listeners.add(listener);
}

/** Where metrics go from now on (the AWS functions' EMF sink); unset: log records. */
export function useMetricsSink(next: MetricsSink | undefined): void {
  sink = next ?? logSink;
}

/** One data point; a value that is not a finite number is dropped rather than sent. */
export function recordMetric(
  name: MetricName,
  value: number,
  dimensions: Record<string, string> = {},
): void {
  if (!Number.isFinite(value)) return;
  sink.add(name, METRICS[name], value, dimensions);
  for (const listener of listeners) listener.add(name, METRICS[name], value, dimensions);
}
