import {
  ArchivedDetailSchema,
  archiveKeys,
  callListingPrefix,
  DetailMarkerSchema,
  listedCalls,
  parseCallFolderKey,
} from '../../../lib/layout/call-folder';
import { InvalidKeyError } from '../../../lib/layout/errors';
import { isTaskFolder, PREFIXES } from '../../../lib/layout/prefixes';

describe('archiveKeys', () => {
  it('given a call id with ^, then its folder names it with _ under the canonical task id', () => {
    const keys = archiveKeys('01045001', '2019-06-14', '116950320375^103750100375');

    expect(keys.dir).toBe('1045001/2019-06-14/116950320375_103750100375');
    expect(keys.detail).toBe(`${keys.dir}/detail.json`);
    expect(keys.recording('mp3')).toBe(`${keys.dir}/recording.mp3`);
  });

  it.each([
    ['1045001', '2019-06-14', '..'],
    ['1045001', '2019-06-14', '../../etc'],
    ['1045001', '2019-06-14', 'a/b'],
    ['1045001', '2019-06-14', '%2F'],
    ['1045001', '2019-06-14', '%2e%2e'],
    ['1045001', '2019-06-14', ''],
    ['_rejected', '2019-06-14', '1'],
    ['index', '2019-06-14', '1'],
    ['1045001', '../2019-06-14', '1'],
    ['1045001', '2019-06-14/..', '1'],
  ])('given %j %j %j, then no key is made', (taskId, date, callId) => {
    expect(() => archiveKeys(taskId, date, callId)).toThrow(InvalidKeyError);
  });

  it.each(['../x', 'wav/..', 'MP3', '%2F', ''])(
    'given the recording extension %j, then no key is made',
    (extension) => {
      expect(() => archiveKeys('1', '2019-06-14', '1').recording(extension)).toThrow(
        InvalidKeyError,
      );
    },
  );

  it('given a bad id, then the error parks as an invalid job and is not retried', () => {
    const error = (() => {
      try {
        archiveKeys('1', '2019-06-14', 'a/b');
      } catch (caught: unknown) {
        return caught;
      }
    })();

    expect(error).toMatchObject({ code: 'InvalidJob', retryable: false, name: 'InvalidKeyError' });
  });
});

describe('parseCallFolderKey', () => {
  it('given the keys archiveKeys makes, then it reads their parts back', () => {
    const keys = archiveKeys('1045001', '2019-06-14', '116950320375^103750100375');

    expect(parseCallFolderKey(keys.detail)).toEqual({
      taskId: '1045001',
      date: '2019-06-14',
      segment: '116950320375_103750100375',
      file: { kind: 'detail' },
    });
    expect(parseCallFolderKey(keys.recording('wav'))?.file).toEqual({
      kind: 'recording',
      extension: 'wav',
    });
  });

  it.each([
    '_rejected/2019-06-14/abc.json',
    '_pending/2019-06-14/1/detail.json',
    '_reconcile/2019-06-14/run.json',
    'index/2019-06-14/1/detail.json',
    '_erased/1045001/2019-06-14/1/detail.json',
    '1045001/2019-06-14/../detail.json',
    '1045001/2019-06-14/a%2Fb/detail.json',
    '1045001/2019-06-14/1/2/detail.json',
    '1045001/2019-06-14/1/detail.json.tmp',
    '1045001/2019-06-14/1/other.json',
    'x1045001/2019-06-14/1/detail.json',
  ])('given %j, then it is no call folder key', (key) => {
    expect(parseCallFolderKey(key)).toBeUndefined();
  });
});

describe('call listings', () => {
  it('given every prefix of the archive, then only task folders (digits) are tasks', () => {
    const names = [...Object.values(PREFIXES).map((prefix) => prefix.slice(0, -1)), '1045001'];

    expect(names.filter(isTaskFolder)).toEqual(['1045001']);
  });

  it('given a task listing with stray keys, then only its detail.json folders are calls', async () => {
    const keys = [
      '1045001/2019-06-14/1_2/detail.json',
      '1045001/2019-06-14/1_2/recording.wav',
      '1045001/2019-06-14/3/detail.json',
      '1045001/2019-06-14/4/recording.wav',
      '1045001/2019-06-14/5/detail.json.part',
    ];
    const store = { list: async (prefix: string) => keys.filter((k) => k.startsWith(prefix)) };

    const calls = await listedCalls(store, '01045001', '2019-06-14');

    expect([...calls]).toEqual([
      ['2019-06-14/1_2', { recording: true }],
      ['2019-06-14/3', { recording: false }],
    ]);
  });

  it.each([
    ['_rejected', undefined],
    ['1/..', undefined],
    ['1', '../x'],
  ])('given task %j and day %j, then no listing prefix is made', (taskId, date) => {
    expect(() => callListingPrefix(taskId, date)).toThrow(InvalidKeyError);
  });
});

const DETAIL = {
  schemaVersion: 1,
  call: {
    taskId: '1045001',
    callId: '1^2',
    caller: null,
    callee: '13000000000',
    durationSeconds: 12,
    labels: [],
    dialogCount: 0,
    callResult: null,
    hangupBy: null,
    transfer: { status: null, number: null, failReason: null },
    recallCount: null,
    startedAt: null,
    endedAt: null,
    counts: {
      sure: null,
      deny: null,
      reject: null,
      custom: null,
      knowledge: null,
      default: null,
      knowledgeBusiness: null,
      knowledgeCommon: null,
    },
    recording: { status: 'none', url: null, expiresAt: null },
    dialog: [],
    raw: {},
  },
  recording: null,
  upstreamRequestId: null,
  archivedAt: '2019-06-14T07:00:00.000Z',
};

describe('ArchivedDetailSchema', () => {
  it('given a whole detail.json, then it parses', () => {
    expect(ArchivedDetailSchema.parse(DETAIL)).toEqual(DETAIL);
  });

  it('given a recording without its sha256, then the detail does not parse and names the field', () => {
    const parsed = ArchivedDetailSchema.safeParse({
      ...DETAIL,
      recording: { key: 'k', bytes: 1, contentType: 'audio/wav', source: 's' },
    });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['recording', 'sha256']);
  });

  it('given an older marker with no storeTag, then the marker schema still reads it', () => {
    const marker = DetailMarkerSchema.parse({
      ...DETAIL,
      recording: { key: 'k', bytes: 1, sha256: 'a'.repeat(64), contentType: 'x', source: 's' },
    });

    expect(marker.recording?.storeTag).toBeUndefined();
    expect(marker.recording?.bytes).toBe(1);
    // Loose: a marker written back with a new storeTag keeps every other field.
    expect(marker).toMatchObject({ archivedAt: DETAIL.archivedAt, call: { durationSeconds: 12 } });
  });
});
