import { reasonOf } from '../../errors';
import { type CheckResult, fail, ok, skip } from './check-result';

/** ALERT_WEBHOOK_*: its kind and a way to send one message. */
export interface AlertWebhook {
  kind: string;
  send(text: string): Promise<void>;
}

/** ALERT_WEBHOOK_*: set or not; with `--notify`, one test message sent through it. */
export async function checkNotifications(
  webhook: AlertWebhook | undefined,
  notify: boolean,
  now: () => number,
): Promise<CheckResult> {
  const check = 'notifications';
  if (!webhook)
    return notify
      ? fail(
          check,
          'ALERT_WEBHOOK_URL is not set: nothing to send through',
          'set ALERT_WEBHOOK_URL and ALERT_WEBHOOK_KIND (dingtalk, feishu, wecom or slack; README "Operate it")',
        )
      : skip(check, 'no ALERT_WEBHOOK_URL: parked jobs and reconcile misses notify no one');
  if (!notify) return ok(check, `${webhook.kind} webhook set (--notify sends a test message)`);
  try {
    await webhook.send(
      `vms-call-archive doctor: a test message, ${new Date(now()).toISOString()}. Parked jobs and reconcile misses will be told here.`,
    );
  } catch (error: unknown) {
    return fail(
      check,
      `the ${webhook.kind} webhook refused the test message: ${reasonOf(error)}`,
      webhook.kind === 'dingtalk' || webhook.kind === 'feishu'
        ? 'check ALERT_WEBHOOK_URL, ALERT_WEBHOOK_KIND and, if the robot signs, ALERT_WEBHOOK_SECRET'
        : 'check ALERT_WEBHOOK_URL and ALERT_WEBHOOK_KIND',
    );
  }
  return ok(check, `test message taken by the ${webhook.kind} webhook`);
}
