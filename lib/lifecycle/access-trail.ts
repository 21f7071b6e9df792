import { forEachLimited } from '../common/for-each-limited';
import { ACCESS_PREFIX, type AuditRow, AuditRowSchema, parseCallKey } from '../layout/lifecycle';
import type { ObjectStore } from '../storage/object-store';

export interface AccessQuery {
  /** `{taskId}/{date}/{callId}` (`^` or `_`): the rows whose target is that call. */
  call?: string;
  /** A key's name (`crm`, `key-1a2b3c4d`) or `cli:<user>`. */
  who?: string;
  from?: string;
  to?: string;
}

/** The days under `_audit/access/` (one folder listing), within `from`..`to`. */
async function auditDays(store: ObjectStore, from?: string, to?: string): Promise<string[]> {
  const days: string[] = [];
  for (const folder of await store.listDirs(ACCESS_PREFIX)) {
    const day = /^date=(\d{4}-\d{2}-\d{2})$/.exec(folder)?.[1];
    if (day && (!from || day >= from) && (!to || day <= to)) days.push(day);
  }
  return days.sort();
}

/** The rows of one `.jsonl` object, each parsed with its schema; a bad line is skipped. */
function rowsOf(text: string): AuditRow[] {
  const rows: AuditRow[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = AuditRowSchema.safeParse(JSON.parse(line));
      if (parsed.success) rows.push(parsed.data);
    } catch {
      // A torn line is not a row.
    }
  }
  return rows;
}

/**
 * Who did what (docs/design.md "Access audit"): the access rows of the days asked for,
 * filtered, oldest first. An access to a call cannot come before the call's own day, so
 * `--call` alone reads from that day on.
 * @example await readAccessTrail(store, { call: '1045001/2019-06-14/116950320375_1' })
 */
export async function readAccessTrail(store: ObjectStore, query: AccessQuery): Promise<AuditRow[]> {
  const call = query.call ? parseCallKey(query.call) : undefined;
  const target = call ? `${call.taskId}/${call.date}/${call.callSegment}` : undefined;
  const from = query.from ?? call?.date;
  const keys: string[] = [];
  for (const day of await auditDays(store, from, query.to))
    keys.push(...(await store.list(`${ACCESS_PREFIX}date=${day}/`)));
  const byKey = new Map<string, AuditRow[]>();
  await forEachLimited(keys, 16, async (key) => {
    const bytes = await store.get(key);
    if (bytes) byKey.set(key, rowsOf(bytes.toString('utf8')));
  });
  // Keys sort by their time, and rows keep their order within one: a stable sort by `at`.
  const rows = [...byKey.keys()].sort().flatMap((key) => byKey.get(key) ?? []);
  return rows
    .filter(
      (row) =>
        (!target || row.target === target || row.target.startsWith(`${target} `)) &&
        (!query.who || row.who === query.who),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
}
