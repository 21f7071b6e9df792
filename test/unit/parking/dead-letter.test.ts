import { RecordingDownloadError } from '../../../lib/archive/errors';
import { attemptNoteId, attemptNoteKey } from '../../../lib/layout/attempts';
import { ParkedItemSchema } from '../../../lib/layout/parked';
import {
  clearAttemptNote,
  noteFailedAttempt,
  noteReason,
  readAttemptNote,
} from '../../../lib/parking/attempts';
import { parkDeadLetterMessage, readDeadLetter } from '../../../lib/parking/dead-letter';
import { StorageError } from '../../../lib/storage/object-store';
import { memoryStore } from '../../support/memory-store';

const JOB = { taskId: '1045001', callee: '13000000000', date: '2019-06-14' };
const BODY = JSON.stringify(JOB);
const NOTE_KEY = attemptNoteKey(JOB.date, attemptNoteId(BODY));
const AT = Date.parse('2019-06-14T08:00:00Z');
const refused = new RecordingDownloadError('GET http://127.0.0.1:9/x_record.wav: HTTP 503');

/** The one parked item of a store, read with its schema. */
function parkedIn(store: ReturnType<typeof memoryStore>) {
  const [key, ...more] = [...store.objects.keys()].filter((k) => k.startsWith('_rejected/'));
  expect(more).toEqual([]);
  return ParkedItemSchema.parse(JSON.parse(store.objects.get(key ?? '') ?? 'null'));
}

describe('park: a redriven job and the note of its last failed delivery', () => {
  it('given no note (the deliveries timed out or stopped), then the reason keeps the old wording', async () => {
    const store = memoryStore();

    await parkDeadLetterMessage(store, BODY, 4);

    expect(parkedIn(store)).toMatchObject({
      kind: 'job',
      job: JOB,
      attempts: 3,
      reason:
        'dead-lettered after 3 deliveries without an answer (the archive function timed out or stopped; its log has each attempt)',
    });
  });

  it('given a note of the last delivery, then the reason is its error after the attempts, and the note goes once the item is parked', async () => {
    const store = memoryStore();
    await noteFailedAttempt(store, BODY, refused, 3, AT);
    const order: string[] = [];
    const put = store.put;
    const del = store.delete;
    store.put = async (key, ...rest) => {
      order.push(`put ${key.split('/')[0]}`);
      return put(key, ...rest);
    };
    store.delete = async (key) => {
      order.push(`delete ${key.split('/')[0]}`);
      return del(key);
    };

    await parkDeadLetterMessage(store, BODY, 4);

    expect(parkedIn(store)).toMatchObject({
      attempts: 3,
      reason:
        'after 3 attempts: RecordingDownloadFailed: GET http://127.0.0.1:9/x_record.wav: HTTP 503',
    });
    expect(order).toEqual(['put _rejected', 'delete _attempts']);
    expect(store.objects.has(NOTE_KEY)).toBe(false);
  });

  it('given a note of the first delivery and two more that left none, then the reason says which attempt failed and that the others timed out', () => {
    const note = {
      reason: 'CallNotFound: no detail yet',
      attempt: 1,
      at: '2019-06-14T08:00:00.000Z',
    };

    expect(readDeadLetter(JOB, 4, note)).toEqual({
      job: JOB,
      attempts: 3,
      reason:
        'after 3 attempts: CallNotFound: no detail yet (attempt 1; the 2 after it left no answer: the archive function timed out or stopped)',
      reasonCode: 'DeadLettered',
    });
    expect(readDeadLetter(JOB, 4, { ...note, attempt: 2 }).reason).toContain(
      '(attempt 2; the one after it left no answer',
    );
  });

  it('given a note whose attempt is past what the dead-letter queue counted, then the attempts are the note’s', () => {
    const note = {
      reason: 'CallNotFound: no detail yet',
      attempt: 5,
      at: '2019-06-14T08:00:00.000Z',
    };

    expect(readDeadLetter(JOB, 2, note)).toMatchObject({
      attempts: 5,
      reason: 'after 5 attempts: CallNotFound: no detail yet',
    });
  });

  it('given a note that does not read, then the old wording, and the note still goes', async () => {
    const store = memoryStore(new Map([[NOTE_KEY, '{"reason": 3}']]));

    await parkDeadLetterMessage(store, BODY, 4);

    expect(parkedIn(store).reason).toMatch(/^dead-lettered after 3 deliveries without an answer/);
    expect(store.objects.has(NOTE_KEY)).toBe(false);
  });

  it('given the parked item cannot be written, then it throws and the note stays for the retry', async () => {
    const store = memoryStore();
    await noteFailedAttempt(store, BODY, refused, 3, AT);
    store.put = async () => {
      throw new StorageError('the store is down');
    };

    await expect(parkDeadLetterMessage(store, BODY, 4)).rejects.toThrow(StorageError);

    expect(store.objects.has(NOTE_KEY)).toBe(true);
  });

  it('given a destination record, then its own error is the reason and no note is looked for', async () => {
    const store = memoryStore();
    const listed: string[] = [];
    const list = store.list;
    store.list = async (prefix) => {
      listed.push(prefix);
      return list(prefix);
    };
    const record = {
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: JOB,
      responsePayload: {
        errorType: 'RecordingDownloadError',
        errorMessage: 'GET https://host/x.wav?Expires=1&Signature=abc (HTTP 503)',
      },
    };

    await parkDeadLetterMessage(store, JSON.stringify(record), 1);

    expect(listed).toEqual([]);
    expect(parkedIn(store)).toMatchObject({
      job: JOB,
      attempts: 3,
      reason:
        'gave up after 3 attempts (RetriesExhausted): RecordingDownloadError: GET https://host/x.wav (HTTP 503)',
    });
  });
});

describe('the note of a failed delivery', () => {
  it('given an error naming the callee, a mobile number and a signed URL, then the note holds none of them', () => {
    const landline = '057188886666';
    const error = new Error(
      `callee ${landline} (also 13900000001): GET https://b.oss/x.wav?Expires=1&Signature=abc failed`,
    );

    const reason = noteReason(error, landline);

    expect(reason).toBe('callee 057****6666 (also 139****0001): GET https://b.oss/x.wav failed');
  });

  it('given an error with no message, then the note still says something; given a huge one, then it is cut', () => {
    expect(noteReason(new Error(''))).toBe('the archive failed without a message');
    const long = noteReason(new Error('x'.repeat(5000)));
    expect(long).toHaveLength(1000);
    expect(long.endsWith('…')).toBe(true);
  });

  it('given a delivery that fails, then its note replaces the earlier one and reads back', async () => {
    const store = memoryStore();

    await noteFailedAttempt(store, BODY, new Error('first'), 1, AT);
    await noteFailedAttempt(store, BODY, refused, 2, AT + 1000);

    expect(await readAttemptNote(store, BODY)).toEqual({
      key: NOTE_KEY,
      note: {
        reason: 'RecordingDownloadFailed: GET http://127.0.0.1:9/x_record.wav: HTTP 503',
        attempt: 2,
        at: '2019-06-14T08:00:01.000Z',
      },
    });
    expect(store.objects.get(NOTE_KEY)).not.toContain(JOB.callee);
  });

  it('given a body that names no day (parked at once, never retried), then nothing is noted or looked for', async () => {
    const store = memoryStore();

    await noteFailedAttempt(store, '{"taskId":"1"}', refused, 1, AT);
    await noteFailedAttempt(store, 'not json', refused, 1, AT);

    expect(store.objects.size).toBe(0);
    expect(await readAttemptNote(store, 'not json')).toBeUndefined();
  });

  it('given a store that refuses the note or its deletion, then nothing throws (the note is a courtesy)', async () => {
    const store = memoryStore();
    store.put = async () => {
      throw new StorageError('the store is down');
    };
    store.delete = store.put as never;

    await expect(noteFailedAttempt(store, BODY, refused, 1, AT)).resolves.toBeUndefined();
    await expect(clearAttemptNote(store, BODY)).resolves.toBeUndefined();
  });
});
