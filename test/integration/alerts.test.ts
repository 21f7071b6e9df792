import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandler as parkHandler } from '../../functions/park/handler';
import { emptyTally, flushAlerts } from '../../lib/alerts/notifier';
import { type AlertWebhook, sendWebhook } from '../../lib/alerts/webhook';
import { loadConfig } from '../../lib/config';
import { ALERT_STATE_KEY } from '../../lib/layout/alerts';
import { parkServices } from '../../lib/platform/wiring';
import type { ObjectStore } from '../../lib/storage/object-store';
import { openStore } from '../../lib/storage/open-store';
import { lambdaContext } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';
import { WebhookServer } from '../support/webhook-server';

const SECRETS = { dingtalk: 'SECdingtalk-signing-secret', feishu: 'feishu-signing-secret' };

let server: WebhookServer;
let dir: string;
let store: ObjectStore;

beforeEach(async () => {
  server = new WebhookServer(SECRETS);
  await server.start();
  dir = mkdtempSync(join(tmpdir(), 'alerts-'));
  store = openStore(`file://${dir}`, loadConfig({ VMS_SANDBOX: '1' }).archive);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(async () => {
  await drainHandlers();
  jest.restoreAllMocks();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const hooks = (): AlertWebhook[] => [
  { kind: 'dingtalk', url: `${server.url}/dingtalk?access_token=t0k3n`, secret: SECRETS.dingtalk },
  { kind: 'feishu', url: `${server.url}/feishu`, secret: SECRETS.feishu },
  { kind: 'wecom', url: `${server.url}/wecom?key=693a91f6-7xxx` },
  { kind: 'slack', url: `${server.url}/slack` },
];

describe('webhook formats', () => {
  it.each(['dingtalk', 'feishu', 'wecom', 'slack'] as const)(
    'given a %s webhook, then the message arrives in its documented shape (signed where it signs)',
    async (kind) => {
      const webhook = hooks().find((h) => h.kind === kind) as AlertWebhook;

      await sendWebhook(webhook, 'vms-call-archive: 2 parked');

      expect(server.refused).toEqual([]);
      expect(server.messages).toEqual([{ kind, text: 'vms-call-archive: 2 parked' }]);
    },
  );

  it.each([
    ['dingtalk', `/dingtalk?access_token=t0k3n`],
    ['feishu', '/feishu'],
  ] as const)(
    'given the wrong %s secret, then the tool refuses it and the send fails',
    async (kind, path) => {
      const sent = sendWebhook(
        { kind, url: `${server.url}${path}`, secret: 'not-the-secret' },
        'x',
      );

      await expect(sent).rejects.toThrow(/webhook answered 200/);
      expect(server.refused).toEqual([expect.stringMatching(/sign/)]);
      expect(server.messages).toEqual([]);
    },
  );

  it('given DingTalk unsigned while the robot signs, then it is refused', async () => {
    await expect(
      sendWebhook({ kind: 'dingtalk', url: `${server.url}/dingtalk?access_token=t` }, 'x'),
    ).rejects.toThrow(/310000/);
  });
});

describe('at most one message per ALERT_EVERY_MINUTES', () => {
  it('given parks at 0, 1 and 16 minutes, then two messages: the first, and one with the counts since', async () => {
    const t0 = Date.parse('2026-12-01T12:00:00Z');
    const deps = (minutes: number) => ({
      store,
      webhook: hooks()[3] as AlertWebhook,
      everyMinutes: 15,
      now: () => t0 + minutes * 60_000,
    });
    const parked = (n: number, reason: string) => ({
      ...emptyTally(),
      parked: n,
      reasons: { [reason]: n },
    });

    expect(await flushAlerts(parked(1, 'InvalidJobError'), deps(0))).toBe(true);
    expect(await flushAlerts(parked(2, 'DeadLettered'), deps(1))).toBe(false);
    expect(await flushAlerts({ ...emptyTally(), reconcileMissed: 5 }, deps(2))).toBe(false);
    expect(await flushAlerts(parked(1, 'DeadLettered'), deps(16))).toBe(true);

    expect(server.messages.map((m) => m.text)).toEqual([
      expect.stringContaining('1 parked in _rejected/ (InvalidJobError 1)'),
      expect.stringMatching(
        /since 2026-12-01T12:00:00.000Z[\s\S]*3 parked in _rejected\/ \(DeadLettered 3\)[\s\S]*reconcile dispatched 5 calls/,
      ),
    ]);
    const state = JSON.parse(String(await store.get(ALERT_STATE_KEY)));
    expect(state).toEqual({ lastSentAt: '2026-12-01T12:16:00.000Z', pending: {}, reasons: {} });
  });

  it('given the webhook fails, then the counts wait for the next flush instead of being lost', async () => {
    const broken = {
      store,
      webhook: { kind: 'slack', url: `${server.url}/nowhere` } as AlertWebhook,
      everyMinutes: 15,
    };
    expect(await flushAlerts({ ...emptyTally(), parked: 4 }, broken)).toBe(false);

    expect(
      await flushAlerts(emptyTally(), { ...broken, webhook: hooks()[3] as AlertWebhook }),
    ).toBe(true);

    expect(server.messages).toEqual([
      expect.objectContaining({ text: expect.stringContaining('4 parked') }),
    ]);
  });
});

describe('the functions notify', () => {
  it('given ALERT_WEBHOOK_* set, when the park function parks a dead-lettered job, then Feishu gets one signed message with the count and no number', async () => {
    const park = handlerWith(parkHandler, parkServices, {
      VMS_SANDBOX: '1',
      ARCHIVE_URL: `file://${dir}`,
      ALERT_WEBHOOK_URL: `${server.url}/feishu`,
      ALERT_WEBHOOK_KIND: 'feishu',
      ALERT_WEBHOOK_SECRET: SECRETS.feishu,
    }) as unknown as (event: unknown, context: unknown) => Promise<unknown>;
    const job = { taskId: '1045001', callee: '13000000000', date: '2019-06-14' };
    const record = {
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: job,
      responsePayload: { errorMessage: 'callee 13000000000 unreachable' },
    };

    await park(record, lambdaContext('park'));
    await park(
      { ...record, requestPayload: { ...job, callee: '13000000001' } },
      lambdaContext('park'),
    );

    expect(server.refused).toEqual([]);
    expect(server.messages).toHaveLength(1);
    const [message] = server.messages;
    expect(message?.text).toContain('1 parked in _rejected/ (RetriesExhausted 1)');
    expect(message?.text).not.toMatch(/\d{7,}/);
    expect(JSON.parse(String(await store.get(ALERT_STATE_KEY))).pending).toEqual({ parked: 1 });
  });
});
