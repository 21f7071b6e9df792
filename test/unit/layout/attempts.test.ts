import {
  AttemptNoteSchema,
  attemptNoteFolder,
  attemptNoteId,
  attemptNoteKey,
} from '../../../lib/layout/attempts';
import { parseDocument } from '../../../lib/layout/document';
import { InvalidKeyError, StoredDocumentError } from '../../../lib/layout/errors';
import { isTaskFolder, PREFIXES } from '../../../lib/layout/prefixes';

const BODY = '{"taskId":"1045001","callee":"13000000000","date":"2019-06-14"}';
const ID = attemptNoteId(BODY);

describe('the note of a failed attempt: its key', () => {
  it('given a queued body, then its note is _attempts/{date}/{sha256 of the body}/note.json, with no number in it', () => {
    const key = attemptNoteKey('2019-06-14', ID);

    expect(ID).toMatch(/^[0-9a-f]{64}$/);
    expect(key).toBe(`_attempts/2019-06-14/${ID}/note.json`);
    expect(key.startsWith(attemptNoteFolder('2019-06-14', ID))).toBe(true);
    expect(key).not.toContain('13000000000');
  });

  it('given the same body twice, then one note; given another body, then another', () => {
    expect(attemptNoteId(BODY)).toBe(ID);
    expect(attemptNoteId(BODY.replace('1045001', '1045002'))).not.toBe(ID);
  });

  it.each([
    ['2019-6-14', ID],
    ['../x', ID],
    ['2019-06-14', '13000000000'],
    ['2019-06-14', `${ID.slice(0, 63)}/`],
    ['2019-06-14', ID.toUpperCase()],
  ])('given date %j and id %j, then no key', (date, id) => {
    expect(() => attemptNoteKey(date, id)).toThrow(InvalidKeyError);
  });

  it('given the prefix, then no listing of calls takes it for a task', () => {
    expect(PREFIXES.attempts).toBe('_attempts/');
    expect(isTaskFolder('_attempts')).toBe(false);
  });
});

describe('the note of a failed attempt: its schema', () => {
  const key = attemptNoteKey('2019-06-14', ID);
  const note = {
    reason: 'RecordingDownloadFailed: GET http://127.0.0.1/x_record.wav: HTTP 503',
    attempt: 2,
    at: '2019-06-14T08:00:00.000Z',
  };

  it('given a note as the archive writes it, then it reads back as it was', () => {
    expect(parseDocument(AttemptNoteSchema, key, JSON.stringify(note))).toEqual(note);
  });

  it.each([
    ['no reason', { ...note, reason: '' }, 'reason'],
    ['a reason longer than a reason', { ...note, reason: 'x'.repeat(1001) }, 'reason'],
    ['attempt 0', { ...note, attempt: 0 }, 'attempt'],
    ['a fractional attempt', { ...note, attempt: 1.5 }, 'attempt'],
    ['a time that is not ISO', { ...note, at: 'yesterday' }, 'at'],
    ['no time', { reason: note.reason, attempt: 1 }, 'at'],
  ])('given %s, then it does not read, and the error names the field', (_, value, field) => {
    expect(() => parseDocument(AttemptNoteSchema, key, JSON.stringify(value))).toThrow(
      StoredDocumentError,
    );
    expect(() => parseDocument(AttemptNoteSchema, key, JSON.stringify(value))).toThrow(
      `${key}: ${field}:`,
    );
  });
});
