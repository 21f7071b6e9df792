import { StoredDocumentError } from '../../../lib/layout/errors';
import { loadHoldSet } from '../../../lib/layout/hold-set';
import { holdKey } from '../../../lib/layout/lifecycle';
import { listHolds, releaseHold } from '../../../lib/lifecycle/holds';
import { memoryStore } from '../../support/memory-store';

const HOLD_ID = 'hold-0123456789ab';
const call = { taskId: '1045001', date: '2019-06-14', callId: '116950320375^1', callee: null };
const validHold = {
  schemaVersion: 1,
  id: HOLD_ID,
  createdAt: '2019-06-21T04:00:00.000Z',
  who: 'cli:alice',
  reason: 'dispute 42',
  scope: { kind: 'task', taskId: '1045001' },
};

describe('a hold that does not read is an error, never "no hold"', () => {
  it('given a valid hold on the task, then the call is held', async () => {
    const store = memoryStore(new Map([[holdKey(HOLD_ID), JSON.stringify(validHold)]]));

    const holds = await loadHoldSet(store, undefined);

    expect(holds.isHeld(call)).toBe(true);
  });

  it('given a hold cut short on disk, then loading the holds fails naming its key, so nothing held is erased', async () => {
    const store = memoryStore(new Map([[holdKey(HOLD_ID), '{"schemaVersion":1,"id":"ho']]));

    const loading = loadHoldSet(store, undefined);

    await expect(loading).rejects.toBeInstanceOf(StoredDocumentError);
    await expect(loading).rejects.toThrow('_holds/hold-0123456789ab.json: not JSON');
  });

  it('given a hold whose scope lost a field, then listing and releasing it fail naming the key and the field', async () => {
    const broken = { ...validHold, scope: { kind: 'task' } };
    const store = memoryStore(new Map([[holdKey(HOLD_ID), JSON.stringify(broken)]]));
    const actor = {
      store,
      hashSecret: 'x'.repeat(32),
      who: 'cli:alice',
      audit: { record: () => undefined, flush: async () => undefined },
    };

    await expect(listHolds(store)).rejects.toThrow(/^_holds\/hold-0123456789ab\.json: scope/);
    await expect(releaseHold(HOLD_ID, actor)).rejects.toBeInstanceOf(StoredDocumentError);
    expect(store.objects.has(holdKey(HOLD_ID))).toBe(true);
  });
});
