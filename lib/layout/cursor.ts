import * as z from 'zod';
import { PREFIXES } from './prefixes';

/**
 * Reconcile's cursor: the tasks a run had no time for, taken first by the next run.
 * Written only when a run is cut short, deleted when one completes.
 */
export const RECONCILE_CURSOR_KEY = `${PREFIXES.reconcile}cursor.json`;

export const ReconcileCursorSchema = z.object({
  runId: z.string(),
  remaining: z.array(z.string()),
});

export type ReconcileCursor = z.infer<typeof ReconcileCursorSchema>;
