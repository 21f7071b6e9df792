import { createHmac } from 'node:crypto';
import * as z from 'zod';
import { VmsArchiveError } from '../errors';

/** An incoming webhook of a chat tool (docs/design.md "Operating it"). */
export interface AlertWebhook {
  url: string;
  kind: 'dingtalk' | 'feishu' | 'wecom' | 'slack';
  /** DingTalk's and Feishu's signing secret (their "sign" security setting). */
  secret?: string;
}

export interface WebhookRequest {
  url: string;
  body: Record<string, unknown>;
}

/**
 * The request each tool documents for a plain text message:
 * - DingTalk custom robot: `{"msgtype":"text","text":{"content":…}}`; signed, the URL gets
 *   `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(key secret, `{timestamp}\n{secret}`)));
 * - Feishu / Lark custom bot: `{"msg_type":"text","content":{"text":…}}`; signed, the body gets
 *   `timestamp` (s, as a string) and `sign` = base64(HMAC-SHA256(key `{timestamp}\n{secret}`, ""));
 * - WeCom group robot: `{"msgtype":"text","text":{"content":…}}` (the key is in the URL);
 * - Slack-compatible incoming webhooks: `{"text":…}`.
 * Both signatures allow an hour of clock difference.
 */
export function webhookRequest(webhook: AlertWebhook, text: string, nowMs: number): WebhookRequest {
  switch (webhook.kind) {
    case 'dingtalk': {
      const body = { msgtype: 'text', text: { content: text } };
      if (!webhook.secret) return { url: webhook.url, body };
      const timestamp = String(nowMs);
      const sign = createHmac('sha256', webhook.secret)
        .update(`${timestamp}\n${webhook.secret}`)
        .digest('base64');
      const url = new URL(webhook.url);
      url.searchParams.set('timestamp', timestamp);
      url.searchParams.set('sign', sign);
      return { url: url.toString(), body };
    }
    case 'feishu': {
      const body = { msg_type: 'text', content: { text } };
      if (!webhook.secret) return { url: webhook.url, body };
      const timestamp = String(Math.floor(nowMs / 1000));
      const sign = createHmac('sha256', `${timestamp}\n${webhook.secret}`)
        .update('')
        .digest('base64');
      return { url: webhook.url, body: { timestamp, sign, ...body } };
    }
    case 'wecom':
      return { url: webhook.url, body: { msgtype: 'text', text: { content: text } } };
    case 'slack':
      return { url: webhook.url, body: { text } };
  }
}

/**
 * Whether the tool took the message. DingTalk and WeCom answer HTTP 200 with `errcode`,
 * Feishu with `code` (0: taken), Slack with the text `ok`.
 */
function accepted(kind: AlertWebhook['kind'], status: number, text: string): boolean {
  if (status < 200 || status > 299) return false;
  if (kind === 'slack') return text.trim() === 'ok';
  try {
    const answer = ToolAnswerSchema.safeParse(JSON.parse(text));
    if (!answer.success) return false;
    const { errcode, code, StatusCode } = answer.data;
    return (kind === 'feishu' ? (code ?? StatusCode) : errcode) === 0;
  } catch {
    return false;
  }
}

/** The fields of a chat tool's JSON answer that say whether it took the message. */
const ToolAnswerSchema = z.object({
  errcode: z.unknown().optional(),
  code: z.unknown().optional(),
  StatusCode: z.unknown().optional(),
});

export class WebhookError extends VmsArchiveError {
  override name = 'WebhookError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'WebhookFailed', statusCode: 502, retryable: true, cause });
  }
}

/** Sends one text message; throws a WebhookError (without the URL, which holds a token). */
export async function sendWebhook(
  webhook: AlertWebhook,
  text: string,
  options: { nowMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const request = webhookRequest(webhook, text, options.nowMs ?? Date.now());
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(request.body),
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (error: unknown) {
    throw new WebhookError(`the ${webhook.kind} webhook could not be reached`, error);
  }
  const answer = (await response.text()).slice(0, 500);
  if (!accepted(webhook.kind, response.status, answer))
    throw new WebhookError(`the ${webhook.kind} webhook answered ${response.status}: ${answer}`);
}
