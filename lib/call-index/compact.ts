import { randomBytes } from 'node:crypto';
import { forEachLimited } from '../common/for-each-limited';
import { reasonOf } from '../errors';
import {
  dayOfFolder,
  type IndexRow,
  LAST_COMPACTION_KEY,
  type LastCompaction,
  PENDING_PREFIX,
  parsePendingKey,
  partFileName,
  partKey,
} from '../layout/index-rows';
import { log } from '../log';
import { recordMetric } from '../metrics';
import type { ObjectStore } from '../storage/object-store';
import {
  type CompactionPlan,
  packAdded,
  planCompaction,
  replaceIn,
  rewrittenRows,
} from './compaction-plan';
import { acquireLease } from './lease';
import { encodePart } from './parquet';
import { listDay, readPart, readPartKeys, readPendingRows, StaleListingError } from './reader';

/** docs/design.md: parts of at most ~20,000 rows, so a rewrite touches few rows. */
export const MAX_ROWS_PER_PART = 20_000;

/** The points a crash can fall between (tests stop a run at each). */
export type CompactStep = 'listed' | 'read' | 'part-written' | 'parts-deleted' | 'pending-deleted';

export interface CompactDeps {
  store: ObjectStore;
  now?: () => number;
  /** Names this run's parts and its lease; random by default. */
  runId?: string;
  maxRowsPerPart?: number;
  onStep?: (step: CompactStep) => Promise<void> | void;
}

export interface CompactResult {
  date: string;
  status: 'compacted' | 'idle' | 'busy';
  pendingFolded: number;
  partsWritten: string[];
  partsDeleted: string[];
  rows: number;
}

/**
 * Folds one day's pending rows into its Parquet parts (docs/design.md "The call index",
 * "Compaction"): list → read → write new parts → delete the parts they replace → delete
 * exactly the pending keys read. Crash-safe at every step: nothing is deleted before what
 * holds its rows is written, so a crash leaves at worst a call twice (readers dedupe; the
 * next run folds it away). Two at once are kept apart by the day's lease, and stay correct
 * without it. Answers `busy` when another compactor holds the day.
 * @example await compactDay('2019-06-14', { store });
 */
export async function compactDay(date: string, deps: CompactDeps): Promise<CompactResult> {
  const now = deps.now ?? Date.now;
  const run = deps.runId ?? randomBytes(4).toString('hex');
  const busy: CompactResult = {
    date,
    status: 'busy',
    pendingFolded: 0,
    partsWritten: [],
    partsDeleted: [],
    rows: 0,
  };
  const lease = await acquireLease(deps.store, date, run, now);
  if (!lease) return busy;
  try {
    return await compactLeased(date, run, { ...deps, now });
  } catch (error: unknown) {
    // Another compactor replaced what this one listed: it has done the work.
    if (error instanceof StaleListingError) return busy;
    throw error;
  } finally {
    await lease.release();
  }
}

type Leased = CompactDeps & { now: () => number };

async function compactLeased(date: string, run: string, deps: Leased): Promise<CompactResult> {
  const { store } = deps;
  const step = async (name: CompactStep) => deps.onStep?.(name);
  const listing = await listDay(store, date);
  recordPendingAge(listing.pending, deps.now());
  await step('listed');
  const pending = await readPendingRows(store, listing.pending);
  const keys = new Map<string, Awaited<ReturnType<typeof readPartKeys>>>();
  for (const part of listing.parts) keys.set(part, await readPartKeys(store, part));
  await step('read');
  const plan = planCompaction(keys, pending);
  const full = new Map<string, IndexRow[]>();
  const load = async (part: string) => {
    const rows = full.get(part) ?? (await readPart(store, part));
    full.set(part, rows);
    return rows;
  };
  await settleTies(plan, load);
  const outputs = await outputsOf(plan, keys, load, deps.maxRowsPerPart ?? MAX_ROWS_PER_PART);
  const replaced = [...plan.rewrite].sort();
  const kept = listing.parts.filter((part) => !plan.rewrite.has(part));
  const written = await writeParts(store, date, run, { outputs, kept }, deps, step);
  for (const part of replaced) await store.delete(part);
  await step('parts-deleted');
  await forEachLimited(listing.pending, 32, (key) => store.delete(key));
  await step('pending-deleted');
  const result: CompactResult = {
    date,
    status: written.length + replaced.length + pending.length > 0 ? 'compacted' : 'idle',
    pendingFolded: pending.length,
    partsWritten: written,
    partsDeleted: replaced,
    rows: outputs.reduce((sum, rows) => sum + rows.length, 0),
  };
  if (result.status === 'compacted') log('info', 'index compacted', { ...result });
  return result;
}

/** The index's lag: how long the oldest pending row of the day has waited. */
function recordPendingAge(pending: readonly string[], now: number): void {
  const oldest = Math.min(...pending.map((key) => parsePendingKey(key)?.archivedAtMs ?? now));
  if (pending.length > 0) recordMetric('IndexPendingAgeSeconds', (now - oldest) / 1000);
}

const sameRow = (a: IndexRow, b: IndexRow) => JSON.stringify(a) === JSON.stringify(b);

/** A tie is the same commit: only a row that differs from its part's makes a rewrite. */
async function settleTies(
  plan: CompactionPlan,
  load: (part: string) => Promise<IndexRow[]>,
): Promise<void> {
  for (const { part, index, row } of plan.ties) {
    const stored = (await load(part))[index];
    if (!stored || !sameRow(stored, row)) replaceIn(plan, part, row);
  }
}

/**
 * The rows of every part to write: each rewritten part's rows, and the new calls topped up
 * into one part with room (a rewritten one if any has room, else the smallest), then parts
 * of `max`.
 */
async function outputsOf(
  plan: CompactionPlan,
  keys: ReadonlyMap<string, readonly unknown[]>,
  load: (part: string) => Promise<IndexRow[]>,
  max: number,
): Promise<IndexRow[][]> {
  const size = (part: string) => keys.get(part)?.length ?? 0;
  const withRoom = [...keys.keys()].filter((part) => size(part) < max);
  const open =
    plan.added.length === 0
      ? undefined
      : (withRoom.find((part) => plan.rewrite.has(part)) ??
        withRoom.sort((a, b) => size(a) - size(b))[0]);
  if (open) plan.rewrite.add(open);
  const outputs: IndexRow[][] = [];
  for (const part of [...plan.rewrite].sort()) {
    if (part === open) continue;
    const rows = rewrittenRows(plan, part, await load(part));
    if (rows.length > 0) outputs.push(rows);
  }
  const openRows = open ? rewrittenRows(plan, open, await load(open)) : [];
  outputs.push(...packAdded(plan.added, openRows, max));
  return outputs;
}

/**
 * Writes the run's parts, each naming the day's parts once the run is done (those it keeps
 * and its own): the run read every part's keys and kept each call once, so between them
 * they hold each call once (`DAY_PARTS_METADATA_KEY`), which spares readers a dedupe.
 */
async function writeParts(
  store: ObjectStore,
  date: string,
  run: string,
  day: { outputs: readonly IndexRow[][]; kept: readonly string[] },
  deps: Leased,
  step: (name: CompactStep) => Promise<void>,
): Promise<string[]> {
  const at = deps.now();
  const keys = day.outputs.map((_, n) => partKey(date, at, run, n));
  const dayParts = [...day.kept, ...keys].map(partFileName);
  for (const [n, rows] of day.outputs.entries()) {
    await store.put(keys[n] as string, Buffer.from(encodePart(rows, { dayParts })), {
      contentType: 'application/vnd.apache.parquet',
    });
    await step('part-written');
  }
  return keys;
}

/** The days that have pending rows: what a scheduled run compacts. */
export async function daysWithPending(store: ObjectStore): Promise<string[]> {
  const folders = await store.listDirs(PENDING_PREFIX);
  return folders.flatMap((folder) => dayOfFolder(folder) ?? []).sort();
}

/**
 * One scheduled run (AWS, FC, the sandbox's timer, `index compact`): every day with pending
 * rows, or just `date`, one after another.
 */
export async function compactIndex(
  deps: CompactDeps,
  options: { date?: string } = {},
): Promise<CompactResult[]> {
  const results: CompactResult[] = [];
  let days: string[] = options.date ? [options.date] : [];
  try {
    if (!options.date) days = await daysWithPending(deps.store);
    for (const date of days) results.push(await compactDay(date, deps));
  } catch (error: unknown) {
    recordMetric('IndexCompactionFailed', 1);
    await noteRun(deps, { ok: false, days, results, error: reasonOf(error) });
    throw error;
  }
  await noteRun(deps, { ok: true, days, results });
  return results;
}

/**
 * How the run ended, at `index/state/last-compaction.json` (`doctor` reads it). A note that
 * cannot be written is logged, never the run's failure: the rows are folded either way.
 */
async function noteRun(
  deps: CompactDeps,
  run: { ok: boolean; days: string[]; results: CompactResult[]; error?: string },
): Promise<void> {
  const note: LastCompaction = {
    finishedAt: new Date((deps.now ?? Date.now)()).toISOString(),
    ok: run.ok,
    days: run.days,
    pendingFolded: run.results.reduce((sum, result) => sum + result.pendingFolded, 0),
    ...(run.error === undefined ? {} : { error: run.error }),
  };
  try {
    await deps.store.put(LAST_COMPACTION_KEY, `${JSON.stringify(note)}\n`, {
      contentType: 'application/json',
    });
  } catch (error: unknown) {
    log('warn', 'cannot note the compaction run', { error: reasonOf(error) });
  }
}
