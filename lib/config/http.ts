import * as z from 'zod';
import { csv, optionalText } from './values';

/** A secret shorter than this can be guessed; the sandbox generates longer ones itself. */
export const MIN_SECRET_LENGTH = 16;

/** Who may call the HTTP functions. */
export const httpSchema = z
  .object({
    API_KEYS: z
      .string()
      .optional()
      .transform((value) => csv(value ?? '')),
    REPORTS_TOKEN: optionalText,
    // Signs browse's session cookies and its recording route: 32+ random bytes, base64.
    BROWSE_SESSION_SECRET: optionalText,
    // Set by `npm start` for its own processes: weak secrets are refused everywhere else.
    VMS_SANDBOX: optionalText,
  })
  .transform((e) => ({
    apiKeys: e.API_KEYS,
    reportsToken: e.REPORTS_TOKEN,
    sessionSecret: e.BROWSE_SESSION_SECRET,
    /** In `npm start`'s own processes, where short secrets of one's own are fine. */
    sandbox: e.VMS_SANDBOX === '1',
  }));
