import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../../lib/log';
import { alertsMiddleware } from '../../lib/platform/alerts';
import { metricsMiddleware } from '../../lib/platform/metrics';
import {
  type FunctionServices,
  functionServices,
  type ReconcileServices,
  reconcileServices,
} from '../../lib/platform/wiring';
import { type ReconcileSummary, reconcileRun } from '../../lib/reconcile/reconcile';

/** Time kept back from the platform's limit to write the summary and the cursor. */
const SAFETY_MS = 60_000;

/**
 * The scheduled net under the push (docs/design.md "Reconcile"): an EventBridge schedule
 * on AWS, a timer trigger on FC, a timer in the sandbox. A run that runs out of time saves
 * where it got to; the next one carries on.
 */
export function createHandler(services: FunctionServices<ReconcileServices>) {
  return middy<unknown, ReconcileSummary>()
    .use(injectLambdaContext(logger))
    .use(alertsMiddleware({ always: true }))
    .use(metricsMiddleware())
    .use(services.secrets)
    .handler(async (_event, context) => {
      const deadline = Date.now() + Math.max(context.getRemainingTimeInMillis() - SAFETY_MS, 0);
      // With DISPATCH=local (the sandbox) the jobs go on in this process after the answer, as
      // after a push: journaled under _pending/ until each is archived or parked.
      return reconcileRun({ ...services.for(context), deadline });
    });
}

export const handler = createHandler(functionServices(reconcileServices));
