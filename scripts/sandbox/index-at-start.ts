import { listIndexedDays } from '../../lib/call-index/reader';
import { rebuildIndex } from '../../lib/call-index/rebuild';
import type { Config } from '../../lib/config';
import { indexServices } from '../../lib/platform/wiring';

/**
 * The sandbox's archive may hold calls archived before the call index existed (an earlier
 * `npm start`): with no index at all, it is derived from their `detail.json`s once, as
 * `vms-call-archive index rebuild` would. Later calls get their rows at commit.
 */
export async function indexAtStart(config: Config): Promise<void> {
  const { store } = indexServices(config);
  if ((await listIndexedDays(store)).length > 0) return;
  const summary = await rebuildIndex(store, {});
  if (summary.rows > 0) console.log(`• call index: ${summary.rows} archived calls indexed`);
}
