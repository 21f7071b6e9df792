import { toCallEndedJob } from '../../../lib/model/voice-report';
import { loadEvent } from '../../events';

describe('toCallEndedJob', () => {
  const [withTaskId, withBareOutId, withoutTaskId] = loadEvent('http/reports-body');

  it('given task_id, then the job carries it with the callee, the China date of start_time and the call id', () => {
    expect(toCallEndedJob(withTaskId ?? {})).toEqual({
      job: {
        taskId: '1045001',
        callee: '13000000000',
        date: '2019-06-14',
        callId: '116950320375^103750100375',
      },
    });
  });

  it('given only a bare numeric out_id, then it is the task id', () => {
    expect(toCallEndedJob(withBareOutId ?? {})).toMatchObject({
      job: { taskId: '1045001', callee: '13000000001' },
    });
  });

  it('given an out_id of the ALICOM_SMART_SAAS^<taskId>^… form, then the task id is taken from it', () => {
    const record = { ...withoutTaskId, out_id: 'ALICOM_SMART_SAAS^90071992547409931234^x' };

    expect(toCallEndedJob(record)).toMatchObject({ job: { taskId: '90071992547409931234' } });
  });

  it('given no usable task id, then the reason says where it was looked for', () => {
    expect(toCallEndedJob(withoutTaskId ?? {})).toEqual({
      reason: expect.stringMatching(/task_id.*out_id/),
    });
  });

  it('given taskId as a number and callee as a number, then both become strings', () => {
    expect(
      toCallEndedJob({ taskId: 1045001, callee: 13000000000, end_time: '2019-06-14 23:59:59' }),
    ).toEqual({
      job: { taskId: '1045001', callee: '13000000000', date: '2019-06-14' },
    });
  });

  it.each([
    [
      'a callee with letters',
      { task_id: '1', callee: '130abc', start_time: '2019-06-14 10:00:00' },
      /callee/,
    ],
    ['no callee', { task_id: '1', start_time: '2019-06-14 10:00:00' }, /callee/],
    ['no times', { task_id: '1', callee: '1' }, /start_time/],
    [
      'an impossible date',
      { task_id: '1', callee: '1', start_time: '2019-02-30 10:00:00' },
      /start_time/,
    ],
    [
      'a path in the task id',
      { task_id: '../1', callee: '1', start_time: '2019-06-14 10:00:00' },
      /task id/,
    ],
  ])('given %s, then it is rejected with a reason naming the field', (_name, record, reason) => {
    expect(toCallEndedJob(record)).toEqual({ reason: expect.stringMatching(reason) });
  });
});

describe('toCallEndedJob, times that are not times', () => {
  const [record] = loadEvent('http/reports-body');

  it.each([
    ['minutes of 60', '2019-06-14 15:60:00'],
    ['seconds of 60', '2019-06-14 15:22:60'],
    ['a year before 1970', '1969-06-14 15:22:23'],
  ])('given %s in both times, then the record is rejected naming the times', (_name, time) => {
    expect(toCallEndedJob({ ...record, start_time: time, end_time: time })).toEqual({
      reason: expect.stringContaining('start_time/end_time'),
    });
  });
});
