import { chinaDate } from '../call-detail/china-time';
import { maskPhone } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { type AuditAction, type AuditRow, accessRowsKey } from './lifecycle';

/** What browse, the export and the CLI's destructive commands are handed to say who did what. */
export interface AccessAudit {
  record(who: string, action: AuditAction, target: string): void;
  /** Writes the rows recorded so far as one object (nothing when there are none). */
  flush(): Promise<void>;
}

/** A number anywhere in free text (7+ digits, `+`/`-`/spaces inside), masked. */
export const maskNumbers = (text: string): string =>
  text.replace(/\+?\d[\d\s-]{5,}\d/g, (number) => maskPhone(number.replace(/[\s-]/g, '')));

/** Filters whose values are free text, where a number may be typed: numbers in them masked. */
const FREE_TEXT = new Set(['text', 'result', 'label']);

/**
 * A search or an export's filters as an audit target: `name=value` joined by `&`, sorted,
 * empty ones left out; the callee filter masked (`138****0001`; four digits are only its
 * tail) and any number typed into a free-text filter masked. Ids and days stay as given.
 */
export function filtersTarget(filters: Record<string, string | number | undefined>): string {
  const shown = (name: string, value: string) => {
    if (name === 'callee') return value.length > 4 ? maskPhone(value.replace(/[\s-]/g, '')) : value;
    return FREE_TEXT.has(name) ? maskNumbers(value) : value;
  };
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined && value !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${shown(name, String(value))}`)
    .join('&');
}

/**
 * The access rows of one invocation (docs/design.md "Access audit"), batched: one object
 * `_audit/access/date={D}/{at}-{requestId}.jsonl` per flush, so a page of 50 plays costs one
 * write, not 50.
 */
export function accessAudit(
  store: Pick<ObjectStore, 'put'>,
  context: { requestId: string; ip: string | null; now?: () => number },
): AccessAudit {
  const rows: AuditRow[] = [];
  const now = context.now ?? Date.now;
  return {
    record(who, action, target) {
      rows.push({ at: new Date(now()).toISOString(), who, action, target, ip: context.ip });
    },
    async flush() {
      const batch = rows.splice(0, rows.length);
      const first = batch[0];
      if (!first) return;
      const key = accessRowsKey(chinaDate(Date.parse(first.at)), first.at, context.requestId);
      const body = batch.map((row) => JSON.stringify(row)).join('\n');
      await store.put(key, `${body}\n`, { contentType: 'application/x-ndjson; charset=utf-8' });
    },
  };
}
