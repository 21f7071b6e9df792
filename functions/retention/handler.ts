import middy from '@middy/core';
import { type RetentionRun, runRetention } from '../../lib/lifecycle/retention-run';
import { functionServices, retentionServices } from '../../lib/platform/wiring';

export const services = functionServices(retentionServices);

/**
 * The daily retention sweep (docs/design.md "Letting data go"): an EventBridge schedule on
 * AWS, a timer trigger on FC, a timer in the sandbox. Nothing to do while RETENTION_DAYS is
 * unset; a failed sweep throws (the RetentionSweepFailed alarm) and the next day's run
 * finishes what it left.
 */
export const handler = middy<unknown, RetentionRun>().handler(async () =>
  runRetention(services.for()),
);
