import { z } from 'zod';
import type { SandboxTimer } from './timer';

const Answer = z.object({
  status: z.string(),
  cutoff: z.string().optional(),
  calls: z.number(),
  held: z.number(),
  receipts: z.array(z.string()),
});

/** The RETENTION_DAYS sweep once a day, as AWS and FC schedule it (nothing while it is unset). */
export const retention: SandboxTimer = {
  functionName: 'retention',
  everyMinutes: () => 24 * 60,
  describe: (answer) => {
    const parsed = Answer.safeParse(answer);
    if (!parsed.success) return '• retention: ?';
    const run = parsed.data;
    if (run.status === 'keep-forever')
      return '• retention: RETENTION_DAYS unset, keeping every call';
    return `• retention before ${run.cutoff}: ${run.calls} calls erased, ${run.held} held, receipts: ${run.receipts.join(', ') || 'none'}`;
  },
};
