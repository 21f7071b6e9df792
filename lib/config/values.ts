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

/**
 * The longest delay Node's timers hold (2^31 − 1 ms, about 24.8 days): a longer one fires
 * after 1 ms instead, again and again (`RECONCILE_EVERY_MINUTES=100000` ran reconcile every
 * millisecond until the sandbox ran out of file descriptors).
 */
export const TIMER_MAX_MS = 2 ** 31 - 1;

/** A whole number from 1 to `max` (`unit` names it in the error), `fallback` when unset. */
const boundedInt = (fallback: number, max: number, unit: string) =>
  positiveInt(fallback).pipe(
    z.number().max(max, `at most ${max} ${unit} (what Node's timers hold)`),
  );

/** A duration in milliseconds a timer can hold. */
export const durationMs = (fallback: number) => boundedInt(fallback, TIMER_MAX_MS, 'ms');
/** A duration in minutes a timer can hold: at most 35,791. */
export const durationMinutes = (fallback: number) =>
  boundedInt(fallback, Math.floor(TIMER_MAX_MS / 60_000), 'minutes');
/** A duration in hours a timer can hold: at most 596. */
export const durationHours = (fallback: number) =>
  boundedInt(fallback, Math.floor(TIMER_MAX_MS / 3_600_000), 'hours');

/** Unset or empty → undefined; else it must match `pattern` (`message` says what is expected). */
export const optionalMatching = (pattern: RegExp, message: string) =>
  optionalText.refine((value) => value === undefined || pattern.test(value), message);

export const REGION = /^[a-z0-9-]+$/;

export const optionalUrl = (message: string) =>
  optionalText.refine((value) => value === undefined || URL.canParse(value), message);
