import * as z from 'zod';
import { durationHours, durationMinutes } from './values';

/** The net under the push. */
export const reconcileSchema = z
  .object({
    // Recording URLs live 48 h: looking further back finds calls whose recording is gone.
    RECONCILE_LOOKBACK_HOURS: durationHours(48),
    // Sandbox only: the platforms run reconcile from their own scheduler.
    RECONCILE_EVERY_MINUTES: durationMinutes(10),
  })
  .transform((e) => ({
    lookbackHours: e.RECONCILE_LOOKBACK_HOURS,
    everyMinutes: e.RECONCILE_EVERY_MINUTES,
  }));
