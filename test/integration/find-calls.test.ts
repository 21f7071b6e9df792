import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createHandler } from '../../functions/browse/handler';
import { archiveCall } from '../../lib/archive/archive-call';
import { type BrowseDeps, handleBrowse } from '../../lib/browse/browse-routes';
import { compactDay } from '../../lib/call-index/compact';
import { accessAudit } from '../../lib/layout/access-audit';
import { type IndexRow, pendingRowKey } from '../../lib/layout/index-rows';
import { tombstoneKey } from '../../lib/layout/lifecycle';
import type { ObjectStore } from '../../lib/storage/object-store';
import {
  type Harness,
  RECORDED_CALL,
  type S3Server,
  startHarness,
  startS3,
} from '../support/harness';
import { indexRow } from '../support/index-rows';

jest.setTimeout(120_000);

const SECRET = Buffer.alloc(32, 7).toString('base64');
const KEY = 'reviewer-key-0123456789ab';
const CRM = 'crm-key-0123456789abcdefgh';

const event = (path: string, query: Record<string, string> = {}, key = KEY) =>
  ({
    rawPath: path,
    queryStringParameters: query,
    headers: { 'x-api-key': key },
    requestContext: { http: { method: 'GET', sourceIp: '127.0.0.1' }, requestId: 'r1' },
  }) as unknown as APIGatewayProxyEventV2;

interface Page {
  calls: {
    date: string;
    taskId: string;
    callId: string;
    callee: string;
    startedAt: string | null;
    durationSeconds: number | null;
    held: boolean;
    callResult: string | null;
  }[];
  cursor: string | null;
  totals: Record<string, number>;
}

/** Three days, two tasks, calls of one callee (13912345678) among others, one with a null start. */
function rowsOf(): { date: string; row: IndexRow }[] {
  const out: { date: string; row: IndexRow }[] = [];
  for (const [d, date] of ['2019-06-12', '2019-06-13', '2019-06-14'].entries()) {
    for (let i = 0; i < 40; i++) {
      const n = d * 100 + i;
      const taskId = i % 2 === 0 ? '1045001' : '2046002';
      const started = Date.parse(`${date}T01:00:00Z`) + i * 60_000;
      const key = `${taskId}/${date}/${n}_${n}/detail.json`;
      out.push({
        date,
        row: indexRow(
          n,
          {
            call_id: `${n}^${n}`,
            callee: i % 10 === 3 ? '13912345678' : `1380000${String(n).padStart(4, '0')}`,
            started_at: i === 39 ? null : new Date(started).toISOString(),
            archived_at: new Date(started + 120_000).toISOString(),
            duration_seconds: (i * 13) % 97,
            call_result: i % 3 === 0 ? '无法接通' : i % 3 === 1 ? '已接通' : '=HYPERLINK("x")',
            labels: i % 4 === 0 ? ['Complaint 投诉'] : ['邀约'],
            dialog_text: `robot: 您好\nuser: ${i % 5 === 0 ? 'Please CALL me Back later' : '不需要'}`,
            detail_key: key,
            recording_key: i % 2 === 0 ? key.replace('detail.json', 'recording.wav') : null,
            recording_bytes: i % 2 === 0 ? 1000 + n : null,
            recording_sha256: i % 2 === 0 ? 'ab'.repeat(32) : null,
            recording_content_type: i % 2 === 0 ? 'audio/wav' : null,
          },
          taskId,
        ),
      });
    }
  }
  return out;
}

async function writeRows(store: ObjectStore, rows: { date: string; row: IndexRow }[]) {
  for (const { date, row } of rows)
    await store.put(pendingRowKey(date, row), JSON.stringify(row), {
      contentType: 'application/json',
    });
}

describe('finding calls over the index (GET /archive/calls, the day routes, the export)', () => {
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(() => s3.stop());

  for (const backend of ['s3', 'file'] as const) {
    describe(`on ${backend}://`, () => {
      let h: Harness;
      let deps: BrowseDeps;
      const rows = rowsOf();

      beforeAll(async () => {
        h = await startHarness(backend === 's3' ? { s3Endpoint: s3.endpoint } : {});
        await writeRows(h.store, rows);
        // Two days compacted into parts, the third left as pending rows.
        await compactDay('2019-06-12', { store: h.store });
        await compactDay('2019-06-13', { store: h.store });
        deps = {
          store: h.store,
          apiKeys: [KEY, CRM],
          keyNames: [
            { name: 'alice', key: KEY },
            { name: 'crm', key: CRM },
          ],
          seeNumbers: ['crm'],
          exporters: ['alice'],
          sessionSecret: SECRET,
          asset: () => undefined,
          openAudit: (context) => accessAudit(h.store, context),
        };
      });
      afterAll(() => h.stop());

      const get = async (path: string, query: Record<string, string> = {}, key = KEY) => {
        // Through the function itself (middy, its error answers), as API Gateway calls it.
        const handler = createHandler({
          secrets: { before: async () => undefined },
          for: () => deps,
          built: () => deps,
        });
        const result = await handler(event(path, query, key), {} as Context);
        return {
          status: result.statusCode ?? 0,
          headers: result.headers ?? {},
          body: String(result.body ?? ''),
        };
      };
      const search = async (query: Record<string, string>, key = KEY): Promise<Page> => {
        const answer = await get('/archive/calls', query, key);
        expect(answer.status).toBe(200);
        return JSON.parse(answer.body) as Page;
      };
      const all = async (query: Record<string, string>): Promise<Page['calls']> => {
        const calls: Page['calls'] = [];
        let cursor: string | null = null;
        do {
          const page: Page = await search({ ...query, ...(cursor ? { cursor } : {}) });
          calls.push(...page.calls);
          cursor = page.cursor;
        } while (cursor);
        return calls;
      };
      const expected = (keep: (row: IndexRow, date: string) => boolean) =>
        rows.filter(({ row, date }) => keep(row, date)).length;

      it('given a range of days, then every call of them, parts and pending rows alike, newest first, paged by cursors without loss or repeat', async () => {
        const first = await search({ from: '2019-06-12', to: '2019-06-14' });
        expect(first.calls).toHaveLength(50);
        expect(first.totals.matching).toBe(120);
        const calls = await all({ from: '2019-06-12', to: '2019-06-14' });
        expect(calls).toHaveLength(120);
        expect(new Set(calls.map((c) => `${c.taskId}/${c.callId}`)).size).toBe(120);
        const times = calls
          .filter((c) => c.startedAt)
          .map((c) => Date.parse(c.startedAt as string));
        expect(times).toEqual([...times].sort((a, b) => b - a));
        // Nulls last: the three calls without a start end the list.
        expect(calls.slice(-3).every((c) => c.startedAt === null)).toBe(true);
        expect(calls[0]).toMatchObject({
          date: '2019-06-14',
          startedAt: '2019-06-14T09:38:00+08:00',
          held: false,
        });
        expect(calls[0]?.callee).toMatch(/^\d{3}\*{4}\d{4}$/);
      });

      it('given each filter, then exactly the calls it names', async () => {
        const range = { from: '2019-06-12', to: '2019-06-14' };
        const count = async (q: Record<string, string>) =>
          (await search({ ...range, ...q })).totals.matching;
        expect(await count({ taskId: '2046002' })).toBe(expected((r) => r.task_id === '2046002'));
        expect(await count({ taskId: '02046002' })).toBe(60);
        // A part of the value: 无法 finds 无法接通.
        expect(await count({ result: '无法' })).toBe(expected((r) => r.call_result === '无法接通'));
        expect(await count({ label: 'complaint' })).toBe(
          expected((r) => r.labels.includes('Complaint 投诉')),
        );
        expect(await count({ recording: 'yes' })).toBe(60);
        expect(await count({ recording: 'no' })).toBe(60);
        expect(await count({ callee: '5678' })).toBe(12);
        expect(await count({ callee: '+86 139-1234-5678' })).toBe(12);
        expect(await count({ callee: '13912345678' })).toBe(12);
        expect(await count({ callee: '1391234567' })).toBe(0);
        // Words said, case-insensitive for Latin letters, in one turn's content (not a role).
        expect(await count({ text: 'call me back' })).toBe(
          expected((r) => /CALL me/.test(r.dialog_text ?? '')),
        );
        expect(await count({ text: 'robot' })).toBe(0);
        expect(await count({ text: '不需要', taskId: '1045001', recording: 'yes' })).toBe(
          expected(
            (r) =>
              r.task_id === '1045001' &&
              r.recording_key !== null &&
              r.dialog_text?.includes('不需要') === true,
          ),
        );
      });

      it('given each order, then the calls sorted by it, nulls last', async () => {
        for (const sort of ['time', '-duration', 'duration'] as const) {
          const calls = await all({ from: '2019-06-13', to: '2019-06-14', sort });
          expect(calls).toHaveLength(80);
          const values = calls.map((c) =>
            sort.endsWith('duration') ? c.durationSeconds : c.startedAt && Date.parse(c.startedAt),
          );
          const present = values.filter((v): v is number => v !== null);
          const direction = sort.startsWith('-') ? -1 : 1;
          expect(present).toEqual([...present].sort((a, b) => direction * (a - b)));
          expect(values.slice(present.length).every((v) => v === null)).toBe(true);
        }
      });

      it('given a day route with the same filters, then the same calls, q as the last four, the day totals and latestDay', async () => {
        const day = JSON.parse(
          (await get('/archive/days/2019-06-14/calls', { q: '5678' })).body,
        ) as Page;
        expect(day.calls.map((c) => c.callId).sort()).toEqual(
          rows
            .filter(({ date, row }) => date === '2019-06-14' && row.callee === '13912345678')
            .map(({ row }) => row.call_id)
            .sort(),
        );
        expect(day.totals).toEqual({
          archived: 40,
          withRecording: 20,
          withoutRecording: 20,
          matching: 4,
        });
        const overview = JSON.parse((await get('/archive/days/2019-06-01')).body);
        expect(overview).toMatchObject({
          date: '2019-06-01',
          archived: 0,
          latestDay: '2019-06-14',
        });
        const full = JSON.parse((await get('/archive/days/2019-06-13')).body);
        expect(full).toMatchObject({ archived: 40, withoutRecording: 20 });
      });

      it('given a key that may see numbers, then full numbers; given a tombstone, then the call is gone from every list at once', async () => {
        const crm = await search({ from: '2019-06-14', callee: '13912345678' }, CRM);
        expect(crm.calls.every((c) => c.callee === '13912345678')).toBe(true);
        const target = rows.find(
          ({ date, row }) => date === '2019-06-12' && row.callee === '13912345678',
        );
        if (!target) throw new Error('no target');
        const key = tombstoneKey(target.row.task_id, target.date, target.row.call_id);
        await h.store.put(
          key,
          JSON.stringify({ schemaVersion: 1, erasedAt: new Date().toISOString(), receiptId: 'r' }),
          {
            contentType: 'application/json',
          },
        );
        try {
          const after = await search({ from: '2019-06-12', callee: '13912345678' });
          expect(after.totals.matching).toBe(3);
          expect(after.calls.map((c) => c.callId)).not.toContain(target.row.call_id);
        } finally {
          await h.store.delete(key);
        }
      });

      it('given each bad parameter, then a 400 that names it', async () => {
        const cases: [Record<string, string>, RegExp][] = [
          [{}, /^from: required/],
          [{ from: '2019-02-30' }, /^from: a day/],
          [{ from: '2019-06-12', to: 'tomorrow' }, /^to: a day/],
          [
            { from: '2019-06-14', to: '2019-06-12' },
            /^from, to: from 2019-06-14 is after to 2019-06-12/,
          ],
          [{ from: '2019-01-01', to: '2019-06-14' }, /^from, to: at most 92 days/],
          [{ from: '2019-06-14', callee: '123' }, /^callee: 4 digits/],
          [{ from: '2019-06-14', callee: '1'.repeat(33) }, /^callee: /],
          [{ from: '2019-06-14', callee: '138abcd' }, /^callee: /],
          [{ from: '2019-06-14', taskId: 'abc' }, /^taskId: /],
          [{ from: '2019-06-14', recording: 'maybe' }, /^recording: yes or no/],
          [{ from: '2019-06-14', sort: 'callee' }, /^sort: one of/],
          [{ from: '2019-06-14', cursor: 'not a cursor!' }, /^cursor: /],
          [{ from: '2019-06-14', result: 'x'.repeat(65) }, /^result: at most 64/],
        ];
        for (const [query, message] of cases) {
          const answer = await get('/archive/calls', query);
          expect({ query, status: answer.status }).toEqual({ query, status: 400 });
          expect(JSON.parse(answer.body).error.message).toMatch(message);
        }
        const day = await get('/archive/days/2019-06-14/calls', { q: '12' });
        expect(day.status).toBe(400);
        expect(JSON.parse(day.body).error.message).toMatch(/^q: /);
        // A cursor of one search is refused by another, and by the day route.
        const page = await search({ from: '2019-06-12', to: '2019-06-14' });
        const other = await get('/archive/calls', {
          from: '2019-06-12',
          to: '2019-06-14',
          label: '邀约',
          cursor: page.cursor as string,
        });
        expect(other.status).toBe(400);
        expect(JSON.parse(other.body).error.message).toMatch(/^cursor: made for other filters/);
        const onDay = await get('/archive/days/2019-06-14/calls', {
          cursor: page.cursor as string,
        });
        expect(onDay.status).toBe(400);
      });

      it('given an export, then a 303 to a CSV of the matching calls (BOM, CRLF, masked, spreadsheet-safe), audited; a key not allowed to export gets 403', async () => {
        const answer = await get('/archive/export.csv', {
          from: '2019-06-13',
          to: '2019-06-14',
          recording: 'yes',
        });
        expect(answer.status).toBe(303);
        const location = String(answer.headers.Location);
        let csv: string;
        if (/^https?:/.test(location)) {
          const response = await fetch(location);
          expect(response.status).toBe(200);
          expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
          expect(response.headers.get('content-disposition')).toMatch(
            /attachment; filename="calls-2019-06-13-2019-06-14\.csv"/,
          );
          csv = Buffer.from(await response.arrayBuffer()).toString('utf8');
        } else {
          const parsed = new URL(`http://browse${location}`);
          const served = await handleBrowse(
            event(decodeURIComponent(parsed.pathname), Object.fromEntries(parsed.searchParams)),
            deps,
          );
          expect(served.statusCode).toBe(200);
          expect(String(served.headers?.['Content-Type'])).toMatch(/^text\/csv/);
          csv = Buffer.from(String(served.body), 'base64').toString('utf8');
        }
        expect(
          csv.startsWith(
            '\uFEFFdate,task_id,call_id,callee,started_at,duration_seconds,call_result,labels,hangup_by,transfer_status,recording_bytes,recording_sha256\r\n',
          ),
        ).toBe(true);
        const lines = csv.slice(1).trimEnd().split('\r\n');
        expect(lines).toHaveLength(1 + 40);
        expect(csv).not.toMatch(/1[3-9]\d{9}/);
        expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
        expect(lines[1]).toMatch(
          /^2019-06-14,1045001,238\^238,138\*\*\*\*0238,2019-06-14T09:38:00\+08:00,9,/,
        );
        const stored = (await h.store.list('_exports/')).filter((k) => k.endsWith('.csv'));
        expect(stored).toHaveLength(1);
        const forbidden = await get('/archive/export.csv', { from: '2019-06-14' }, CRM);
        expect(forbidden.status).toBe(403);
        // What the page asks to know which links to offer.
        expect(JSON.parse((await get('/app/session', {}, CRM)).body)).toEqual({
          name: 'crm',
          seesNumbers: true,
          mayExport: false,
        });
        expect(JSON.parse((await get('/app/session')).body)).toMatchObject({ mayExport: true });
        const audit = await Promise.all(
          (await h.store.list('_audit/access/')).map(async (k) => String(await h.store.get(k))),
        );
        const exported = audit
          .join('\n')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
          .filter((r) => r.action === 'export');
        expect(exported).toEqual([
          expect.objectContaining({
            who: 'alice',
            target: expect.stringContaining('from=2019-06-13'),
          }),
        ]);
      });

      it('given a call archived a moment ago, then it is found before any compaction', async () => {
        await archiveCall({ ...RECORDED_CALL }, h.deps);
        const found = await search({ from: RECORDED_CALL.date, callee: RECORDED_CALL.callee });
        expect(found.calls).toEqual([
          expect.objectContaining({
            taskId: '1045001',
            callId: '116950320375^103750100375',
            date: '2019-06-14',
          }),
        ]);
      });
    });
  }
});
