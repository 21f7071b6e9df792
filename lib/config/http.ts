import * as z from 'zod';
import { apiKeyId } from '../common/api-key-id';
import { csv, optionalText } from './values';

/** A secret shorter than this can be guessed; the sandbox generates longer ones itself. */
export const MIN_SECRET_LENGTH = 16;

/** One entry of API_KEYS: the key, and the name the audit knows it by. */
export interface NamedKey {
  /** `crm` for `crm:KEY`; `key-` and 8 hex digits of its SHA-256 for a bare key. */
  name: string;
  key: string;
}

/** `name:KEY` (docs/design.md "Access audit"); anything else is a bare key. */
const NAMED = /^([a-z0-9_.-]{1,32}):(.+)$/;

function namedKeys(entries: readonly string[]): NamedKey[] {
  return entries.map((entry) => {
    const named = NAMED.exec(entry);
    return named?.[1] && named[2]
      ? { name: named[1], key: named[2] }
      : { name: apiKeyId(entry), key: entry };
  });
}

/** Names given in `variable` that name no key of API_KEYS: start-up stops on them. */
function unknownNames(
  names: readonly string[] | undefined,
  keys: readonly NamedKey[],
  variable: string,
  ctx: z.RefinementCtx,
): void {
  for (const name of names ?? []) {
    if (keys.some((key) => key.name === name || apiKeyId(key.key) === name)) continue;
    ctx.addIssue({
      code: 'custom',
      path: [variable],
      message: `${JSON.stringify(name)} names no key of API_KEYS`,
    });
  }
}

/** Who may call the HTTP functions, and what each key may see and do. */
export const httpSchema = z
  .object({
    API_KEYS: z
      .string()
      .optional()
      .transform((value) => namedKeys(csv(value ?? ''))),
    // Names (or key-… ids) of the keys that see full numbers in browse and exports.
    API_KEYS_SEE_NUMBERS: z
      .string()
      .optional()
      .transform((value) => csv(value ?? '')),
    // Names of the keys that may export; unset: every key.
    API_KEYS_EXPORT: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value.trim() === '' ? undefined : csv(value))),
    REPORTS_TOKEN: optionalText,
    // Signs browse's session cookies and its recording route: 32+ random bytes, base64.
    BROWSE_SESSION_SECRET: optionalText,
    // Set by `npm start` for its own processes: weak secrets are refused everywhere else.
    VMS_SANDBOX: optionalText,
  })
  .superRefine((e, ctx) => {
    const names = e.API_KEYS.map((key) => key.name);
    const twice = names.filter((name, index) => names.indexOf(name) !== index);
    if (twice.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['API_KEYS'],
        message: `the name ${JSON.stringify(twice[0])} is given to two keys`,
      });
    unknownNames(e.API_KEYS_SEE_NUMBERS, e.API_KEYS, 'API_KEYS_SEE_NUMBERS', ctx);
    unknownNames(e.API_KEYS_EXPORT, e.API_KEYS, 'API_KEYS_EXPORT', ctx);
  })
  .transform((e) => {
    const allowed = (names: readonly string[]) => (key: NamedKey) =>
      names.includes(key.name) || names.includes(apiKeyId(key.key));
    return {
      /** The keys alone, as `x-api-key` carries them. */
      apiKeys: e.API_KEYS.map((key) => key.key),
      namedKeys: e.API_KEYS,
      /** Names of the keys that see full callee numbers in browse and exports. */
      seeNumbers: e.API_KEYS.filter(allowed(e.API_KEYS_SEE_NUMBERS)).map((key) => key.name),
      /** Names of the keys that may export. */
      exporters: e.API_KEYS.filter(e.API_KEYS_EXPORT ? allowed(e.API_KEYS_EXPORT) : () => true).map(
        (key) => key.name,
      ),
      reportsToken: e.REPORTS_TOKEN,
      sessionSecret: e.BROWSE_SESSION_SECRET,
      /** In `npm start`'s own processes, where short secrets of one's own are fine. */
      sandbox: e.VMS_SANDBOX === '1',
    };
  });
