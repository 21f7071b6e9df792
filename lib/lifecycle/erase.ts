import { randomBytes } from 'node:crypto';
import { chinaDate } from '../call-detail/china-time';
import { removeFromIndex } from '../call-index/rewrite-parts';
import { BadRequestError } from '../errors';
import { readDocument } from '../layout/document';
import {
  type ErasureCall,
  type ErasureRun,
  ErasureRunSchema,
  erasureId,
  erasureRunKey,
  RUNS_PREFIX,
} from '../layout/erasure-run';
import {
  LIFECYCLE_JSON,
  LIFECYCLE_SCHEMA_VERSION,
  type Receipt,
  receiptKey,
  suppressionKey,
  TombstoneSchema,
  tombstoneKey,
} from '../layout/lifecycle';
import { log } from '../log';
import type { ObjectStore } from '../storage/object-store';
import type { ErasurePlan } from './erase-plan';
import type { LifecycleActor } from './holds';
import { sweepSideDays } from './side-days';
import { namingCallee, namingCalls, type SideOutcome, scrubSideEntries } from './side-entries';

/** The points an erasure can be stopped between (tests kill a run at each). */
export type EraseStep = 'run-written' | 'tombstoned' | 'objects-gone' | 'index-done' | 'side-done';

export interface EraseDeps extends LifecycleActor {
  sleep?: (ms: number) => Promise<void>;
  onStep?: (step: EraseStep) => Promise<void> | void;
}

const put = (store: ObjectStore, key: string, document: unknown) =>
  store.put(key, `${JSON.stringify(document, null, 2)}\n`, LIFECYCLE_JSON);

/**
 * Erases what `plan` found (docs/design.md "Letting data go"), in the contract's order:
 * the run's own document, each call's tombstone, the suppression (with `suppress`), the
 * calls' objects (every version), their index rows, the side entries naming them, and
 * last the receipt. Audited as `erase`.
 * @example await erase(await planCalleeErasure(store, '13800000001', secret), { reason: 'request 42' }, actor)
 */
export async function erase(
  plan: ErasurePlan,
  options: { reason: string; suppress?: boolean },
  deps: EraseDeps,
): Promise<Receipt | undefined> {
  if (options.reason.trim() === '') throw new BadRequestError('--reason: say why the calls go');
  const nothing = plan.calls.length === 0 && plan.held.length === 0 && !options.suppress;
  if (nothing && plan.kind !== 'retention') return undefined;
  const now = deps.now ?? Date.now;
  const run: ErasureRun = {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: erasureId(now(), randomBytes(4).toString('hex')),
    startedAt: new Date(now()).toISOString(),
    reason: options.reason,
    kind: plan.kind,
    who: deps.who,
    callee: plan.callee,
    suppress: options.suppress === true && plan.callee !== undefined,
    calls: plan.calls,
    held: plan.held,
    days: plan.days,
  };
  await put(deps.store, erasureRunKey(run.id), run);
  await deps.onStep?.('run-written');
  return finishRun(run, deps);
}

/**
 * Every erasure a crash left unfinished (`_erased/runs/`), finished under its own id: its
 * tombstones name its calls, so a rerun ends with one receipt. Run before any new erasure.
 */
export async function finishInterruptedErasures(deps: EraseDeps): Promise<Receipt[]> {
  const receipts: Receipt[] = [];
  for (const key of await deps.store.list(RUNS_PREFIX)) {
    const run = await readDocument(deps.store, ErasureRunSchema, key);
    if (!run) continue;
    log('warn', 'finishing an interrupted erasure', { id: run.id, calls: run.calls.length });
    receipts.push(await finishRun(run, deps));
  }
  return receipts;
}

/** The interrupted erasures, unfinished: what a dry run says will be finished first. */
export async function interruptedErasures(store: ObjectStore): Promise<ErasureRun[]> {
  const runs: ErasureRun[] = [];
  for (const key of await store.list(RUNS_PREFIX)) {
    const run = await readDocument(store, ErasureRunSchema, key);
    if (run) runs.push(run);
  }
  return runs;
}

/**
 * An erasure run taken in the contract's order, each step announced to `onStep` (the
 * crash tests stop there): tombstones first, then the objects, the index, the side entries,
 * and last the receipt, so a rerun from any step ends with the same one.
 */
async function finishRun(run: ErasureRun, deps: EraseDeps): Promise<Receipt> {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  await markErased(run, store, now);
  await deps.onStep?.('tombstoned');
  const counted: Receipt['calls'] = [];
  for (const call of run.calls) counted.push(await removeCall(store, call, run));
  await deps.onStep?.('objects-gone');
  const index = await dropFromIndex(run, store, { now, sleep: deps.sleep });
  await deps.onStep?.('index-done');
  const side = await scrubSide(run, deps);
  const sideObjects = run.days ? await sweepSideDays(store, run.days) : undefined;
  await deps.onStep?.('side-done');
  const receipt: Receipt = {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: run.id,
    at: new Date(now()).toISOString(),
    reason: run.reason,
    kind: run.kind,
    who: run.who,
    ...(run.callee ? { callee: run.callee, suppressed: run.suppress } : {}),
    calls: counted,
    held: run.held,
    index,
    sideEntries: { rewritten: side.rewritten, deleted: side.deleted },
    ...(run.days ? { days: run.days, sideObjects: sideObjects ?? 0 } : {}),
  };
  await put(store, receiptKey(chinaDate(Date.parse(receipt.at)), run.id), receipt);
  await store.purge(erasureRunKey(run.id));
  deps.audit.record(deps.who, 'erase', `${run.id} ${describeRun(run)}`);
  log('info', 'erased', {
    id: run.id,
    kind: run.kind,
    calls: counted.length,
    held: run.held.length,
  });
  return receipt;
}

/** Every call's tombstone, and the number's suppression when the run asks for it. */
async function markErased(run: ErasureRun, store: ObjectStore, now: () => number): Promise<void> {
  for (const call of run.calls) await tombstone(store, call, run, now);
  if (run.suppress && run.callee)
    await put(store, suppressionKey(run.callee.hash), {
      schemaVersion: LIFECYCLE_SCHEMA_VERSION,
      suppressedAt: run.startedAt,
      receiptId: run.id,
      callee: run.callee.masked,
    });
}

/** The run's calls out of the call index, day by day; what was rewritten, counted. */
async function dropFromIndex(
  run: ErasureRun,
  store: ObjectStore,
  clock: { now: () => number; sleep?: EraseDeps['sleep'] },
): Promise<Receipt['index']> {
  const index = { partsRewritten: 0, pendingDeleted: 0, versions: 0 };
  for (const [date, keys] of byDay(run.calls)) {
    const removed = await removeFromIndex(store, date, keys, clock);
    index.partsRewritten += removed.partsRewritten;
    index.pendingDeleted += removed.pendingDeleted;
    index.versions += removed.versions;
  }
  return index;
}

/** How the audit and the CLI name what an erasure asked for: no number in clear. */
export function describeRun(run: Pick<ErasureRun, 'kind' | 'callee' | 'calls' | 'days'>): string {
  if (run.kind === 'callee') return `callee ${run.callee?.masked ?? '?'}`;
  if (run.kind === 'call') return run.calls[0]?.key ?? 'call';
  const days = run.days ?? [];
  return days.length > 0 ? `retention ${days[0]}..${days[days.length - 1]}` : 'retention';
}

/** A call's tombstone, unless this run wrote it already (a rerun keeps its counts). */
async function tombstone(
  store: ObjectStore,
  call: ErasureCall,
  run: ErasureRun,
  now: () => number,
) {
  const key = tombstoneKey(call.taskId, call.date, call.callId);
  const existing = await readDocument(store, TombstoneSchema, key);
  if (existing?.receiptId === run.id) return;
  await put(store, key, {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    erasedAt: new Date(now()).toISOString(),
    receiptId: run.id,
  });
}

/**
 * The call's objects, every version: those its index row named and whatever else its
 * folder holds. The counts go into its tombstone, so a rerun counts what this run removed.
 */
async function removeCall(store: ObjectStore, call: ErasureCall, run: ErasureRun) {
  const key = tombstoneKey(call.taskId, call.date, call.callId);
  const stone = await readDocument(store, TombstoneSchema, key);
  if (stone?.objects !== undefined && stone.versions !== undefined)
    return { key: call.key, objects: stone.objects, versions: stone.versions };
  const objects = new Set([...call.objects, ...(await store.list(`${call.key}/`))]);
  let gone = 0;
  let versions = 0;
  for (const object of [...objects].sort()) {
    const removed = await store.purge(object);
    versions += removed;
    if (removed > 0) gone++;
  }
  await put(store, key, {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    erasedAt: stone?.erasedAt ?? run.startedAt,
    receiptId: run.id,
    objects: gone,
    versions,
  });
  return { key: call.key, objects: gone, versions };
}

function byDay(calls: readonly ErasureCall[]): Map<string, Set<string>> {
  const days = new Map<string, Set<string>>();
  for (const call of calls) days.set(call.date, (days.get(call.date) ?? new Set()).add(call.key));
  return days;
}

/** By callee: every side entry naming the number; by call or sweep: those naming the calls. */
async function scrubSide(run: ErasureRun, deps: EraseDeps): Promise<SideOutcome> {
  if (run.kind === 'callee' && run.callee)
    return scrubSideEntries(deps.store, namingCallee(deps.hashSecret, run.callee.hash));
  if (run.calls.length === 0) return { rewritten: 0, deleted: 0, versions: 0 };
  return scrubSideEntries(deps.store, namingCalls(run.calls.map((call) => call.callId)));
}
