import { z } from 'zod';
import type { SandboxTimer } from './timer';

/** The parts of reconcile's summary its line shows; a missing one prints as `?`. */
const Answer = z.object({
  tasksSeen: z.number().optional(),
  callsListed: z.number().optional(),
  alreadyArchived: z.number().optional(),
  dispatched: z.number().optional(),
  failed: z.array(z.unknown()).optional(),
});

/** Reconcile every RECONCILE_EVERY_MINUTES: dispatches what the archive lacks. */
export const reconcile: SandboxTimer = {
  functionName: 'reconcile',
  everyMinutes: (config) => config.reconcile.everyMinutes,
  describe: (answer) => {
    const parsed = Answer.safeParse(answer);
    const s = parsed.success ? parsed.data : {};
    return `• reconcile: ${s.tasksSeen ?? '?'} recent tasks, ${s.callsListed ?? '?'} calls listed, ${s.alreadyArchived ?? '?'} archived, ${s.dispatched ?? '?'} dispatched, ${s.failed?.length ?? '?'} failed`;
  },
};
