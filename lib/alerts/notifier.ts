import {
  ALERT_STATE_KEY,
  ALERTS_PREFIX,
  type AlertState,
  AlertStateSchema,
  EMPTY_ALERT_STATE,
} from '../layout/alerts';
import { errorFields, log } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { type AlertWebhook, sendWebhook } from './webhook';

export interface NotifierDeps {
  store: ObjectStore;
  webhook: AlertWebhook;
  everyMinutes: number;
  now?: () => number;
}

/** What happened since the last flush: counts only, never a number or a reason's text. */
export interface AlertTally {
  parked: number;
  reconcileMissed: number;
  reasons: Record<string, number>;
}

export const emptyTally = (): AlertTally => ({ parked: 0, reconcileMissed: 0, reasons: {} });

const add = (into: Record<string, number>, key: string, n: number) => {
  if (n > 0) into[key] = (into[key] ?? 0) + n;
};

async function readState(store: ObjectStore): Promise<AlertState> {
  // A listing first: a role without a list grant reads a missing object as 403, not absent.
  if (!(await store.list(ALERTS_PREFIX)).includes(ALERT_STATE_KEY))
    return structuredClone(EMPTY_ALERT_STATE);
  const raw = await store.get(ALERT_STATE_KEY);
  if (!raw) return structuredClone(EMPTY_ALERT_STATE);
  try {
    const parsed = AlertStateSchema.safeParse(JSON.parse(raw.toString('utf8')));
    return parsed.success ? parsed.data : structuredClone(EMPTY_ALERT_STATE);
  } catch {
    return structuredClone(EMPTY_ALERT_STATE);
  }
}

/** The message: counts and reason names since `since`, and where to look. */
export function alertText(state: AlertState, since: string | null): string {
  const parked = state.pending.parked ?? 0;
  const missed = state.pending.reconcileMissed ?? 0;
  const lines = [`vms-call-archive${since ? ` since ${since}` : ''}:`];
  if (parked > 0) {
    const reasons = Object.entries(state.reasons)
      .sort(([, a], [, b]) => b - a)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    lines.push(`- ${parked} parked in _rejected/${reasons ? ` (${reasons})` : ''}`);
  }
  if (missed > 0) lines.push(`- reconcile dispatched ${missed} calls the push did not bring`);
  lines.push(
    'See `vms-call-archive status` or browse; `vms-call-archive replay --from-rejected` once fixed.',
  );
  return lines.join('\n');
}

/** Whether the message left; a webhook that fails is logged (without its URL) and tried next time. */
async function sent(deps: NotifierDeps, text: string, nowMs: number): Promise<boolean> {
  try {
    await sendWebhook(deps.webhook, text, { nowMs });
    return true;
  } catch (error: unknown) {
    log('warn', 'notification not sent; its counts wait for the next one', errorFields(error));
    return false;
  }
}

/**
 * Adds `tally` to the shared state under `_alerts/`, and sends one message with everything
 * counted since the last one when ALERT_EVERY_MINUTES have passed; otherwise the counts wait
 * for the next flush (reconcile flushes every run, so they wait at most one run past the
 * interval). Best effort: two instances flushing at the same moment may each count, and a
 * webhook that fails keeps the counts for the next try. Never throws.
 */
export async function flushAlerts(tally: AlertTally, deps: NotifierDeps): Promise<boolean> {
  const now = (deps.now ?? Date.now)();
  try {
    const state = await readState(deps.store);
    add(state.pending, 'parked', tally.parked);
    add(state.pending, 'reconcileMissed', tally.reconcileMissed);
    for (const [reason, n] of Object.entries(tally.reasons)) add(state.reasons, reason, n);
    const nothing = Object.keys(state.pending).length === 0;
    const last = state.lastSentAt ? Date.parse(state.lastSentAt) : Number.NEGATIVE_INFINITY;
    const due = now - last >= deps.everyMinutes * 60_000;
    const send = !nothing && due && (await sent(deps, alertText(state, state.lastSentAt), now));
    if (!send && tally.parked === 0 && tally.reconcileMissed === 0) return false;
    const next = send
      ? { lastSentAt: new Date(now).toISOString(), pending: {}, reasons: {} }
      : state;
    await deps.store.put(ALERT_STATE_KEY, `${JSON.stringify(next, null, 2)}\n`, {
      contentType: 'application/json; charset=utf-8',
    });
    return send;
  } catch (error: unknown) {
    log('warn', 'notification not sent', errorFields(error));
    return false;
  }
}
