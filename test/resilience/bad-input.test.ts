import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Handler,
} from 'aws-lambda';
import fc from 'fast-check';
import { createHandler as lookupHandler } from '../../functions/lookup/handler';
import { createHandler as reportsHandler } from '../../functions/reports/handler';
import { parseCallDetail } from '../../lib/call-detail/parse-call-detail';
import { CallDetailSchema } from '../../lib/call-detail/schema';
import { VmsArchiveError } from '../../lib/errors';
import { toCallEndedJob } from '../../lib/model/voice-report';
import { lookupServices, reportsServices } from '../../lib/platform/wiring';
import { lambdaContext, loadEvent, pushEvent } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';
import { type Harness, startHarness } from '../support/harness';
import { logsInto, stopLogs } from '../support/logs';
import { recordFigures } from '../support/resilience';

/**
 * Bad input: property-based tests over everything a caller or the upstream controls. No
 * input gives a 5xx or a crash, and every rejection names what is wrong.
 */
type HttpHandler = Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
const TOKEN = 'bad-input-token';
const API_KEY = 'bad-input-key-0123456789';
const RUNS = Number(process.env.RESILIENCE_PROPERTY_RUNS ?? 300);

jest.setTimeout(120_000);

const tried: Record<string, number> = {};
const fiveXx: Record<string, number> = {};

/** Strings a hostile client would try: traversal, encodings, look-alikes, controls, huge. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '../../etc/passwd',
    '..%2f..%2f',
    '%2e%2e',
    '%2E%2E%2F',
    '..',
    '.',
    '１０４５００１', // full-width digits
    '١٠٤٥٠٠١', // Arabic-Indic digits
    '1045001\u0000',
    '1045001\n',
    '\u202e1045001',
    '13000000000; rm -rf /',
    '',
    ' ',
    '9'.repeat(400),
    '-1',
    '1e309',
    'NaN',
    '__proto__',
    'constructor',
  ),
  fc.bigInt().map(String),
  fc.integer().map(String),
);

const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    '12345678901234567890123',
    Number.POSITIVE_INFINITY,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    null,
    [],
    {},
    '\u0000\u0001\u001f',
  ),
);

describe('bad input, property-based', () => {
  let h: Harness;
  let reports: HttpHandler;
  let lookup: HttpHandler;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    logsInto();
    h = await startHarness({
      env: {
        REPORTS_TOKEN: TOKEN,
        API_KEYS: API_KEY,
        DISPATCH: 'local',
        LOCAL_RETRY_DELAYS_MS: '10',
        DYVMS_MAX_RPS: '2000',
      },
    });
    reports = handlerWith(reportsHandler, reportsServices, h.env);
    lookup = handlerWith(lookupHandler, lookupServices, h.env);
  });
  afterAll(async () => {
    await drainHandlers();
    process.env = { ...savedEnv };
    jest.restoreAllMocks();
    stopLogs();
    await h.stop();
    recordFigures('bad-input', { tried, fiveXx });
  });

  async function push(body: string, base64 = false) {
    const result = (await reports(
      pushEvent(TOKEN, body, base64),
      lambdaContext('reports'),
      () => undefined,
    )) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode ?? 0, json: JSON.parse(String(result.body)) };
  }

  function count(name: string, status: number) {
    tried[name] = (tried[name] ?? 0) + 1;
    if (status >= 500) fiveXx[name] = (fiveXx[name] ?? 0) + 1;
  }

  /** A 200 counts every record; a 400/413 names the body or the record at fault. */
  function expectPushAnswer(status: number, json: Record<string, unknown>, records?: number) {
    expect([200, 400, 413]).toContain(status);
    if (status === 200) {
      if (records !== undefined)
        expect(Number(json.accepted) + Number(json.rejected)).toBe(records);
    } else {
      const error = json.error as { code: string; message: string };
      expect(error.message).toMatch(/^body/);
    }
  }

  it('given any string as the push body, then 200, 400 or 413 with a message naming the body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })),
        fc.boolean(),
        async (body, base64) => {
          const { status, json } = await push(body, base64);
          count('push body (any string)', status);
          expectPushAnswer(status, json);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('given arrays of arbitrary records, then each is accepted or rejected with a reason, never a 5xx', async () => {
    const record = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'call_id',
          'callee',
          'start_time',
          'end_time',
          'out_id',
          'task_id',
          'taskId',
        ),
        fc.string(),
      ),
      fc.oneof(nasty, jsonish),
      { maxKeys: 8 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 20 }), async (records) => {
        const { status, json } = await push(JSON.stringify(records));
        count('push records', status);
        expectPushAnswer(status, json, records.length);
        for (const r of records) {
          const verdict = toCallEndedJob(r);
          if ('reason' in verdict)
            expect(verdict.reason).toMatch(/^(callee|start_time\/end_time|task id):/);
          else expect(verdict.job.taskId).toMatch(/^\d{1,20}$/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('given deep nesting, huge numbers, control characters, over 1 MiB and empty arrays, then no 5xx', async () => {
    const cases: [string, string, number][] = [
      // An element that is not an object is kept as rejected (clipped), like any bad record.
      ['deep nesting', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 200],
      // Parked (clipped) with its reason; the good record beside it still goes through.
      [
        'deep object',
        `[${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)},{"task_id":"1045001","callee":"13000000001","start_time":"2019-06-14 16:01:00"}]`,
        200,
      ],
      ['huge numbers', '[{"task_id":123456789012345678901234567890,"callee":1e400}]', 200],
      [
        'control characters',
        '[{"callee":"130\\u0000000","start_time":"2019-06-14\\n10:00:00"}]',
        200,
      ],
      ['over 1 MiB', `[${'{"callee":"13000000000"},'.repeat(50_000)}{}]`, 413],
      ['empty array', '[]', 200],
      ['null', 'null', 400],
      ['array of nulls', '[null,null]', 200],
      [
        'traversal ids',
        '[{"task_id":"../../x","callee":"%2e%2e","start_time":"2019-06-14 10:00:00"}]',
        200,
      ],
    ];
    for (const [name, body, expected] of cases) {
      const { status, json } = await push(body);
      count(`push ${name}`, status);
      expect({ name, status }).toEqual({ name, status: expected });
      expectPushAnswer(status, json);
    }
    const deep = await push(cases[1]?.[1] ?? '');
    expect(deep.json).toEqual({ code: 0, msg: 'received', accepted: 1, rejected: 1 });
    const parked = await Promise.all(
      (await h.store.list('_rejected/')).map(async (key) => String(await h.store.get(key))),
    );
    expect(parked.some((item) => item.includes('nested deeper than 16 levels'))).toBe(true);
  });

  it('given any taskId, callee and date in the lookup path and query, then 2xx or 4xx, and a 400 names the parameter', async () => {
    await fc.assert(
      fc.asyncProperty(
        nasty,
        nasty,
        fc.option(nasty, { nil: undefined }),
        async (taskId, callee, date) => {
          const event = loadEvent('http/lookup');
          event.pathParameters = { taskId, callee };
          event.queryStringParameters = date === undefined ? {} : { date };
          event.headers = { ...event.headers, 'X-Api-Key': API_KEY };
          const result = (await lookup(
            event,
            lambdaContext('lookup'),
            () => undefined,
          )) as APIGatewayProxyStructuredResultV2;
          const status = result.statusCode ?? 0;
          count('lookup path and query', status);
          expect([200, 400, 404]).toContain(status);
          if (status === 400) {
            const { error } = JSON.parse(String(result.body)) as { error: { message: string } };
            expect(error.message).toMatch(/taskId|callee|date/);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('given any Data string or value, then a valid CallDetail or a typed error, never a crash', () => {
    const seed = JSON.stringify({ callId: '1^2', taskId: 1, recordStatus: 1, called: '130' });
    const data = fc.oneof(
      fc.string(),
      fc.json(),
      fc.dictionary(
        fc.constantFrom(
          'taskId',
          'callId',
          'called',
          'duration',
          'label',
          'recordStatus',
          'recordFile',
          'callStartTime',
          'dialogDetail',
          'konwledgeCount',
          'hangupDirection',
        ),
        fc.oneof(nasty, jsonish),
      ),
      fc.string().map((s) => seed.slice(0, seed.length / 2) + s),
    );
    fc.assert(
      fc.property(data, (value) => {
        count('Data', 200);
        try {
          const detail = parseCallDetail(value);
          expect(CallDetailSchema.safeParse(detail).success).toBe(true);
        } catch (error: unknown) {
          expect(error).toBeInstanceOf(VmsArchiveError);
          expect((error as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});
