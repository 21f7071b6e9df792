import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type CompactResult, compactIndex } from '../../lib/call-index/compact';
import { logger } from '../../lib/log';
import { metricsMiddleware } from '../../lib/platform/metrics';
import { functionServices, indexServices } from '../../lib/platform/wiring';

export const services = functionServices(indexServices);

/**
 * The call index's compaction (docs/design.md "The call index"): every few minutes from an
 * EventBridge schedule on AWS (reserved concurrency 1), a timer trigger on FC, a timer in
 * the sandbox. Each day with pending rows is folded into its Parquet parts. Its metrics
 * (IndexPendingAgeSeconds, IndexCompactionFailed) leave as EMF on AWS, where the
 * index-lagging and index-compaction-failed alarms read them.
 */
export const handler = middy<unknown, CompactResult[]>()
  .use(injectLambdaContext(logger))
  .use(metricsMiddleware())
  .handler(async () => compactIndex(services.for()));
