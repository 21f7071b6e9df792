import * as z from 'zod';

/**
 * Notification state (docs/design.md "Operating it"): when the last message left and what
 * has been counted since, shared by every function that notifies.
 */
export const ALERT_STATE_KEY = '_alerts/state.json';

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
