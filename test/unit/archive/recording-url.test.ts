import { RecordingRefusedError } from '../../../lib/archive/errors';
import {
  checkRecordingUrl,
  expiresAtMs,
  recordingExtension,
} from '../../../lib/archive/recording-url';
import { archiveKeys } from '../../../lib/layout/call-folder';
import { InvalidKeyError } from '../../../lib/layout/errors';
import { assertSafeKey } from '../../../lib/storage/object-store';

const HOSTS = ['.aliyuncs.com', '.aliyun-inc.com'];

describe('checkRecordingUrl', () => {
  it.each([
    'http://alicom-fc-record-biz.cn-hangzhou.oss.aliyun-inc.com/r.wav?Expires=1',
    'https://bucket.oss-cn-hangzhou.aliyuncs.com/a/b.mp3',
  ])('given %s, then it is allowed', (url) => {
    expect(checkRecordingUrl(url, HOSTS).hostname).toMatch(/aliyun/);
  });

  it.each([
    ['a look-alike host', 'http://x.aliyuncs.com.evil.test/r.wav'],
    ['the bare suffix', 'http://aliyuncs.com/r.wav'],
    ['loopback', 'http://127.0.0.1/r.wav'],
    ['link-local metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'http://[::1]/r.wav'],
    ['a file URL', 'file:///etc/passwd'],
    ['credentials in the URL', 'http://user:pw@a.aliyuncs.com/r.wav'],
    ['a unicode look-alike', 'http://a.aliyuncs\u2024com/r.wav'],
    ['not a URL', 'not a url'],
  ])('given %s, then it is refused', (_name, url) => {
    expect(() => checkRecordingUrl(url, HOSTS)).toThrow(RecordingRefusedError);
  });

  it('given an IP listed exactly, then it is allowed (the sandbox and tests)', () => {
    expect(checkRecordingUrl('http://127.0.0.1:9000/r.wav', ['127.0.0.1']).port).toBe('9000');
  });
});

describe('recording URL details', () => {
  it('reads Expires as epoch seconds and the extension of the object name', () => {
    const url = new URL(
      'http://a.aliyuncs.com/Freeswitch_x_record.WAV?Expires=1562740186&Signature=s',
    );

    expect(expiresAtMs(url)).toBe(1562740186000);
    expect(recordingExtension(url)).toBe('wav');
    expect(recordingExtension(new URL('http://a.aliyuncs.com/noext'))).toBe('bin');
  });
});

describe('archive keys', () => {
  it('lays out {taskId}/{date}/{callId with ^ as _}/', () => {
    const keys = archiveKeys('1045001', '2019-06-14', '116950320375^103750100375');

    expect(keys.detail).toBe('1045001/2019-06-14/116950320375_103750100375/detail.json');
    expect(keys.recording('wav')).toBe(
      '1045001/2019-06-14/116950320375_103750100375/recording.wav',
    );
  });

  it.each([
    ['1045001', '2019-06-14', '../../etc'],
    ['1045001', '2019-06-14', 'a/b'],
    ['1045001', '2019-06-14', '%2e%2e'],
    ['10450x1', '2019-06-14', '1^2'],
    ['1045001', '2019/06/14', '1^2'],
  ])('given %s %s %s, then no key is made', (taskId, date, callId) => {
    expect(() => archiveKeys(taskId, date, callId)).toThrow(InvalidKeyError);
  });

  it.each(['..', 'a/../b', '', 'a//b', 'a/./b'])(
    'given the key %j, then the store refuses it',
    (key) => {
      expect(() => assertSafeKey(key)).toThrow(/unsafe object key/);
    },
  );
});
