import * as z from 'zod';

/** Small zod building blocks that every concern's schema is made of. */
export const csv = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

/** Unset or empty → undefined; anything else as given. */
export const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : value));

export const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? String(fallback) : value))
    .pipe(z.string().regex(/^\d+$/, 'expected a whole number').transform(Number))
    .pipe(z.number().int().positive());

/** Unset or empty → undefined; else it must match `pattern` (`message` says what is expected). */
export const optionalMatching = (pattern: RegExp, message: string) =>
  optionalText.refine((value) => value === undefined || pattern.test(value), message);

export const REGION = /^[a-z0-9-]+$/;

export const optionalUrl = (message: string) =>
  optionalText.refine((value) => value === undefined || URL.canParse(value), message);
