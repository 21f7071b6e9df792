import { loadConfig } from '../../../lib/config';

const base = { VMS_SANDBOX: '1' };

describe('ALERT_* configuration', () => {
  it('given nothing, then no webhook and one notification per 15 minutes at most', () => {
    expect(loadConfig(base).alerts).toEqual({ webhook: undefined, everyMinutes: 15 });
  });

  it('given a URL, a kind and a secret, then the webhook', () => {
    const config = loadConfig({
      ...base,
      ALERT_WEBHOOK_URL: 'https://oapi.example.com/robot/send?access_token=t',
      ALERT_WEBHOOK_KIND: 'dingtalk',
      ALERT_WEBHOOK_SECRET: 'SECabc',
      ALERT_EVERY_MINUTES: '60',
    });
    expect(config.alerts).toEqual({
      webhook: {
        url: 'https://oapi.example.com/robot/send?access_token=t',
        kind: 'dingtalk',
        secret: 'SECabc',
      },
      everyMinutes: 60,
    });
  });

  it.each([
    [
      { ALERT_WEBHOOK_URL: 'https://hooks.example.com/x' },
      /ALERT_WEBHOOK_KIND: required with ALERT_WEBHOOK_URL/,
    ],
    [
      { ALERT_WEBHOOK_URL: 'https://h.example.com/x', ALERT_WEBHOOK_KIND: 'teams' },
      /ALERT_WEBHOOK_KIND: expected one of/,
    ],
    [
      { ALERT_WEBHOOK_URL: 'ftp://h.example.com/x', ALERT_WEBHOOK_KIND: 'slack' },
      /ALERT_WEBHOOK_URL: expected http/,
    ],
    [
      {
        ALERT_WEBHOOK_URL: 'https://h.example.com/x',
        ALERT_WEBHOOK_KIND: 'wecom',
        ALERT_WEBHOOK_SECRET: 's',
      },
      /ALERT_WEBHOOK_SECRET: only dingtalk and feishu/,
    ],
    [{ ALERT_EVERY_MINUTES: '35792' }, /ALERT_EVERY_MINUTES: at most 35791/],
    [{ ALERT_EVERY_MINUTES: '0' }, /ALERT_EVERY_MINUTES/],
  ])('given %j, then start-up stops naming the variable', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
});
