import * as z from 'zod';
import { PREFIXES } from './prefixes';

/**
 * Notification state (docs/design.md "Operating it"): when the last message left and what
 * has been counted since, shared by every function that notifies.
 */
export const ALERTS_PREFIX = PREFIXES.alerts;
export const ALERT_STATE_KEY = `${ALERTS_PREFIX}state.json`;

const counts = z.record(z.string(), z.number().int().nonnegative());

export const AlertStateSchema = z.object({
  lastSentAt: z.string().nullable(),
  /** Since lastSentAt: `parked`, `reconcileMissed`. */
  pending: counts,
  /** Parked items by their Reason (an error's name), since lastSentAt. */
  reasons: counts,
});

export type AlertState = z.output<typeof AlertStateSchema>;

export const EMPTY_ALERT_STATE: AlertState = { lastSentAt: null, pending: {}, reasons: {} };
