import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexRowOf } from '../../lib/layout/index-row-of';
import { DetailForIndexSchema, pendingRowKey } from '../../lib/layout/index-rows';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Writes `count` calls of task `taskId` on `date` into a file-system archive, each a copy of
 * the `detail.json` at `seedKey` (one without a recording: no audio to copy) with its own
 * call id, callee and start, call `i` starting `i` minutes after 10:00 China time, with its
 * pending index row, as a commit would leave them. Far quicker than pushing and archiving
 * them one by one; what a search or a call page reads is the same. Returns the refs
 * (`{taskId}/{date}/{callId}`), call 0 first.
 */
export function writeDayOfCalls(
  archive: string,
  seedKey: string,
  { taskId, date, count }: { taskId: string; date: string; count: number },
): string[] {
  const seed = readFileSync(join(archive, seedKey), 'utf8');
  return Array.from({ length: count }, (_, i) => {
    const detail = JSON.parse(seed);
    const callId = `${taskId}${pad(i, 4)}^8${pad(i, 6)}`;
    const at = `${pad(10 + Math.floor(i / 60), 2)}:${pad(i % 60, 2)}`;
    Object.assign(detail.call, {
      taskId,
      callId,
      callee: `1370000${pad(i, 4)}`,
      startedAt: `${date}T${at}:00+08:00`,
      endedAt: `${date}T${at}:12+08:00`,
    });
    const folder = `${taskId}/${date}/${callId.replace('^', '_')}`;
    mkdirSync(join(archive, folder), { recursive: true });
    writeFileSync(join(archive, folder, 'detail.json'), JSON.stringify(detail));
    const row = indexRowOf(DetailForIndexSchema.parse(detail), `${folder}/detail.json`);
    const key = join(archive, pendingRowKey(date, row));
    mkdirSync(join(key, '..'), { recursive: true });
    writeFileSync(key, `${JSON.stringify(row)}\n`);
    return `${taskId}/${date}/${callId}`;
  });
}
