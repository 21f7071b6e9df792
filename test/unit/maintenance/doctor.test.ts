import { DyvmsError } from '../../../lib/dyvms/dyvms-error';
import type { UpstreamPing } from '../../../lib/dyvms/ping';
import { LAST_COMPACTION_KEY, pendingRowKey } from '../../../lib/layout/index-rows';
import {
  checkArchive,
  checkClock,
  checkCredentials,
  checkDispatch,
  checkIndex,
  checkNotifications,
  checkPush,
  failed,
  runDoctor,
} from '../../../lib/maintenance/doctor';
import { StorageError } from '../../../lib/storage/object-store';
import { memoryStore } from '../../support/memory-store';

const NOW = Date.parse('2019-06-14T08:00:00.000Z');
const now = () => NOW;

const ping = (fields: Partial<UpstreamPing> = {}): UpstreamPing => ({
  host: 'dyvmsapi.aliyuncs.com',
  sentAtMs: NOW - 100,
  answeredAtMs: NOW + 100,
  date: new Date(NOW).toUTCString(),
  requestId: 'REQ-1',
  ...fields,
});
const upstreamError = (upstreamCode: string, kind: DyvmsError['kind'] = 'client') =>
  new DyvmsError({ kind, upstreamCode, upstreamMessage: 'refused', httpStatus: 400 });

/** A fetch that answers every request with `status` and `body`, and keeps what it was sent. */
function answering(status: number, body: string) {
  const sent: { url: string; body: unknown }[] = [];
  const post = (async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), body: init?.body });
    return new Response(body, { status });
  }) as typeof fetch;
  return { post, sent };
}

describe('doctor: credentials', () => {
  it('given an answer with Code OK, then ok names the host and the request', () => {
    expect(checkCredentials(ping())).toEqual({
      check: 'credentials',
      status: 'ok',
      detail: 'Dyvmsapi at dyvmsapi.aliyuncs.com answered QueryRobotTaskList (request REQ-1)',
    });
  });

  it.each([
    [
      'InvalidAccessKeyId.NotFound',
      'client',
      /ALIBABA_CLOUD_ACCESS_KEY_ID is not an active AccessKey/,
    ],
    ['SignatureDoesNotMatch', 'signature', /ALIBABA_CLOUD_ACCESS_KEY_SECRET is not the secret/],
    ['InvalidTimeStamp.Expired', 'signature', /clock is off/],
    ['Forbidden.RAM', 'client', /grant its RAM user dyvms:QueryRobotTaskList/],
    ['ECONNREFUSED', 'network', /check DYVMS_ENDPOINT/],
  ] as const)(
    'given the upstream refusing with %s, then FAIL with the fix for it',
    (code, kind, fix) => {
      const result = checkCredentials(
        ping({ error: upstreamError(code, kind), requestId: undefined }),
      );

      expect(result).toMatchObject({ status: 'FAIL', fix: expect.stringMatching(fix) });
      expect(result.detail).toContain(code);
    },
  );
});

describe('doctor: clock', () => {
  it('given a Date within a second of this clock, then ok', () => {
    expect(checkClock(ping())).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^[01] s /),
    });
  });

  it('given an upstream Date ten minutes behind, then FAIL says how far and how to sync', () => {
    const result = checkClock(ping({ date: new Date(NOW - 600_000).toUTCString() }));

    expect(result).toMatchObject({
      status: 'FAIL',
      detail: expect.stringMatching(/^600 s ahead of Dyvmsapi's Date .*more than 300 s$/),
      fix: expect.stringContaining('NTP'),
    });
  });

  it('given no answer at all, then skip (the credentials check fails instead)', () => {
    expect(checkClock(ping({ date: undefined, error: new Error('ECONNREFUSED') }))).toMatchObject({
      status: 'skip',
    });
  });
});

describe('doctor: archive', () => {
  it('given a store that takes writes, then the probe is written, read back and deleted', async () => {
    const store = memoryStore();
    const puts: string[] = [];
    const spied = {
      ...store,
      put: (...args: Parameters<typeof store.put>) => {
        puts.push(args[0]);
        return store.put(...args);
      },
    };

    const result = await checkArchive({ url: 'file:///srv/archive', store: spied }, 'run1', now);

    expect(result).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('_doctor/probe-run1.json'),
    });
    expect(puts).toEqual(['_doctor/probe-run1.json']);
    expect(store.objects.size).toBe(0);
  });

  it('given a file:// archive under a file, then FAIL says it is a file', async () => {
    const notDir = Object.assign(new Error('ENOTDIR: not a directory'), {
      code: 'ENOTDIR',
      syscall: 'mkdir',
    });
    const store = {
      ...memoryStore(),
      put: async () => Promise.reject(new StorageError('cannot write', notDir)),
    };

    const result = await checkArchive({ url: 'file:///srv/archive', store }, 'run1', now);

    expect(result).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('cannot write _doctor/probe-run1.json'),
      fix: '/srv/archive (or a folder above it) is a file: set ARCHIVE_URL to a directory',
    });
  });

  it('given an s3:// archive that refuses the write, then the fix names the grants on its prefix', async () => {
    const store = { ...memoryStore(), put: async () => Promise.reject(new Error('Access Denied')) };

    const result = await checkArchive({ url: 's3://calls/archive', store }, 'run1', now);

    expect(result.fix).toMatch(
      /s3:PutObject, s3:GetObject and s3:DeleteObject on arn:aws:s3:::calls\/archive\/\*/,
    );
  });

  it('given a store that answers another probe, then FAIL at the read back', async () => {
    const store = memoryStore();
    const lying = {
      ...store,
      get: async () =>
        Buffer.from(
          JSON.stringify({
            probe: 'vms-call-archive doctor',
            runId: 'other',
            writtenAt: new Date(NOW).toISOString(),
          }),
        ),
    };

    const result = await checkArchive({ url: 'file:///srv/archive', store: lying }, 'run1', now);

    expect(result).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('cannot read back'),
    });
  });
});

describe('doctor: dispatch', () => {
  it('given a target that answers, then ok with what it said', async () => {
    const result = await checkDispatch({
      describe: 'sqs:https://q/1/jobs',
      probe: async () => 'queue exists',
    });
    expect(result).toEqual({ check: 'dispatch', status: 'ok', detail: 'queue exists' });
  });

  it.each([
    ['QueueDoesNotExist', 'sqs:https://q/1/jobs', /no such queue: set DISPATCH to sqs:/],
    ['ResourceNotFoundException', 'lambda:archive', /no such function/],
    ['AccessDeniedException', 'lambda:archive', /lambda:InvokeFunction/],
  ])('given %s, then FAIL with its fix', async (name, describe, fix) => {
    const error = Object.assign(new Error('refused'), { name });

    const result = await checkDispatch({ describe, probe: async () => Promise.reject(error) });

    expect(result).toMatchObject({
      status: 'FAIL',
      detail: `${describe}: refused`,
      fix: expect.stringMatching(fix),
    });
  });
});

describe('doctor: push URL', () => {
  const url = 'https://api.example.com/reports/secret-token-123456';

  it('given {"code":0} to an empty push, then ok, the token masked', async () => {
    const { post, sent } = answering(200, '{"code":0,"msg":"received","accepted":0,"rejected":0}');

    const result = await checkPush(url, post, now);

    expect(sent).toEqual([{ url, body: '[]' }]);
    expect(result).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('https://api.example.com/reports/**** answered {"code":0}'),
    });
    expect(JSON.stringify(result)).not.toContain('secret-token');
  });

  it('given a wrong token (404), then FAIL names REPORTS_TOKEN', async () => {
    const result = await checkPush(url, answering(404, '{"message":"Not Found"}').post, now);
    expect(result).toMatchObject({ status: 'FAIL', fix: expect.stringContaining('REPORTS_TOKEN') });
  });

  it('given a 200 that is not the receiver, then FAIL', async () => {
    expect(await checkPush(url, answering(200, '<html>hi</html>').post, now)).toMatchObject({
      status: 'FAIL',
    });
  });

  it('given no URL, then skip', async () => {
    expect(await checkPush(undefined, answering(200, '').post, now)).toMatchObject({
      status: 'skip',
    });
  });
});

describe('doctor: index', () => {
  const row = (archivedAtMs: number) => ({
    task_id: '1',
    call_id: `c${archivedAtMs}`,
    archived_at: new Date(archivedAtMs).toISOString(),
  });
  const lastRun = (fields: Record<string, unknown> = {}) =>
    JSON.stringify({
      finishedAt: new Date(NOW - 120_000).toISOString(),
      ok: true,
      days: [],
      pendingFolded: 0,
      ...fields,
    });

  it('given pending rows younger than two intervals and a recent compaction, then ok', async () => {
    const store = memoryStore(
      new Map([
        [pendingRowKey('2019-06-14', row(NOW - 60_000)), '{}'],
        [LAST_COMPACTION_KEY, lastRun()],
      ]),
    );

    const result = await checkIndex(store, 5, now);

    expect(result).toEqual({
      check: 'index',
      status: 'ok',
      detail: '1 pending rows, the oldest 60 s old; last compaction 2 min ago',
    });
  });

  it('given a pending row older than two intervals, then FAIL: lagging', async () => {
    const store = memoryStore(
      new Map([[pendingRowKey('2019-06-14', row(NOW - 11 * 60_000)), '{}']]),
    );

    const result = await checkIndex(store, 5, now);

    expect(result).toMatchObject({
      status: 'FAIL',
      detail:
        '1 pending rows, the oldest 11 min old; no compaction recorded yet: lagging (over 2 × 5 min)',
      fix: expect.stringContaining('vms-call-archive index compact'),
    });
  });

  it('given a last compaction that failed, then FAIL with its reason', async () => {
    const store = memoryStore(
      new Map([[LAST_COMPACTION_KEY, lastRun({ ok: false, error: 'StorageError: disk full' })]]),
    );

    expect(await checkIndex(store, 5, now)).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining('failed: StorageError: disk full'),
    });
  });
});

describe('doctor: notifications', () => {
  it('given a webhook and --notify, then one test message is sent', async () => {
    const sent: string[] = [];

    const result = await checkNotifications(
      { kind: 'feishu', send: async (text) => void sent.push(text) },
      true,
      now,
    );

    expect(result).toMatchObject({
      status: 'ok',
      detail: 'test message taken by the feishu webhook',
    });
    expect(sent).toEqual([expect.stringContaining('vms-call-archive doctor: a test message')]);
  });

  it('given a webhook that refuses, then FAIL names the variables to check', async () => {
    const result = await checkNotifications(
      { kind: 'dingtalk', send: async () => Promise.reject(new Error('sign not match')) },
      true,
      now,
    );
    expect(result).toMatchObject({
      status: 'FAIL',
      fix: expect.stringContaining('ALERT_WEBHOOK_SECRET'),
    });
  });

  it('given no webhook, then skip, and FAIL with --notify', async () => {
    expect(await checkNotifications(undefined, false, now)).toMatchObject({ status: 'skip' });
    expect(await checkNotifications(undefined, true, now)).toMatchObject({
      status: 'FAIL',
      fix: expect.stringContaining('ALERT_WEBHOOK_URL'),
    });
  });
});

describe('doctor: the whole run', () => {
  it('given fakes that all answer, then every check in order, the upstream called once, nothing failed', async () => {
    let pings = 0;
    const { post } = answering(200, '{"code":0,"msg":"received"}');

    const results = await runDoctor({
      pingUpstream: async () => {
        pings++;
        return ping();
      },
      archive: { url: 'file:///srv/archive', store: memoryStore() },
      dispatch: { describe: 'local', probe: async () => 'local' },
      pushUrl: 'http://127.0.0.1:3000/reports/t',
      index: { compactEveryMinutes: 5 },
      now,
      fetch: post,
    });

    expect(results.map((r) => `${r.status} ${r.check}`)).toEqual([
      'ok credentials',
      'ok clock',
      'ok archive',
      'ok dispatch',
      'ok push',
      'ok index',
      'skip notifications',
    ]);
    expect(pings).toBe(1);
    expect(failed(results)).toBe(false);
  });
});
