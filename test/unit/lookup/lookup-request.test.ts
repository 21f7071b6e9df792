import { BadRequestError, CallNotFoundError } from '../../../lib/errors';
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

  it.each([
    ['a year before 1970', '1969-12-31'],
    ['a year after 2100', '2101-01-01'],
    ['epoch seconds', '1560497000'],
    ['epoch milliseconds before 1970', '-1000'],
  ])('given %s, then a 400 names date', (_name, date) => {
    const parse = () => parseLookupRequest({ taskId: '1', callee: '1' }, { date }, NOW);

    expect(parse).toThrow(BadRequestError);
    expect(parse).toThrow(/^date: /);
  });

  it('given epoch seconds, then the message says so and shows the milliseconds', () => {
    expect(() =>
      parseLookupRequest({ taskId: '1', callee: '1' }, { date: '1560497000' }, NOW),
    ).toThrow('date: 1560497000 looks like epoch seconds; give epoch milliseconds (1560497000000)');
  });

  it('given a day still to come in China, then a 404 that says so rather than "retry"', () => {
    const parse = () =>
      parseLookupRequest({ taskId: '1', callee: '1' }, { date: '2026-11-27' }, NOW);

    expect(parse).toThrow(CallNotFoundError);
    let thrown: unknown;
    try {
      parse();
    } catch (error: unknown) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ statusCode: 404, code: 'CallNotFound', retryable: false });
    expect(parse).toThrow('No call on 2026-11-27: that day (China time) has not come yet');
  });

  it('given a task id with leading zeros, then it is read canonically', () => {
    expect(parseLookupRequest({ taskId: '0001045001', callee: '1' }, undefined, NOW).taskId).toBe(
      '1045001',
    );
  });

  it('given a broken percent-encoding in the callee, then a 400 names the callee', () => {
    expect(() => parseLookupRequest({ taskId: '1', callee: '%' }, {}, 0)).toThrow(/^callee: /);
  });
});
