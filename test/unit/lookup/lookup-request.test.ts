import { BadRequestError } from '../../../lib/errors';
import { parseLookupRequest } from '../../../lib/lookup/lookup-request';

const NOW = Date.parse('2026-11-25T17:30:00Z'); // already 26 November in Shanghai

describe('parseLookupRequest', () => {
  it('given a day, then QueryDate is noon of that day in China', () => {
    const query = parseLookupRequest(
      { taskId: '1045001', callee: '13000000000' },
      { date: '2019-06-14' },
      NOW,
    );

    expect(query).toEqual({
      taskId: '1045001',
      callee: '13000000000',
      date: '2019-06-14',
      queryDate: Date.parse('2019-06-14T12:00:00+08:00'),
    });
  });

  it('given no date, then it defaults to today in Asia/Shanghai, not in UTC', () => {
    expect(parseLookupRequest({ taskId: '1', callee: '1' }, undefined, NOW).date).toBe(
      '2026-11-26',
    );
  });

  it('given epoch milliseconds, then they are passed through and the day is China time', () => {
    const ms = Date.parse('2019-06-14T23:30:00+08:00');

    expect(
      parseLookupRequest({ taskId: '1', callee: '1' }, { date: String(ms) }, NOW),
    ).toMatchObject({
      date: '2019-06-14',
      queryDate: ms,
    });
  });

  it('given a URL-encoded + in the callee, then it is decoded and accepted', () => {
    expect(
      parseLookupRequest({ taskId: '1', callee: '%2B8613000000000' }, undefined, NOW).callee,
    ).toBe('+8613000000000');
  });

  it.each([
    [{ taskId: undefined, callee: '1' }, undefined, /taskId/],
    [{ taskId: '%2e%2e', callee: '1' }, undefined, /taskId/],
    [{ taskId: '1', callee: '../etc' }, undefined, /callee/],
    [{ taskId: '1', callee: '1'.repeat(33) }, undefined, /callee/],
    [{ taskId: '1', callee: '1' }, { date: '2019-13-01' }, /date/],
    [{ taskId: '1', callee: '1' }, { date: '2019-6-1' }, /date/],
  ])('given %j %j, then a 400 names the parameter', (path, query, name) => {
    const parse = () => parseLookupRequest(path, query, NOW);

    expect(parse).toThrow(BadRequestError);
    expect(parse).toThrow(name);
  });

  it('given a broken percent-encoding in the callee, then a 400 names the callee', () => {
    expect(() => parseLookupRequest({ taskId: '1', callee: '%' }, {}, 0)).toThrow(/^callee: /);
  });
});
