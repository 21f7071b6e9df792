import { t } from './i18n';

/** How the page shows values: China time (Asia/Shanghai, where the calls happen), codes in words. */
const ZONE = 'Asia/Shanghai';

/** Today in China, `YYYY-MM-DD`, whatever the reviewer's own time zone. */
export const chinaToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());

/** `2019-06-14T15:22:23+08:00` → `2019/06/14 15:22:23` (zh) or `14 Jun 2019, 15:22:23` (en). */
export function chinaDateTime(iso: string | null | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return t().empty;
  return new Intl.DateTimeFormat(t().locale, {
    timeZone: ZONE,
    year: 'numeric',
    month: t().htmlLang === 'en' ? 'short' : '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** `15:22:23`, China time. */
export function chinaClock(iso: string | null | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return t().empty;
  return new Intl.DateTimeFormat(t().locale, {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** Seconds as a clock: `1:05`. */
export const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

export const duration = (seconds: number | null) =>
  seconds === null ? t().empty : `${clock(seconds)}`;

export function bytes(n: number): string {
  const number = (value: number, digits: number) =>
    new Intl.NumberFormat(t().locale, { maximumFractionDigits: digits }).format(value);
  if (n < 1024) return t().units.bytes(number(n, 0));
  if (n < 1024 * 1024) return t().units.kib(number(n / 1024, 0));
  return t().units.mib(number(n / 1024 / 1024, 1));
}

const word = (table: Record<string, string>, code: string | null) =>
  code === null ? t().empty : (table[code] ?? t().codes.unknown(code));

export const hangupWords = (code: string | null) => word(t().codes.hangupBy, code);
export const transferWords = (code: string | null) => word(t().codes.transfer, code);
export const recordingWords = (code: string | null) => word(t().codes.recording, code);
/** The upstream's result in this language where known, else as received. */
export const resultWords = (result: string | null) =>
  result === null ? t().empty : (t().codes.results[result] ?? result);

/** `{sure: 2, deny: 2, reject: 0}` → `肯定 2 次、否定 2 次`. */
export function countWords(counts: Record<string, number | null>): string {
  const names: Record<string, string> = t().codes.counts;
  const parts = Object.entries(counts)
    .filter(([, n]) => n)
    .map(([name, n]) => t().codes.countOf(names[name] ?? name, n ?? 0));
  return parts.join(t().htmlLang === 'en' ? ', ' : '、') || t().empty;
}

export const labelWords = (labels: readonly string[]) =>
  labels.join(t().htmlLang === 'en' ? ', ' : '、') || t().empty;
