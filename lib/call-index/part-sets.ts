import * as z from 'zod';
import { partFileName } from '../layout/index-rows';

/** One part as a reader found it: its day, its path or key, and its footer's list, if any. */
export interface DeclaredPart {
  date: string;
  path: string;
  /** `DAY_PARTS_METADATA_KEY`'s value (JSON), as the footer holds it. */
  dayParts?: string;
}

const DayPartsSchema = z.array(z.string());

function namesOf(value: string | undefined): ReadonlySet<string> {
  if (value === undefined) return new Set();
  try {
    const parsed = DayPartsSchema.safeParse(JSON.parse(value));
    return new Set(parsed.success ? parsed.data : []);
  } catch {
    return new Set();
  }
}

/**
 * The days whose parts hold each call at most once between them, so a reader need not
 * dedupe them: a day of one part (no writer puts a call twice in a part), or a day whose
 * every part is named by one part's list of its day (`DAY_PARTS_METADATA_KEY`). Parts are
 * never rewritten in place, so the parts a run vouched for still hold what it wrote; a day
 * that also holds a part the run did not list (a crash before the parts it replaced went,
 * two compactions at once, a part written by erase) is left out, and deduped whole.
 */
export function daysWithoutDuplicates(parts: readonly DeclaredPart[]): Set<string> {
  const byDay = new Map<string, DeclaredPart[]>();
  for (const part of parts) {
    const day = byDay.get(part.date) ?? [];
    day.push(part);
    byDay.set(part.date, day);
  }
  const out = new Set<string>();
  for (const [date, day] of byDay) {
    const names = day.map((part) => partFileName(part.path.replaceAll('\\', '/')));
    const vouched = day.some((part) => {
      const listed = namesOf(part.dayParts);
      return names.every((name) => listed.has(name));
    });
    if (day.length === 1 || vouched) out.add(date);
  }
  return out;
}
