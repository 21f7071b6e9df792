import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type BrowseDeps, handleBrowse } from '../../../lib/browse/browse-routes';
import { accessAudit } from '../../../lib/layout/access-audit';
import { writePendingRow } from '../../../lib/layout/index-row-of';
import { DetailForIndexSchema } from '../../../lib/layout/index-rows';
import { readAccessTrail } from '../../../lib/lifecycle/access-trail';
import { placeHold } from '../../../lib/lifecycle/holds';
import { FsObjectStore } from '../../../lib/storage/fs-store';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const HASH_SECRET = 'hash-secret';
const NOW = Date.parse('2026-11-26T08:00:00Z');
const CRM = 'crm-key-00000000000001';
const ALICE = 'alice-key-000000000002';
const CALLEE = '13800000001';
const DIR = '1045001/2019-06-14/116950320375_103750100375';
/** The call as its link names it (the call id with its `^`). */
const CALL_PATH = '/archive/calls/1045001/2019-06-14/116950320375^103750100375';

let dir: string;
let clock = NOW;
let store: FsObjectStore;
let deps: BrowseDeps;

function detail() {
  return {
    schemaVersion: 1,
    call: {
      taskId: '1045001',
      callId: '116950320375^103750100375',
      caller: '057188996676',
      callee: CALLEE,
      durationSeconds: 60,
      labels: [],
      callResult: 'ok',
      hangupBy: 'user',
      startedAt: '2019-06-14T15:22:23+08:00',
      endedAt: null,
      dialogCount: 0,
      transfer: { status: null, number: null, failReason: null },
      recallCount: null,
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
      recording: { status: 'available', url: 'http://h/r.wav', expiresAt: null },
      dialog: [],
      raw: { callee: CALLEE, taskId: '1045001' },
    },
    recording: {
      key: `${DIR}/recording.wav`,
      bytes: 4,
      // A whole detail.json, as the archive writes it: browse parses it with its schema.
      sha256: createHash('sha256').update('RIFF').digest('hex'),
      contentType: 'audio/wav',
      source: 'http://h/r.wav',
      storeTag: 't',
    },
    upstreamRequestId: null,
    archivedAt: '2026-11-26T07:00:00Z',
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'browse-audit-'));
  store = new FsObjectStore(dir);
  await store.put(`${DIR}/detail.json`, JSON.stringify(detail()), { contentType: 'x' });
  // Browse lists calls from the index: the row the archive writes at commit.
  await writePendingRow(
    store,
    '2019-06-14',
    DetailForIndexSchema.parse(detail()),
    `${DIR}/detail.json`,
  );
  await store.put(`${DIR}/recording.wav`, 'RIFF', { contentType: 'audio/wav' });
  deps = {
    store,
    apiKeys: [CRM, ALICE],
    keyNames: [
      { name: 'crm', key: CRM },
      { name: 'alice', key: ALICE },
    ],
    seeNumbers: ['alice'],
    hashSecret: HASH_SECRET,
    sessionSecret: SECRET,
    asset: () => undefined,
    openAudit: (context) => accessAudit(store, { ...context, now: () => clock }),
    now: () => clock,
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function request(
  method: string,
  path: string,
  options: { key?: string; body?: string; query?: Record<string, string> } = {},
) {
  clock += 1000;
  const event = {
    rawPath: path,
    queryStringParameters: options.query ?? {},
    headers: {
      ...(options.key ? { 'x-api-key': options.key } : {}),
      ...(options.body ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body,
    requestContext: {
      http: { method, sourceIp: '203.0.113.9' },
      requestId: `req-${Math.random().toString(16).slice(2)}`,
    },
  } as unknown as APIGatewayProxyEventV2;
  return handleBrowse(event, deps);
}

const storedText = async () => {
  const keys = await store.list('');
  const texts = await Promise.all(keys.map(async (key) => String(await store.get(key))));
  return texts.filter((_, i) => keys[i]?.startsWith('_audit/')).join('\n');
};

describe('browse and the access audit', () => {
  it('given sign-ins, a search, a view with a recording and a sign-out, then each is one audit row under the key name, one object per request, with no number in clear', async () => {
    await request('POST', '/app/session', { body: JSON.stringify({ apiKey: CRM }) });
    await expect(
      request('POST', '/app/session', { body: JSON.stringify({ apiKey: 'wrong-key' }) }),
    ).rejects.toThrow(/Unknown API key/);
    await request('GET', '/archive/days/2019-06-14/calls', { key: CRM, query: { q: '0001' } });
    await request('GET', CALL_PATH, { key: CRM });
    await request('POST', '/app/session/end');

    const rows = await readAccessTrail(store, {});
    expect(rows.map((row) => [row.who, row.action, row.target])).toEqual([
      ['crm', 'sign-in', '/app/session'],
      ['unknown', 'sign-in-failed', '/app/session'],
      ['crm', 'search', 'callee=0001&date=2019-06-14'],
      ['crm', 'view', DIR],
      ['crm', 'play', DIR],
      // The call's answer carries a download URL too (recordingDownloadUrl): issued, audited.
      ['crm', 'download', DIR],
      ['unknown', 'sign-out', '/app/session/end'],
    ]);
    expect(rows.every((row) => row.ip === '203.0.113.9')).toBe(true);
    expect(await storedText()).not.toContain(CALLEE);
    // One object per request: the view and the play of one request are written together.
    expect((await store.list('_audit/access/date=2026-11-26/')).length).toBe(5);
  });

  it('given audit --call, then it finds who played the call', async () => {
    await request('GET', CALL_PATH, { key: ALICE });
    await request('GET', '/archive/days/2019-06-14/calls', { key: CRM });

    const played = (
      await readAccessTrail(store, { call: '1045001/2019-06-14/116950320375^103750100375' })
    ).filter((row) => row.action === 'play');

    expect(played.map((row) => row.who)).toEqual(['alice']);
  });

  it('given a key without API_KEYS_SEE_NUMBERS, then the list and the call show the number masked; a key with it sees it whole', async () => {
    const masked = await request('GET', CALL_PATH, { key: CRM });
    const whole = await request('GET', CALL_PATH, { key: ALICE });
    const list = await request('GET', '/archive/days/2019-06-14/calls', { key: CRM });
    const fullList = await request('GET', '/archive/days/2019-06-14/calls', { key: ALICE });

    expect(masked.body).not.toContain(CALLEE);
    expect(JSON.parse(String(masked.body)).call.callee).toBe('138****0001');
    expect(JSON.parse(String(whole.body)).call.raw.callee).toBe(CALLEE);
    expect(JSON.parse(String(list.body)).calls[0].callee).toBe('138****0001');
    expect(JSON.parse(String(fullList.body)).calls[0].callee).toBe(CALLEE);
  });

  it('given a hold by callee, then the day list shows the call as held', async () => {
    const before = JSON.parse(
      String((await request('GET', '/archive/days/2019-06-14/calls', { key: CRM })).body),
    );
    const audit = accessAudit(store, { requestId: 'cli', ip: null });
    await placeHold({ callee: `+86 ${CALLEE}` }, 'dispute', {
      store,
      hashSecret: HASH_SECRET,
      who: 'cli:test',
      audit,
    });

    const after = JSON.parse(
      String((await request('GET', '/archive/days/2019-06-14/calls', { key: CRM })).body),
    );

    expect(before.calls[0].held).toBe(false);
    expect(after.calls[0].held).toBe(true);
  });
});
