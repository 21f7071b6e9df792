import { type Receipt, retentionCutoff } from '../layout/lifecycle';
import { type EraseDeps, erase, finishInterruptedErasures } from './erase';
import { type ErasurePlan, planRetention } from './erase-plan';
import { sideFolders } from './side-days';

export interface RetentionOutcome {
  cutoff: string;
  plan: ErasurePlan;
  /** The side folders (`_rejected/{D}/`, `_exports/date={D}/`, …) of the expired days. */
  sideFolders: string[];
  /** The receipts written: an interrupted erasure's first, then this sweep's (none when nothing was due). */
  receipts: Receipt[];
}

/**
 * The retention sweep (RETENTION_DAYS; daily on AWS, FC and in the sandbox, and
 * `vms-call-archive retention`): erases every call of a day before today (Asia/Shanghai)
 * minus that many days, held calls excepted, with one receipt per run, and the side
 * prefixes of those days. A run with nothing due writes nothing. With `dryRun` it writes
 * nothing and says what would go.
 * @example await sweepRetention(30, { ...actor, who: 'retention' })
 */
export async function sweepRetention(
  retentionDays: number,
  deps: EraseDeps,
  options: { dryRun?: boolean } = {},
): Promise<RetentionOutcome> {
  const cutoff = retentionCutoff(retentionDays, (deps.now ?? Date.now)());
  const receipts = options.dryRun ? [] : await finishInterruptedErasures(deps);
  const plan = await planRetention(deps.store, cutoff, deps.hashSecret);
  const side = await sideFolders(deps.store, (day) => day < cutoff);
  const outcome = { cutoff, plan, sideFolders: side.map(({ folder }) => folder), receipts };
  if (options.dryRun || plan.calls.length + plan.held.length + side.length === 0) return outcome;
  const days = [...new Set([...(plan.days ?? []), ...side.map(({ day }) => day)])].sort();
  const receipt = await erase(
    { ...plan, days },
    { reason: `RETENTION_DAYS=${retentionDays}: calls before ${cutoff}` },
    deps,
  );
  if (receipt) receipts.push(receipt);
  return outcome;
}
