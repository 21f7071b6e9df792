import { storeJournal } from '../../../lib/dispatch/job-journal';
import { memoryStore } from '../../support/memory-store';

const GOOD = { taskId: '1045001', callee: '13000000000', date: '2019-06-14' };

describe('storeJournal().unfinished', () => {
  it('given an entry with one unreadable job, then the readable jobs go on and the bad one is parked with its reason', async () => {
    const store = memoryStore();
    store.objects.set(
      '_pending/2019-06-14/a.json',
      JSON.stringify({ jobs: [GOOD, { taskId: 'x' }, { ...GOOD, callee: '13000000001' }] }),
    );

    const entries = await storeJournal(store).unfinished();

    expect(entries).toEqual([
      { id: '_pending/2019-06-14/a.json', jobs: [GOOD, { ...GOOD, callee: '13000000001' }] },
    ]);
    const parked = [...store.objects].filter(([key]) => key.startsWith('_rejected/'));
    expect(parked).toHaveLength(1);
    expect(JSON.parse(parked[0]?.[1] ?? '{}')).toMatchObject({
      kind: 'job',
      job: { taskId: 'x' },
      reason: expect.stringContaining('journal entry _pending/2019-06-14/a.json'),
    });
  });

  it('given an entry that is not JSON, then it is parked whole and reported with no jobs', async () => {
    const store = memoryStore();
    store.objects.set('_pending/2019-06-14/b.json', '{"jobs": [');

    const entries = await storeJournal(store).unfinished();

    expect(entries).toEqual([{ id: '_pending/2019-06-14/b.json', jobs: [] }]);
    const parked = [...store.objects].filter(([key]) => key.startsWith('_rejected/'));
    expect(JSON.parse(parked[0]?.[1] ?? '{}')).toMatchObject({ job: '{"jobs": [' });
  });
});
