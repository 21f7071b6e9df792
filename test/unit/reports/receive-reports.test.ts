import fc from 'fast-check';
import { VmsArchiveError } from '../../../lib/errors';
import type { CallEndedJob } from '../../../lib/model/call-ended-job';
import type { Dispatcher } from '../../../lib/model/dispatcher';
import { type ReceiveDeps, receiveReports } from '../../../lib/reports/receive-reports';
import { memoryStore } from '../../support/memory-store';

const TOKEN = 'unit-test-token-0123456789';

/** An in-memory store and a dispatcher that remembers what it was handed. */
function fakes(): ReceiveDeps & { jobs: CallEndedJob[]; objects: Map<string, string> } {
  const store = memoryStore();
  const { objects } = store;
  const jobs: CallEndedJob[] = [];
  const dispatcher: Dispatcher = {
    describe: 'memory',
    dispatch: async (batch) => {
      jobs.push(...batch);
    },
  };
  return { reportsToken: TOKEN, store, dispatcher, jobs, objects };
}

const push = (body: string) => ({ token: TOKEN, body, isBase64Encoded: false });

const RECORD = {
  callee: '13000000000',
  start_time: '2019-06-14 15:22:23',
  end_time: '2019-06-14 15:22:55',
};

describe('receiveReports', () => {
  it('given a string value with curly quotes and a run of 16+ digits elsewhere, then it is read as plain JSON (no repair, no 5xx)', async () => {
    const deps = fakes();
    const body = `[{"callee":"13000000000","caller":"“a”：，{\\"x\\":1}","start_time":"2019-06-14 15:22:23","task_id":1045001,"call_id":"1234567890123456789"}]`;

    const result = await receiveReports(push(body), deps);

    expect(result).toMatchObject({ accepted: 1, rejected: 0 });
    expect(deps.jobs).toEqual([
      {
        taskId: '1045001',
        callee: '13000000000',
        date: '2019-06-14',
        callId: '1234567890123456789',
      },
    ]);
  });

  it('given a string value that spells out other fields, then it stays one string value and overrides nothing', async () => {
    const deps = fakes();
    const body = `[{"callee":"13000000000","start_time":"2019-06-14 15:22:23","task_id":1045001,"out_id":"”,“task_id”：99999999999999999999,“x”：“"}]`;

    await receiveReports(push(body), deps);

    expect(deps.jobs.map((job) => job.taskId)).toEqual(['1045001']);
  });

  it('given a task id with leading zeros, then the job carries the canonical id', async () => {
    const deps = fakes();

    await receiveReports(push(JSON.stringify([{ ...RECORD, task_id: '0001045001' }])), deps);

    expect(deps.jobs.map((job) => job.taskId)).toEqual(['1045001']);
  });

  it.each([
    ['with a 16+ digit id elsewhere in the body', '12345678901234567890'],
    ['without one', '"x"'],
  ])(
    'given a duplicate key in one record %s, then that record is parked naming the key and the rest are accepted',
    async (_name, other) => {
      const deps = fakes();
      const good = JSON.stringify({ ...RECORD, task_id: '1045001', call_id: '1^2' });
      const body = `[${good},{"callee":"13000000001","start_time":"2019-06-14 15:22:23","task_id":7,"task_id":8,"out_id":${other}},[{"a":1,"a":1}],"s",3,${good}]`;

      const result = await receiveReports(push(body), deps);

      expect(result).toMatchObject({ accepted: 2, rejected: 4 });
      expect(deps.jobs).toEqual([
        { taskId: '1045001', callee: '13000000000', date: '2019-06-14', callId: '1^2' },
      ]);
      const parked = [...deps.objects.values()].map((text) => JSON.parse(text));
      const reasons = parked.flatMap((item) =>
        item.records.map((r: { index: number; reason: string }) => [r.index, r.reason]),
      );
      expect(reasons).toEqual(
        expect.arrayContaining([
          [1, 'record: the key "task_id" appears twice in one object (which value is meant?)'],
          [2, 'expected a report record (a JSON object)'],
        ]),
      );
    },
  );

  it('given arbitrary valid JSON arrays of records with arbitrary strings and long integers, then never a 5xx, and every exact id survives', async () => {
    const longInt = fc
      .bigInt({ min: 10n ** 15n, max: 10n ** 20n - 1n })
      .map((value) => value.toString());
    const record = fc.record({
      callee: fc.oneof(fc.constant('13000000000'), fc.string()),
      start_time: fc.oneof(fc.constant('2019-06-14 15:22:23'), fc.string()),
      task: longInt,
      call: longInt,
      extra: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 20 }), async (records) => {
        const deps = fakes();
        // Written by hand so the long integers are JSON numbers, as the Voice Service may send.
        const body = `[${records
          .map(
            (r) =>
              `{${Object.entries(r.extra)
                .map(([k, v]) => `${JSON.stringify(`x${k}`)}:${JSON.stringify(v)},`)
                .join(
                  '',
                )}"callee":${JSON.stringify(r.callee)},"start_time":${JSON.stringify(r.start_time)},"task_id":${r.task},"call_id":${r.call}}`,
          )
          .join(',')}]`;
        try {
          const result = await receiveReports(push(body), deps);
          expect(result.accepted + result.rejected).toBe(records.length);
        } catch (error: unknown) {
          expect(error).toBeInstanceOf(VmsArchiveError);
          expect((error as VmsArchiveError).statusCode).toBeLessThan(500);
          return;
        }
        const exact = new Set(records.map((r) => `${r.task}/${r.call}`));
        for (const job of deps.jobs) expect(exact.has(`${job.taskId}/${job.callId}`)).toBe(true);
        const good = records.filter(
          (r) => /^[0-9+-]{1,32}$/.test(r.callee.trim()) && r.start_time === RECORD.start_time,
        );
        expect(new Set(deps.jobs.map((job) => job.callId))).toEqual(
          new Set(good.map((r) => r.call)),
        );
      }),
      { numRuns: 300 },
    );
  });
});
