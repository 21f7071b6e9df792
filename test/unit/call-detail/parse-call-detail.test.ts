import {
  parseCallDetail,
  parseCallDetailResponse,
} from '../../../lib/call-detail/parse-call-detail';
import { CallDetailParseError, CallNotReadyError } from '../../../lib/errors';
import { readFixture, readJsonFixture } from '../../fixtures/read-fixture';

const xmlData = () => {
  const match = /<Data>([\s\S]*)<\/Data>/.exec(readFixture('seed-xml-example.xml'));
  if (!match?.[1]) throw new Error('fixture has no <Data>');
  return match[1];
};

/** The fields every seed example carries, normalized. */
const seedFields = {
  taskId: '1045001',
  callId: '116950320375^103750100375',
  caller: '0571-88996676',
  callee: '13000000000',
  durationSeconds: 60,
  dialogCount: 3,
  callResult: '无法接通',
  hangupBy: 'robot',
  transfer: { status: 'not_transferred', number: '0571-88336676', failReason: '用户挂断' },
  recallCount: 2,
  startedAt: '2019-06-14T15:22:23+08:00',
  endedAt: '2019-06-14T15:22:55+08:00',
  counts: {
    sure: 2,
    deny: 2,
    reject: 0,
    custom: 0,
    knowledge: 0,
    default: 0,
    knowledgeBusiness: 0,
    knowledgeCommon: 0,
  },
};

describe('parseCallDetail', () => {
  it('given the seed JSON example (Data as an object), then every field is normalized', () => {
    const response = readJsonFixture<{ Data: unknown }>('seed-json-example.json');

    const detail = parseCallDetail(response.Data);

    expect(detail).toMatchObject(seedFields);
    expect(detail.labels).toEqual(['邀约', '有房', '无车']);
    expect(detail.recording).toEqual({ status: 'pending', url: null, expiresAt: null });
  });

  it('given the seed XML example Data (a string), then it gives the same fields', () => {
    const detail = parseCallDetail(xmlData());

    expect(detail).toMatchObject(seedFields);
    expect(detail.labels).toEqual(['邀约', '有房', '无车']);
  });

  it('given the seed table example (curly quotes, full-width separators, unquoted phone), then it gives the same fields', () => {
    const detail = parseCallDetail(readFixture('seed-table-example.txt'));

    expect(detail).toMatchObject(seedFields);
    // `，` inside a value is content, not a separator to repair: labels split on it.
    expect(detail.raw.label).toBe('邀约，有房，无车');
    expect(detail.labels).toEqual(['邀约', '有房', '无车']);
    expect(detail.recording.status).toBe('available');
    expect(detail.recording.url).toMatch(
      /^http:\/\/alicom-fc-record-biz\.cn-hangzhou\.oss\.aliyun-inc\.com\/Freeswitch_RU_117074080001_/,
    );
    expect(detail.recording.expiresAt).toBe('2019-07-10T06:29:46Z');
    expect(detail.dialog).toEqual([
      { role: 'robot', content: '开场白', spokenAt: '2019-06-19T20:44:17+08:00' },
    ]);
  });

  it('given Data as an escaped JSON string (the live API), then recording and dialog are read', () => {
    const response = readJsonFixture<{ Data: string; RequestId: string }>(
      'live-escaped-string.json',
    );
    expect(typeof response.Data).toBe('string');

    const detail = parseCallDetailResponse(response);

    expect(detail).toMatchObject(seedFields);
    expect(detail.recording).toEqual({
      status: 'available',
      url: expect.stringContaining('Expires=1562740186'),
      expiresAt: '2019-07-10T06:29:46Z',
    });
    expect(detail.dialog).toHaveLength(2);
    expect(detail.dialog[1]).toEqual({
      role: 'user',
      content: '你好，请说',
      spokenAt: '2019-06-19T20:44:21+08:00',
    });
  });

  it('given ids above 2^53 as bare numbers, then they survive digit for digit', () => {
    const detail = parseCallDetail(readFixture('big-ids.txt'));

    expect(detail.taskId).toBe('90071992547409931234');
    expect(detail.callId).toBe('90071992547409931234^18014398509481984123');
    expect(detail.raw.taskId).toBe('90071992547409931234');
  });

  it('given knowledgeCount and transferFailReson spellings, then both are read', () => {
    const detail = parseCallDetail(readJsonFixture('knowledge-count-corrected.json'));

    expect(detail.counts.knowledge).toBe(7);
    expect(detail.transfer).toEqual({ status: 'failed', number: null, failReason: '坐席忙' });
  });

  it('given the dash time format, mixed label commas and dialogDetail as a string, then all are normalized', () => {
    const detail = parseCallDetail(readJsonFixture('dash-times-and-labels.json'));

    expect(detail.startedAt).toBe('2019-06-14T15:22:23+08:00');
    expect(detail.endedAt).toBe('2019-06-14T15:22:55+08:00');
    expect(detail.labels).toEqual(['邀约', '有房', '无车']);
    expect(detail.dialog).toEqual([
      { role: 'robot', content: '开场白', spokenAt: '2019-06-19T20:44:17+08:00' },
    ]);
  });

  it('given an empty label, recordStatus 2 and an empty dialog, then labels and dialog are empty and there is no recording', () => {
    const detail = parseCallDetail(readJsonFixture('empty-label-no-recording.json'));

    expect(detail.labels).toEqual([]);
    expect(detail.dialog).toEqual([]);
    expect(detail.recording).toEqual({ status: 'none', url: null, expiresAt: null });
  });

  it('given no dialogDetail at all, then dialog is empty', () => {
    const data = readJsonFixture('empty-label-no-recording.json');
    delete data.dialogDetail;

    expect(parseCallDetail(data).dialog).toEqual([]);
  });

  it('given unknown code values, then they are kept as received and visible in raw', () => {
    const detail = parseCallDetail(readJsonFixture('unknown-codes.json'));

    expect(detail.hangupBy).toBe('7');
    expect(detail.transfer.status).toBe('9');
    expect(detail.recording.status).toBe('5');
    expect(detail.raw).toMatchObject({
      hangupDirection: '7',
      transferResult: '9',
      recordStatus: '5',
    });
  });

  it('given Code OK with no Data, then it throws a retryable CallNotReadyError', () => {
    const response = readJsonFixture('not-ready.json');

    let caught: unknown;
    try {
      parseCallDetailResponse(response);
    } catch (error: unknown) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(CallNotReadyError);
    expect(caught).toMatchObject({
      retryable: true,
      statusCode: 404,
      requestId: response.RequestId,
    });
  });

  it('given garbage that cannot be repaired, then it throws a parse error and no object', () => {
    expect(() => parseCallDetail(readFixture('garbage.txt'))).toThrow(CallDetailParseError);
    expect(() => parseCallDetail(readFixture('garbage.txt'))).toThrow(
      /Data is not readable as JSON/,
    );
  });

  it('given a count that is not a number, then the error names the field', () => {
    expect(() => parseCallDetail(readJsonFixture('bad-duration.json'))).toThrow(
      /duration: expected a whole number, got "sixty"/,
    );
  });

  it('given Data that is JSON but not an object, then the error says so', () => {
    expect(() => parseCallDetail('[1,2]')).toThrow(/Data must be a JSON object, got an array/);
  });
});
