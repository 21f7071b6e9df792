import { chinaTimeToIso } from '../../../lib/call-detail/china-time';
import { LenientJsonError, parseLenientJson, repairJson } from '../../../lib/common/lenient-json';
import { maskPhone, redactUrl } from '../../../lib/log';

describe('parseLenientJson', () => {
  it('given valid JSON, then it reads it as JSON.parse would', () => {
    const text = '{"a":[1,-2.5e3,true,null,"x\\"y\\u00e9"],"b":{}}';

    expect(parseLenientJson(text)).toEqual(JSON.parse(text));
  });

  it('given full-width separators inside a value, then they stay; between fields, they are repaired', () => {
    expect(parseLenientJson('{“a”：“x，y：z”， “b”：1}')).toEqual({ a: 'x，y：z', b: 1 });
  });

  it('given curly quotes inside Chinese text, then they are content', () => {
    expect(parseLenientJson('{"content": "他说“你好”，然后走了", "n": 1}')).toEqual({
      content: '他说“你好”，然后走了',
      n: 1,
    });
  });

  it('given a negative integer beyond 2^53, then it becomes a string digit for digit', () => {
    expect(parseLenientJson('{"id": -90071992547409931234}')).toEqual({
      id: '-90071992547409931234',
    });
  });

  it('given an unterminated string, then it throws LenientJsonError', () => {
    expect(() => repairJson('{"a": "never closed')).toThrow(LenientJsonError);
  });
});

describe('chinaTimeToIso', () => {
  it.each([
    ['2019.06.14 15:22:23', '2019-06-14T15:22:23+08:00'],
    ['2019-06-19 20:44:17', '2019-06-19T20:44:17+08:00'],
    ['2019/6/1 08:00', '2019-06-01T08:00:00+08:00'],
  ])('given %s, then %s', (input, expected) => {
    expect(chinaTimeToIso(input)).toBe(expected);
  });

  it.each(['2019.02.30 10:00:00', '2019-06-14 25:00:00', '15:22:23', ''])(
    'given %j, then undefined',
    (input) => {
      expect(chinaTimeToIso(input)).toBeUndefined();
    },
  );
});

describe('log redaction', () => {
  it('masks a phone number to its first three and last four digits', () => {
    expect(maskPhone('13000000000')).toBe('130****0000');
  });

  it('drops the query (the OSS signature) from a URL', () => {
    expect(redactUrl('http://a.oss.aliyuncs.com/r.wav?Expires=1&Signature=s')).toBe(
      'http://a.oss.aliyuncs.com/r.wav',
    );
  });
});
