import { z } from 'zod';
import type { SandboxTimer } from './timer';

const Answer = z.array(
  z.object({ date: z.string(), status: z.string(), pendingFolded: z.number() }),
);

/** Compact the call index every INDEX_COMPACT_EVERY_MINUTES: pending rows into Parquet. */
export const indexCompact: SandboxTimer = {
  functionName: 'indexCompact',
  everyMinutes: (config) => config.callIndex.compactEveryMinutes,
  describe: (answer) => {
    const parsed = Answer.safeParse(answer);
    if (!parsed.success) return '• index compact: ?';
    const folded = parsed.data.reduce((sum, day) => sum + day.pendingFolded, 0);
    return `• index compact: ${parsed.data.length} days, ${folded} pending rows folded`;
  },
};
