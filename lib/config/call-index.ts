import * as z from 'zod';
import { positiveInt } from './values';

/** Node's timers hold at most 2^31 - 1 ms: 35,791 minutes. */
const MAX_TIMER_MINUTES = 35_791;

/** The call index. */
export const callIndexSchema = z
  .object({
    // Sandbox only: the platforms compact from their own scheduler (every 5 minutes).
    INDEX_COMPACT_EVERY_MINUTES: positiveInt(5).pipe(
      z.number().max(MAX_TIMER_MINUTES, `at most ${MAX_TIMER_MINUTES} minutes`),
    ),
  })
  .transform((e) => ({ compactEveryMinutes: e.INDEX_COMPACT_EVERY_MINUTES }));
