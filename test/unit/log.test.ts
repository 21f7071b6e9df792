import { captureLogs, log, setLogLevel, withLogKeys } from '../../lib/log';
import { forPeople } from '../../lib/platform/log-for-people';

const SIGNED =
  'https://bucket.oss-cn-hangzhou.aliyuncs.com/r.wav?Expires=1700000000&OSSAccessKeyId=LTAIexample&Signature=c2lnbmF0dXJl';

let captured: ReturnType<typeof captureLogs>;
beforeEach(() => {
  captured = captureLogs();
});
afterEach(() => {
  captured.stop();
  setLogLevel('INFO');
});

describe('the logger masks every record once, by key and by shape', () => {
  it('given a phone number under callee or caller, when a call site forgot to mask it, then the line shows only its ends', () => {
    log('info', 'call looked up', { callee: '13000000000', caller: 8613912345678 });

    expect(captured.records[0]).toMatchObject({ callee: '130****0000', caller: '861****5678' });
    expect(captured.lines().join('\n')).not.toMatch(/13000000000|13912345678/);
  });

  it('given a signed URL in the message, a field and a nested object, then each is cut before its query', () => {
    log('warn', `download of ${SIGNED} broke`, { source: SIGNED, detail: { recordFile: SIGNED } });

    const line = captured.lines()[0] ?? '';
    expect(line).toContain('https://bucket.oss-cn-hangzhou.aliyuncs.com/r.wav');
    expect(line).not.toMatch(/Signature|OSSAccessKeyId|Expires|c2lnbmF0dXJl/);
  });

  it('given a mobile number inside free text or an error, then it is masked, while call ids and task ids stay whole', () => {
    log('error', 'archive attempt failed for 13999999999', {
      error: new Error('lookup of +86 13000000001 failed'),
      callId: '116950320375^103750100375',
      taskId: '1045001',
    });

    const line = captured.lines()[0] ?? '';
    expect(line).not.toMatch(/13999999999|13000000001/);
    expect(line).toContain('139****9999');
    expect(captured.records[0]).toMatchObject({
      callId: '116950320375^103750100375',
      taskId: '1045001',
    });
  });

  it('given a bare signing parameter outside a URL, then its value is hidden', () => {
    log('warn', 'refused query', { query: 'X-Amz-Signature=abcdef&X-Amz-Credential=AKIA/x' });

    expect(captured.records[0]?.query).toBe('X-Amz-Signature=***&X-Amz-Credential=***');
  });
});

describe('records carry what the reader needs', () => {
  it('given two jobs logging at once, then each record carries its own job task and day', async () => {
    const job = (taskId: string, day: string) =>
      withLogKeys({ taskId, day }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        log('info', 'archived', { detailKey: `${taskId}/${day}/c/detail.json` });
      });

    await Promise.all([job('1045001', '2019-06-14'), job('2045002', '2019-06-15')]);

    expect(captured.records.map((r) => [r.taskId, r.day, r.detailKey])).toEqual(
      expect.arrayContaining([
        ['1045001', '2019-06-14', '1045001/2019-06-14/c/detail.json'],
        ['2045002', '2019-06-15', '2045002/2019-06-15/c/detail.json'],
      ]),
    );
  });

  it('given no POWERTOOLS_SERVICE_NAME (the sandbox, the CLI, Function Compute), then every record names the service', () => {
    log('info', 'push received', { records: 1 });
    withLogKeys({ taskId: '1045001', day: '2019-06-14' }, () => log('info', 'archived'));

    expect(captured.records.map((r) => r.service)).toEqual([
      'vms-call-archive',
      'vms-call-archive',
    ]);
  });

  it('given the level WARN, then info records are not written and warnings are', () => {
    setLogLevel('WARN');

    log('info', 'push received', { records: 1 });
    log('warn', 'job parked', { key: 'k' });

    expect(captured.records.map((r) => [r.level, r.message])).toEqual([['WARN', 'job parked']]);
  });
});

describe('the same records, for people', () => {
  it('given the records the sandbox and the CLI show, then each reads as one short line', () => {
    log('info', 'push received', { event: 'push-received', records: 3, accepted: 2, rejected: 1 });
    log('info', 'push received', { event: 'push-received', records: 0, accepted: 0, rejected: 0 });
    log('info', 'archived', {
      event: 'call-archived',
      detailKey: '1045001/2019-06-14/c1/detail.json',
      bytes: 480_044,
      seconds: 0.42,
    });
    log('info', 'archived without recording', {
      event: 'call-archived',
      detailKey: '1045001/2019-06-14/c2/detail.json',
    });
    log('warn', 'job parked', { event: 'job-parked', key: '_rejected/k.json', reason: 'bad' });
    log('error', 'cannot read a journal entry', { error: 'EIO' });
    log('info', 'call looked up', { callee: '13000000000' });

    expect(captured.records.map(forPeople)).toEqual([
      '• push: 3 records, 2 accepted, 1 rejected',
      undefined,
      '• archived 1045001/2019-06-14/c1 469 KB in 0.4 s',
      '• archived 1045001/2019-06-14/c2 (no recording)',
      '! parked _rejected/k.json: bad',
      '! cannot read a journal entry: EIO',
      undefined,
    ]);
  });
});
