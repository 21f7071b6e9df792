import * as z from 'zod';

/** How much the functions log: Powertools Logger's own variable, validated here and handed to it. */
export const logSchema = z
  .object({
    POWERTOOLS_LOG_LEVEL: z
      .string()
      .optional()
      .transform((value) => (value ?? '').trim().toUpperCase() || 'INFO')
      .pipe(
        z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'], {
          error: 'expected DEBUG, INFO, WARN, ERROR or SILENT',
        }),
      ),
  })
  .transform((e) => ({ level: e.POWERTOOLS_LOG_LEVEL }));

export type LogLevel = z.output<typeof logSchema>['level'];
