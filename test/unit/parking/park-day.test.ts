import { dayOverview } from '../../../lib/browse/archive-view';
import type { Dispatcher } from '../../../lib/model/dispatcher';
import { park } from '../../../lib/parking/park';
import { receiveReports } from '../../../lib/reports/receive-reports';
import { memoryStore } from '../../support/memory-store';

// Parked a week after the calls: 2019-06-21 in China.
const PARKED_AT = Date.parse('2019-06-21T04:00:00Z');
const TOKEN = 'unit-test-token-0123456789';
const noDispatch: Dispatcher = { describe: 'memory', dispatch: async () => undefined };

describe("parked items are filed under their call's day", () => {
  it("given a job of 2019-06-14 parked on 2019-06-21, then the 14th's overview counts it and the 21st's does not", async () => {
    const store = memoryStore();
    const job = { taskId: '1045001', callee: '13000000000', date: '2019-06-14', callId: '1^2' };

    await park(store, 'job', job, 'RecordingRefused: host not allowed', PARKED_AT);

    expect(await dayOverview(store, '2019-06-14')).toMatchObject({
      parked: 1,
      parkedReasons: { RecordingRefused: 1 },
    });
    expect(await dayOverview(store, '2019-06-21')).toMatchObject({ parked: 0 });
  });

  it('given a push whose bad records name two call days, then each day counts its own and a record with no day goes under today', async () => {
    const store = memoryStore();
    const bad = (start_time: string) => ({ callee: '13000000000', start_time });
    const body = JSON.stringify([
      bad('2019-06-14 10:00:00'),
      bad('2019-06-14 11:00:00'),
      bad('2019-06-15 09:00:00'),
      { callee: 'x' },
    ]);

    const result = await receiveReports(
      { token: TOKEN, body, isBase64Encoded: false },
      { reportsToken: TOKEN, store, dispatcher: noDispatch, now: () => PARKED_AT },
    );

    expect(result).toMatchObject({ accepted: 0, rejected: 4 });
    expect((await dayOverview(store, '2019-06-14')).parked).toBe(2);
    expect((await dayOverview(store, '2019-06-15')).parked).toBe(1);
    expect((await dayOverview(store, '2019-06-21')).parked).toBe(1);
  });
});
