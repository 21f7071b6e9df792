import type { MiddlewareObj } from '@middy/core';
import { METRICS_NAMESPACE, type MetricsSink, useMetricsSink } from '../metrics';

/**
 * CloudWatch embedded metric format through Powertools Metrics: data points are buffered
 * per invocation and written as one EMF log line when it ends (CloudWatch turns the line
 * into metrics; no PutMetricData call, no extra permission). A point with dimensions
 * (`ParkedByReason`) leaves at once as a single metric with its own dimension set. The
 * `service` dimension is POWERTOOLS_SERVICE_NAME, which serverless.yml sets per stage.
 */
export function emfMetricsMiddleware(namespace = METRICS_NAMESPACE): MiddlewareObj {
  const { Metrics } =
    require('@aws-lambda-powertools/metrics') as typeof import('@aws-lambda-powertools/metrics');
  const metrics = new Metrics({ namespace });
  let pending = 0;
  const sink: MetricsSink = {
    add(name, unit, value, dimensions) {
      const entries = Object.entries(dimensions);
      if (entries.length === 0) {
        metrics.addMetric(name, unit, value);
        pending++;
        return;
      }
      const single = metrics.singleMetric();
      for (const [key, dimension] of entries) single.addDimension(key, dimension);
      single.addMetric(name, unit, value);
    },
  };
  const flush = async () => {
    // Only when something was added: Powertools warns about an empty flush every time.
    if (pending > 0) metrics.publishStoredMetrics();
    pending = 0;
  };
  return {
    before: async () => useMetricsSink(sink),
    after: flush,
    onError: flush,
  };
}

/**
 * The metrics middleware of a function: EMF in what is deployed to AWS, nothing elsewhere
 * (on Function Compute, in the sandbox, the CLI and tests each point is a log record).
 * Written out so esbuild folds it (lib/platform/build-target.d.ts): the sandbox's bundles
 * are the ones built with `__VMS_IN_PROCESS_ARCHIVE__`.
 */
export function metricsMiddleware(): MiddlewareObj {
  const deployedToAws =
    typeof __VMS_PLATFORM__ !== 'undefined' &&
    __VMS_PLATFORM__ === 'aws' &&
    typeof __VMS_IN_PROCESS_ARCHIVE__ !== 'undefined' &&
    !__VMS_IN_PROCESS_ARCHIVE__;
  // middy takes no empty middleware: elsewhere this one only makes sure points are log records.
  return deployedToAws ? emfMetricsMiddleware() : { before: async () => useMetricsSink(undefined) };
}
