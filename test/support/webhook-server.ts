import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  kind: 'dingtalk' | 'feishu' | 'wecom' | 'slack';
  text: string;
}

/**
 * A chat tool's incoming webhooks on 127.0.0.1, one path per kind, each checking what its
 * vendor documents: the body's shape, and for DingTalk and Feishu with a secret the
 * signature and a timestamp within the hour. A message that fails a check is answered as
 * the vendor answers it (HTTP 200 with an error code, Slack 400) and not kept.
 */
export class WebhookServer {
  readonly messages: ReceivedMessage[] = [];
  readonly refused: string[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly secrets: { dingtalk?: string; feishu?: string } = {}) {}

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // checked below as a bad body
      }
      const verdict = this.check(url, body);
      if ('text' in verdict) this.messages.push(verdict);
      else this.refused.push(verdict.error);
      const kind = url.pathname.slice(1);
      const ok = 'text' in verdict;
      if (kind === 'slack') res.writeHead(ok ? 200 : 400).end(ok ? 'ok' : 'invalid_payload');
      else
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify(
              kind === 'feishu'
                ? ok
                  ? { code: 0, msg: 'success', data: {} }
                  : { code: 19021, msg: 'sign match fail or timestamp is not within one hour' }
                : ok
                  ? { errcode: 0, errmsg: 'ok' }
                  : { errcode: 310000, errmsg: 'sign not match' },
            ),
          );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private check(url: URL, body: Record<string, unknown>): ReceivedMessage | { error: string } {
    const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
    const within = (ms: number) => Math.abs(Date.now() - ms) <= 3_600_000;
    switch (url.pathname) {
      case '/dingtalk': {
        const content = text((body.text as { content?: unknown })?.content);
        if (body.msgtype !== 'text' || !content) return { error: 'dingtalk: not a text message' };
        const secret = this.secrets.dingtalk;
        if (secret) {
          const timestamp = url.searchParams.get('timestamp') ?? '';
          const expected = createHmac('sha256', secret)
            .update(`${timestamp}\n${secret}`)
            .digest('base64');
          if (!within(Number(timestamp)) || url.searchParams.get('sign') !== expected)
            return { error: 'dingtalk: sign not match' };
        }
        return { kind: 'dingtalk', text: content };
      }
      case '/feishu': {
        const content = text((body.content as { text?: unknown })?.text);
        if (body.msg_type !== 'text' || !content) return { error: 'feishu: not a text message' };
        const secret = this.secrets.feishu;
        if (secret) {
          const timestamp = String(body.timestamp ?? '');
          const expected = createHmac('sha256', `${timestamp}\n${secret}`)
            .update('')
            .digest('base64');
          if (!within(Number(timestamp) * 1000) || body.sign !== expected)
            return { error: 'feishu: sign match fail' };
        }
        return { kind: 'feishu', text: content };
      }
      case '/wecom': {
        const content = text((body.text as { content?: unknown })?.content);
        if (!url.searchParams.get('key') || body.msgtype !== 'text' || !content)
          return { error: 'wecom: not a text message to a key' };
        return { kind: 'wecom', text: content };
      }
      case '/slack': {
        const content = text(body.text);
        return content ? { kind: 'slack', text: content } : { error: 'slack: no text' };
      }
      default:
        return { error: `no webhook at ${url.pathname}` };
    }
  }
}
