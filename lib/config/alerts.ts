import * as z from 'zod';
import { durationMinutes, optionalText, optionalUrl } from './values';

export const ALERT_KINDS = ['dingtalk', 'feishu', 'wecom', 'slack'] as const;
export type AlertWebhookKind = (typeof ALERT_KINDS)[number];

/**
 * Notifications (docs/design.md "Operating it"): an incoming webhook told of parked jobs and
 * reconcile misses, at most once per ALERT_EVERY_MINUTES. The URL (its token) and the signing
 * secret are secrets: on AWS they come from SSM like the others.
 */
export const alertsSchema = z
  .object({
    ALERT_WEBHOOK_URL: optionalUrl('expected an https:// (or http://) incoming webhook URL'),
    ALERT_WEBHOOK_KIND: optionalText.pipe(
      z.enum(ALERT_KINDS, { error: `expected one of ${ALERT_KINDS.join(', ')}` }).optional(),
    ),
    ALERT_WEBHOOK_SECRET: optionalText,
    ALERT_EVERY_MINUTES: durationMinutes(15),
  })
  .superRefine((e, ctx) => {
    if (e.ALERT_WEBHOOK_URL && !e.ALERT_WEBHOOK_KIND)
      ctx.addIssue({
        code: 'custom',
        path: ['ALERT_WEBHOOK_KIND'],
        message: `required with ALERT_WEBHOOK_URL (${ALERT_KINDS.join(', ')})`,
      });
    if (e.ALERT_WEBHOOK_URL && !/^https?:$/.test(new URL(e.ALERT_WEBHOOK_URL).protocol))
      ctx.addIssue({ code: 'custom', path: ['ALERT_WEBHOOK_URL'], message: 'expected http(s)' });
    if (
      e.ALERT_WEBHOOK_SECRET &&
      (e.ALERT_WEBHOOK_KIND === 'wecom' || e.ALERT_WEBHOOK_KIND === 'slack')
    )
      ctx.addIssue({
        code: 'custom',
        path: ['ALERT_WEBHOOK_SECRET'],
        message: 'only dingtalk and feishu sign their webhooks',
      });
  })
  .transform((e) => ({
    webhook:
      e.ALERT_WEBHOOK_URL && e.ALERT_WEBHOOK_KIND
        ? { url: e.ALERT_WEBHOOK_URL, kind: e.ALERT_WEBHOOK_KIND, secret: e.ALERT_WEBHOOK_SECRET }
        : undefined,
    everyMinutes: e.ALERT_EVERY_MINUTES,
  }));
