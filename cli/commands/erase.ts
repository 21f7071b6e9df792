import { createInterface } from 'node:readline/promises';
import { InvalidArgumentError } from 'commander';
import {
  describeRun,
  type EraseDeps,
  erase,
  finishInterruptedErasures,
  interruptedErasures,
} from '../../lib/lifecycle/erase';
import {
  type ErasurePlan,
  NotIndexedError,
  planCallErasure,
  planCalleeErasure,
} from '../../lib/lifecycle/erase-plan';
import { listReceipts, receiptLine } from '../../lib/lifecycle/receipts';
import type { CliCommand, CommandContext } from '../command';
import { callKey, day, number, range } from '../options';

interface EraseOptions {
  callee?: string;
  call?: string;
  reason?: string;
  dryRun: boolean;
  yes: boolean;
  suppress: boolean;
  receipts: boolean;
  from?: string;
  to?: string;
}

/**
 * A person at a terminal says yes; anything else (a script, a pipe) must pass --yes: an
 * erasure cannot be undone, so it never goes ahead unasked.
 */
export async function confirmed(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    console.error(
      'erase: not a terminal, so nobody can confirm: pass --yes to erase without asking',
    );
    return false;
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await terminal.question(`${question} Type "erase" to go on: `)).trim() === 'erase';
  } finally {
    terminal.close();
  }
}

export function printPlan(plan: ErasurePlan, verb: string): void {
  for (const call of plan.calls)
    console.log(`  ${verb} ${call.key} (${call.objects.length} objects)`);
  for (const key of plan.held) console.log(`  held ${key} (kept)`);
}

/** `erase`: one callee's calls, or one call, everywhere, with a receipt (docs/design.md). */
export const eraseCommand: CliCommand = (program, { services }) => {
  program
    .command('erase')
    .description(
      "erase a callee's calls or one call everywhere (recordings, detail.json, index rows, parked and journal entries), with a receipt; --receipts lists receipts",
    )
    .option('--callee <number>', 'every call to this number', number)
    .option('--call <taskId/date/callId>', 'one call', callKey)
    .option('--reason <text>', 'why (kept in the receipt; required)')
    .option('--dry-run', 'list what would go, erase nothing', false)
    .option('--yes', 'do not ask for confirmation (required when not on a terminal)', false)
    .option(
      '--suppress',
      'with --callee: refuse future calls to the number (kept as a keyed hash)',
      false,
    )
    .option('--receipts', 'list the erasure receipts', false)
    .option('--from <YYYY-MM-DD>', 'with --receipts: from this day (Asia/Shanghai)', day)
    .option('--to <YYYY-MM-DD>', 'with --receipts: up to this day', day)
    .action((options: EraseOptions) => runErase(options, services));
};

/** `--receipts` lists; otherwise one erasure, its options checked first, then audited. */
async function runErase(options: EraseOptions, services: CommandContext['services']) {
  const lifecycle = (await services()).lifecycle();
  if (options.receipts) {
    const receipts = await listReceipts(lifecycle.store, range(options));
    for (const receipt of receipts) console.log(receiptLine(receipt));
    console.log(`${receipts.length} receipts`);
    return;
  }
  if ([options.callee, options.call].filter(Boolean).length !== 1)
    throw new InvalidArgumentError('give one of --callee or --call');
  if (options.suppress && !options.callee)
    throw new InvalidArgumentError('--suppress goes with --callee');
  const reason = options.reason;
  if (!reason?.trim()) throw new InvalidArgumentError('--reason is required');
  await erasing('erase', lifecycle, () => run(options, { ...lifecycle, reason }));
}

/**
 * Runs an erasure (`erase`, `retention`): a day the index lacks stops it with exit code 2
 * and nothing erased; the audit rows are written whatever happens.
 */
export async function erasing(
  command: string,
  lifecycle: { audit: { flush(): Promise<void> } },
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error: unknown) {
    if (!(error instanceof NotIndexedError)) throw error;
    console.error(`${command}: nothing erased: ${error.message}`);
    process.exitCode = 2;
  } finally {
    await lifecycle.audit.flush();
  }
}

async function run(options: EraseOptions, deps: EraseDeps & { reason: string }): Promise<void> {
  const unfinished = await interruptedErasures(deps.store);
  const plan = options.callee
    ? await planCalleeErasure(deps.store, options.callee, deps.hashSecret)
    : await planCallErasure(deps.store, options.call ?? '', deps.hashSecret);
  const what = describeRun(plan);
  if (options.dryRun) {
    for (const left of unfinished)
      console.log(
        `  an interrupted erasure ${left.id} (${describeRun(left)}) would be finished first`,
      );
    printPlan(plan, 'would erase');
    console.log(
      `erase ${what} (dry run): ${plan.calls.length} calls would go, ${plan.held.length} held`,
    );
    return;
  }
  for (const receipt of await finishInterruptedErasures(deps))
    console.log(`finished the interrupted erasure ${receipt.id}: ${receipt.calls.length} calls`);
  if (plan.calls.length === 0 && plan.held.length === 0 && !options.suppress) {
    console.log(`erase ${what}: nothing to erase`);
    return;
  }
  printPlan(plan, 'erase');
  const question = `Erase ${plan.calls.length} calls of ${what} for good (${plan.held.length} held)?`;
  if (!(await confirmed(question, options.yes))) {
    console.log('erase: nothing erased');
    process.exitCode = 1;
    return;
  }
  const receipt = await erase(plan, { reason: deps.reason, suppress: options.suppress }, deps);
  if (!receipt) return;
  const objects = receipt.calls.reduce((sum, call) => sum + call.objects, 0);
  console.log(
    `erased ${receipt.calls.length} calls (${objects} objects), ${receipt.held.length} held; receipt ${receipt.id}`,
  );
}
