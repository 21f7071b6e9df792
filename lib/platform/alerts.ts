import type { MiddlewareObj } from '@middy/core';
import { type AlertTally, emptyTally, flushAlerts, type NotifierDeps } from '../alerts/notifier';
import { onMetric } from '../metrics';

/**
 * Notifications from the functions (docs/design.md "Operating it"): what this process parks
 * and what reconcile finds missing is counted from the metrics as they are recorded, and
 * each invocation ends by flushing the count to `_alerts/` (and the webhook, when due).
 * Work that goes on after an answer (the sandbox's in-process archive) is counted on the
 * next flush.
 */
let tally: AlertTally = emptyTally();
let notifier: NotifierDeps | undefined;

onMetric({
  add(name, _unit, value, dimensions) {
    if (!notifier) return;
    if (name === 'Parked') tally.parked += value;
    else if (name === 'ReconcileDispatched') tally.reconcileMissed += value;
    else if (name === 'ParkedByReason' && dimensions.Reason)
      tally.reasons[dimensions.Reason] = (tally.reasons[dimensions.Reason] ?? 0) + value;
  },
});

/** Where this process's notifications go; undefined (no ALERT_WEBHOOK_URL): none. */
export function useNotifier(deps: NotifierDeps | undefined): void {
  notifier = deps;
}

/** Flushes what was counted; with `always` (reconcile) also when nothing was, so waiting counts leave once due. */
export async function flushNotifications(options: { always?: boolean } = {}): Promise<void> {
  const taken = tally;
  tally = emptyTally();
  const counted = taken.parked > 0 || taken.reconcileMissed > 0;
  if (notifier && (counted || options.always)) await flushAlerts(taken, notifier);
}

export function alertsMiddleware(options: { always?: boolean } = {}): MiddlewareObj {
  const flush = async () => flushNotifications(options);
  return { after: flush, onError: flush };
}
