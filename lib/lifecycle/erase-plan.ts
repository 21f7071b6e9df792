import { listDay, listIndexedDays, readDayColumns } from '../call-index/reader';
import { forEachLimited } from '../common/for-each-limited';
import { VmsArchiveError } from '../errors';
import type { ErasureCall } from '../layout/erasure-run';
import { loadHoldSet } from '../layout/hold-set';
import type { IndexRow } from '../layout/index-rows';
import {
  callKeyOf,
  numberDigits,
  numberHash,
  parseCallKey,
  tombstoneKey,
} from '../layout/lifecycle';
import { isTaskFolder } from '../layout/prefixes';
import { maskPhone } from '../log';
import type { ObjectStore } from '../storage/object-store';

/**
 * Days the erasure must read that the index does not cover: a task folder holds a
 * `detail.json` of the day, and the index has neither parts nor pending rows for it (an
 * archive older than the index, or a day `index rebuild` has not reached). The erasure
 * stops before it writes anything (the CLI exits 2): a call the index does not know would
 * be left behind. A day the index covers only in part is what `index check` finds.
 */
export class NotIndexedError extends VmsArchiveError {
  override name = 'NotIndexedError';
  constructor(readonly days: readonly string[]) {
    super(
      `the call index does not cover ${days.join(', ')}: run \`vms-call-archive index rebuild --from ${days[0]} --to ${days[days.length - 1]}\` first`,
      { code: 'NotIndexed', statusCode: 409 },
    );
  }
}

/** What an erasure will take and what it will leave because it is held. */
export interface ErasurePlan {
  kind: 'callee' | 'call' | 'retention';
  calls: ErasureCall[];
  held: string[];
  callee?: { masked: string; hash: string };
  /** Retention: the days past RETENTION_DAYS. */
  days?: string[];
}

type FoundRow = Pick<IndexRow, 'task_id' | 'call_id' | 'callee'> & Partial<IndexRow>;
const PLAN_COLUMNS = ['callee', 'recording_key', 'detail_key'] as const;

/**
 * The days the archive has calls for and the index does not (see NotIndexedError): one
 * folder listing per task, and a listing of a task's day only where the index lacks it.
 */
export async function unindexedDays(
  store: ObjectStore,
  indexed: ReadonlySet<string>,
  within: (day: string) => boolean = () => true,
): Promise<string[]> {
  const tasks = (await store.listDirs('')).filter(isTaskFolder);
  const missing = new Set<string>();
  await forEachLimited(tasks, 8, async (task) => {
    for (const day of await store.listDirs(`${task}/`)) {
      if (indexed.has(day) || missing.has(day) || !within(day)) continue;
      const keys = await store.list(`${task}/${day}/`);
      if (keys.some((key) => key.endsWith('/detail.json'))) missing.add(day);
    }
  });
  return [...missing].sort();
}

/**
 * The days whose index holds a part or a pending row: a folder alone is not enough (on
 * `file://` an emptied day's folder stays behind).
 */
async function coveredDays(store: ObjectStore): Promise<string[]> {
  const days: string[] = [];
  for (const day of await listIndexedDays(store)) {
    const { parts, pending } = await listDay(store, day);
    if (parts.length + pending.length > 0) days.push(day);
  }
  return days;
}

/** The call as an erasure names it: its key and the objects its index row points at. */
function erasureCallOf(date: string, row: FoundRow): ErasureCall {
  const objects = [row.recording_key, row.detail_key].filter(
    (key): key is string => typeof key === 'string',
  );
  return {
    key: callKeyOf(row.task_id, date, row.call_id),
    taskId: row.task_id,
    date,
    callId: row.call_id,
    objects,
  };
}

/** Rows already tombstoned are another erasure's (finished, or to be finished first). */
async function splitRows(
  store: ObjectStore,
  hashSecret: string,
  found: { date: string; row: FoundRow }[],
): Promise<Pick<ErasurePlan, 'calls' | 'held'>> {
  const holds = await loadHoldSet(store, hashSecret);
  const calls: ErasureCall[] = [];
  const held: string[] = [];
  await forEachLimited(found, 16, async ({ date, row }) => {
    if (await store.head(tombstoneKey(row.task_id, date, row.call_id))) return;
    const call = erasureCallOf(date, row);
    if (
      holds.isHeld({ taskId: row.task_id, date, callId: row.call_id, callee: row.callee ?? null })
    )
      held.push(call.key);
    else calls.push(call);
  });
  calls.sort((a, b) => a.key.localeCompare(b.key));
  return { calls, held: held.sort() };
}

/**
 * Every call to `callee`, through the index: the callee column of every indexed day (its
 * footers and one column chunk per part, and the pending rows), never the task folders.
 */
export async function planCalleeErasure(
  store: ObjectStore,
  callee: string,
  hashSecret: string,
): Promise<ErasurePlan> {
  const days = await coveredDays(store);
  const unindexed = await unindexedDays(store, new Set(days));
  if (unindexed.length > 0) throw new NotIndexedError(unindexed);
  const digits = numberDigits(callee);
  const found: { date: string; row: FoundRow }[] = [];
  for (const date of days)
    for (const row of await readDayColumns(store, date, PLAN_COLUMNS))
      if (row.callee && numberDigits(row.callee) === digits)
        found.push({ date, row: { ...row, callee: row.callee } });
  return {
    kind: 'callee',
    ...(await splitRows(store, hashSecret, found)),
    callee: { masked: maskPhone(digits), hash: numberHash(hashSecret, digits) },
  };
}

/** One call, `{taskId}/{date}/{callId}`, through its day's index. */
export async function planCallErasure(
  store: ObjectStore,
  call: string,
  hashSecret: string,
): Promise<ErasurePlan> {
  const parsed = parseCallKey(call);
  if (!parsed)
    throw new VmsArchiveError('--call: expected {taskId}/{YYYY-MM-DD}/{callId}', {
      code: 'BadRequest',
      statusCode: 400,
    });
  const key = `${parsed.taskId}/${parsed.date}/${parsed.callSegment}`;
  const rows = await readDayColumns(store, parsed.date, PLAN_COLUMNS);
  const row = rows.find((r) => callKeyOf(r.task_id, parsed.date, r.call_id) === key);
  if (!row) {
    if (await store.head(`${key}/detail.json`)) throw new NotIndexedError([parsed.date]);
    return { kind: 'call', calls: [], held: [] };
  }
  return {
    kind: 'call',
    ...(await splitRows(store, hashSecret, [
      { date: parsed.date, row: { ...row, callee: row.callee ?? null } },
    ])),
  };
}

/**
 * Every call of the days before `cutoff` (RETENTION_DAYS), through the index; held ones
 * are named, not taken.
 */
export async function planRetention(
  store: ObjectStore,
  cutoff: string,
  hashSecret: string,
): Promise<ErasurePlan> {
  const indexed = await coveredDays(store);
  const unindexed = await unindexedDays(store, new Set(indexed), (day) => day < cutoff);
  if (unindexed.length > 0) throw new NotIndexedError(unindexed);
  const days = indexed.filter((day) => day < cutoff);
  const found: { date: string; row: FoundRow }[] = [];
  for (const date of days)
    for (const row of await readDayColumns(store, date, PLAN_COLUMNS))
      found.push({ date, row: { ...row, callee: row.callee ?? null } });
  return { kind: 'retention', ...(await splitRows(store, hashSecret, found)), days };
}
