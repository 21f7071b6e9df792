import { asyncTaskIdOf } from '../../../lib/dispatch/fc3-dispatcher';

const HOUR = Date.parse('2026-11-26T14:30:00Z');
const FC_TASK_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const job = (callId: string, date = '2019-06-14') => ({
  taskId: '1045001',
  callee: '13000000000',
  date,
  callId,
});

describe("FC 3.0's x-fc-async-task-id", () => {
  // 90+ characters: what the old id cut at 128 characters, hour first.
  const long = `${'9'.repeat(100)}^`;

  it('given two calls whose ids differ only past the 90th character, then their task ids differ', () => {
    const a = asyncTaskIdOf(job(`${long}1`), HOUR);
    const b = asyncTaskIdOf(job(`${long}2`), HOUR);

    expect(a).not.toBe(b);
    expect(a).toMatch(FC_TASK_ID);
  });

  it('given one long call id on two days, then two task ids', () => {
    expect(asyncTaskIdOf(job(`${long}1`, '2019-06-14'), HOUR)).not.toBe(
      asyncTaskIdOf(job(`${long}1`, '2019-06-15'), HOUR),
    );
  });

  it('given one call dispatched twice in an hour, then one task id that ends with the hour; the next hour another', () => {
    const first = asyncTaskIdOf(job(`${long}1`), HOUR);

    expect(asyncTaskIdOf(job(`${long}1`), HOUR + 20 * 60_000)).toBe(first);
    expect(first).toMatch(/_2026112614$/);
    expect(asyncTaskIdOf(job(`${long}1`), HOUR + 3600_000)).toMatch(/_2026112615$/);
  });

  it('given calls 7^8 and 7_8, or a call id with characters FC refuses, then distinct ids FC accepts', () => {
    const ids = ['7^8', '7_8', '7.8', '7 8'].map((callId) => asyncTaskIdOf(job(callId), HOUR));

    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(FC_TASK_ID);
  });
});
