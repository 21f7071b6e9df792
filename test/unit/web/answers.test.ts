import {
  MalformedAnswerError,
  parseArchivedCall,
  parseCallsPage,
  parseOverview,
  parseSession,
} from '../../../web/src/answers';

const listed = () => ({
  date: '2019-06-14',
  taskId: '1045001',
  callId: '116950320375_103750100375',
  callee: '138****0000',
  startedAt: '2019-06-14T10:00:00+08:00',
  durationSeconds: 42,
  callResult: 'answered',
  labels: ['A'],
  hangupBy: 'user',
  recording: { bytes: 1024, contentType: 'audio/wav' },
  held: false,
  somethingNewer: 'kept',
});

const refusalOf = (parse: () => unknown): MalformedAnswerError => {
  try {
    parse();
  } catch (error: unknown) {
    if (error instanceof MalformedAnswerError) return error;
    throw error;
  }
  throw new Error('the answer was accepted');
};

describe('the page parses each API answer before a view reads it', () => {
  it('given a good page of calls, then it passes with its extra fields kept', () => {
    // Prepare
    const body = { calls: [listed()], cursor: null, totals: { matching: 1 }, extra: true };

    // Act
    const page = parseCallsPage(body);

    // Assess
    expect(page.calls[0]?.callId).toBe('116950320375_103750100375');
    expect(page).toEqual(body);
  });

  it('given a call whose taskId is a number, then the page is refused naming calls[0].taskId', () => {
    const body = {
      calls: [{ ...listed(), taskId: 1045001 }],
      cursor: null,
      totals: { matching: 1 },
    };

    const refused = refusalOf(() => parseCallsPage(body));

    expect(refused.field).toBe('calls[0].taskId');
    expect(refused.message).toBe("The answer's calls[0].taskId should be string");
  });

  it('given an answer that is not an object at all, then it is refused naming the body', () => {
    const refused = refusalOf(() => parseCallsPage('<html>'));

    expect(refused.field).toBe('body');
  });

  it('given a day overview without its reconcile field, then it is refused naming reconcile', () => {
    const body = { archived: 3, withoutRecording: 0, parked: 0, parkedReasons: {} };

    const refused = refusalOf(() => parseOverview(body));

    expect(refused.field).toBe('reconcile');
    const reasons = { ...body, reconcile: null, parkedReasons: { throttled: 'two' } };
    expect(refusalOf(() => parseOverview(reasons)).field).toBe('parkedReasons.throttled');
    expect(parseOverview({ ...body, reconcile: null, latestDay: '2019-06-14' }).archived).toBe(3);
  });

  it('given a call whose dialog turn has no content, then it is refused naming that turn', () => {
    const turn = { role: 'robot', content: 'hello', spokenAt: null };
    const call = {
      taskId: '1045001',
      callId: '1',
      caller: null,
      callee: null,
      durationSeconds: null,
      labels: [],
      callResult: null,
      hangupBy: null,
      transfer: { status: null, number: null, failReason: null },
      recallCount: null,
      startedAt: null,
      endedAt: null,
      counts: { sure: 1, deny: null },
      recording: { status: 'none', url: null, expiresAt: null },
      dialog: [turn, { role: 'user', spokenAt: null }],
      raw: { Kept: 1 },
    };
    const body = { archivedAt: 'x', call, recording: null, recordingUrl: null, held: false };

    const refused = refusalOf(() => parseArchivedCall(body));

    expect(refused.field).toBe('call.dialog[1].content');
    const good = parseArchivedCall({ ...body, call: { ...call, dialog: [turn] } });
    expect(good.call.dialog).toEqual([turn]);
    expect(good.call).toHaveProperty('raw', { Kept: 1 });
  });

  it('given a session whose mayExport is a string, then it is refused naming mayExport', () => {
    expect(refusalOf(() => parseSession({ mayExport: 'no' })).field).toBe('mayExport');
    expect(parseSession({ name: 'reviewer', mayExport: false })).toEqual({
      name: 'reviewer',
      mayExport: false,
    });
  });
});
