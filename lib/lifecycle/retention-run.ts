import { log } from '../log';
import { recordMetric } from '../metrics';
import type { EraseDeps } from './erase';
import { sweepRetention } from './retention';

/** What a scheduled sweep answers: counts and receipt ids, never a number. */
export interface RetentionRun {
  status: 'swept' | 'keep-forever';
  cutoff?: string;
  calls: number;
  held: number;
  sideFolders: number;
  receipts: string[];
}

/**
 * One scheduled sweep (AWS, FC, the sandbox's timer): RETENTION_DAYS unset keeps
 * everything; a failure is counted (RetentionSweepFailed) and thrown, so the platform
 * reports it, and the next run finishes what this one left (its run document).
 */
export async function runRetention(
  deps: (EraseDeps & { retentionDays: number | undefined }) | undefined,
): Promise<RetentionRun> {
  if (deps?.retentionDays === undefined)
    return { status: 'keep-forever', calls: 0, held: 0, sideFolders: 0, receipts: [] };
  try {
    const outcome = await sweepRetention(deps.retentionDays, deps);
    const run: RetentionRun = {
      status: 'swept',
      cutoff: outcome.cutoff,
      calls: outcome.plan.calls.length,
      held: outcome.plan.held.length,
      sideFolders: outcome.sideFolders.length,
      receipts: outcome.receipts.map((receipt) => receipt.id),
    };
    log('info', 'retention sweep', { ...run });
    return run;
  } catch (error: unknown) {
    recordMetric('RetentionSweepFailed', 1);
    throw error;
  } finally {
    await deps.audit.flush();
  }
}
