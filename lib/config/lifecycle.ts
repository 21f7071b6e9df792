import * as z from 'zod';
import { optionalText } from './values';

/** Letting data go (docs/design.md "Letting data go"): retention and the keyed hash of numbers. */
export const lifecycleSchema = z
  .object({
    // Unset: keep forever. Days, by the call's day in Asia/Shanghai.
    RETENTION_DAYS: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value.trim() === '' ? undefined : value))
      .pipe(
        z
          .string()
          .regex(/^\d+$/, 'expected a whole number of days')
          .transform(Number)
          .pipe(z.number().int().positive().max(36_500))
          .optional(),
      ),
    // Keys the HMAC of numbers kept for matching: 32+ random bytes, base64.
    AUDIT_HASH_SECRET: optionalText,
  })
  .transform((e) => ({ retentionDays: e.RETENTION_DAYS, hashSecret: e.AUDIT_HASH_SECRET }));
