/**
 * The Voice Service writes times in China Standard Time with no zone, in two formats:
 * `2019.06.14 15:22:23` (callStartTime) and `2019-06-19 20:44:17` (speakTime, pushes).
 * China has had no daylight saving time since 1991, so +08:00 is always right.
 */
const CHINA_TIME = /^(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

/** `2019.06.14 15:22:23` → `2019-06-14T15:22:23+08:00`; undefined when not a valid time. */
export function chinaTimeToIso(value: string): string | undefined {
  const m = CHINA_TIME.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as number[];
  const probe = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  const valid =
    probe.getUTCFullYear() === y &&
    probe.getUTCMonth() === (mo as number) - 1 &&
    probe.getUTCDate() === d &&
    (h as number) < 24 &&
    (mi as number) < 60 &&
    (s as number) < 60;
  if (!valid) return undefined;
  return `${y}-${pad(mo as number)}-${pad(d as number)}T${pad(h as number)}:${pad(mi as number)}:${pad(s as number)}+08:00`;
}

/** The calendar day in China (YYYY-MM-DD) of an instant. */
export function chinaDate(epochMs: number): string {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight of a China calendar day (YYYY-MM-DD), as epoch ms; undefined if no such day. */
export function chinaMidnight(day: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = m.slice(1).map(Number) as [number, number, number];
  const utc = Date.UTC(y, mo - 1, d);
  if (new Date(utc).getUTCDate() !== d || new Date(utc).getUTCMonth() !== mo - 1) return undefined;
  return utc - CHINA_OFFSET_MS;
}

/** An instant as China time, `2019-06-14T15:22:23+08:00`, as CallDetail writes its times. */
export function chinaIsoOf(epochMs: number): string {
  return `${new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
