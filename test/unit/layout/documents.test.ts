import { ReconcileCursorSchema } from '../../../lib/layout/cursor';
import { parseDocument, readDocument } from '../../../lib/layout/document';
import { InvalidKeyError, StoredDocumentError } from '../../../lib/layout/errors';
import { isPendingKey, JournalEntrySchema, pendingKey } from '../../../lib/layout/journal';
import { isRejectedKey, ParkedItemSchema, rejectedKey } from '../../../lib/layout/parked';
import {
  FinishedTaskSchema,
  finishedTaskIdOf,
  finishedTaskKey,
  ReconcileSummarySchema,
  reconcileRunKey,
} from '../../../lib/layout/reconcile';

const failure = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('parseDocument', () => {
  it('given text that is not JSON, then the error names the key', () => {
    const error = failure(() =>
      parseDocument(JournalEntrySchema, '_pending/2019-06-14/a.json', '{'),
    );

    expect(error).toBeInstanceOf(StoredDocumentError);
    expect(error).toMatchObject({
      key: '_pending/2019-06-14/a.json',
      code: 'StoredDocumentInvalid',
      statusCode: 500,
      message: '_pending/2019-06-14/a.json: not JSON',
    });
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('given a document with a wrong field, then the error names the key and the field', () => {
    const error = failure(() =>
      parseDocument(
        ParkedItemSchema,
        '_rejected/2019-06-14/ab.json',
        JSON.stringify({ kind: 'job', reason: 7, parkedAt: 'x' }),
      ),
    );

    expect(error).toBeInstanceOf(StoredDocumentError);
    expect((error as Error).message).toMatch(/^_rejected\/2019-06-14\/ab\.json: reason: /);
  });

  it('given a document that is not an object, then the error says so for the whole document', () => {
    const error = failure(() =>
      parseDocument(ReconcileCursorSchema, '_reconcile/cursor.json', '[]'),
    );

    expect((error as Error).message).toMatch(/^_reconcile\/cursor\.json: \(document\): /);
  });

  it('given no object at the key, then the read answers undefined', async () => {
    const store = { get: async () => undefined };

    await expect(readDocument(store, ReconcileCursorSchema, 'k')).resolves.toBeUndefined();
  });
});

describe('parked items', () => {
  it('given a date and a hash, then the key is under _rejected/ by day', () => {
    expect(rejectedKey('2019-06-14', 'ab12')).toBe('_rejected/2019-06-14/ab12.json');
    expect(isRejectedKey('_rejected/2019-06-14/ab12.json')).toBe(true);
  });

  it.each([
    ['../2019-06-14', 'ab'],
    ['2019-06-14', '../ab'],
    ['2019-06-14', 'a/b'],
    ['2019-06-14', '%2F'],
    ['2019-06-14', 'a.b'],
  ])('given %j %j, then no key is made', (date, id) => {
    expect(() => rejectedKey(date, id)).toThrow(InvalidKeyError);
  });

  it('given an item with extra fields, then a rewrite keeps them', () => {
    const item = ParkedItemSchema.parse({
      kind: 'records',
      reason: 'r',
      parkedAt: 't',
      records: [{ index: 0, reason: 'bad', record: { a: 1 } }],
      attempts: 3,
    });

    expect(item).toMatchObject({ attempts: 3, records: [{ index: 0, record: { a: 1 } }] });
  });
});

describe('journal entries', () => {
  it('given a day and a uuid, then the key is under _pending/ by day', () => {
    const key = pendingKey('2019-06-14', '0f8fad5b-d9cb-469f-a165-70867728950e');

    expect(key).toBe('_pending/2019-06-14/0f8fad5b-d9cb-469f-a165-70867728950e.json');
    expect(isPendingKey(key)).toBe(true);
  });

  it.each(['../x', 'a/b', ''])('given the id %j, then no key is made', (id) => {
    expect(() => pendingKey('2019-06-14', id)).toThrow(/is not a UUID/);
  });

  it('given an entry whose jobs is not a list, then it does not parse', () => {
    expect(JournalEntrySchema.safeParse({ jobs: {} }).success).toBe(false);
  });
});

describe('reconcile documents', () => {
  it('given a run, then its summary key is under _reconcile/{date}/', () => {
    expect(reconcileRunKey('2019-06-14', '2019-06-14T07-00-00-000Z-abc123')).toBe(
      '_reconcile/2019-06-14/2019-06-14T07-00-00-000Z-abc123.json',
    );
  });

  it.each([
    ['2019-06-14', '../x'],
    ['2019-06-14', 'a/b'],
    ['../2019-06-14', 'r'],
  ])('given %j %j, then no run key is made', (date, runId) => {
    expect(() => reconcileRunKey(date, runId)).toThrow(/cannot be a key segment/);
  });

  it('given a task id, then finishedTaskIdOf reads back what finishedTaskKey wrote', () => {
    expect(finishedTaskIdOf(finishedTaskKey('1045001'))).toBe('1045001');
    expect(finishedTaskIdOf('_reconcile/tasks/../1.json')).toBeUndefined();
    expect(finishedTaskIdOf('_reconcile/tasks/_x.json')).toBeUndefined();
    expect(() => finishedTaskKey('../1')).toThrow(/cannot be a key segment/);
  });

  it('given a summary written before withoutRecording existed, then it reads with 0', () => {
    const summary = ReconcileSummarySchema.parse({
      runId: 'r',
      startedAt: 's',
      finishedAt: 'f',
      lookbackHours: 48,
      dryRun: false,
      tasksListed: 1,
      tasksSeen: 1,
      tasksSkipped: 0,
      tasksReconciled: 1,
      callsListed: 2,
      alreadyArchived: 2,
      dispatched: 0,
      missing: 0,
      failed: [],
      remembered: [],
      complete: true,
      carriedOver: [],
    });

    expect(summary.withoutRecording).toBe(0);
  });

  it('given a finished task with a negative count, then it does not parse', () => {
    const parsed = FinishedTaskSchema.safeParse({
      taskId: '1',
      status: 'FINISH',
      calls: -1,
      rememberedAt: 't',
    });

    expect(parsed.error?.issues[0]?.path).toEqual(['calls']);
  });
});
