import { randomBytes } from 'node:crypto';
import type { UpstreamPing } from '../dyvms/ping';
import type { ObjectStore } from '../storage/object-store';
import { checkArchive } from './doctor/archive';
import type { CheckResult } from './doctor/check-result';
import { checkDispatch, type DispatchTarget } from './doctor/dispatch';
import { checkIndex } from './doctor/index-lag';
import { type AlertWebhook, checkNotifications } from './doctor/notifications';
import { checkPush } from './doctor/push';
import { checkClock, checkCredentials } from './doctor/upstream';

/**
 * `vms-call-archive doctor` (docs/design.md "Operating it"): is this configuration one that
 * will archive the first call that ends? Each check is a small function of the services it
 * looks at (one module each under doctor/), answering ok, FAIL with the one-line fix, or
 * skip (nothing to check here).
 */
export type { CheckResult, CheckStatus } from './doctor/check-result';
export { checkClock, checkCredentials, MAX_CLOCK_SKEW_SECONDS } from './doctor/upstream';
export { checkArchive, checkDispatch, checkIndex, checkNotifications, checkPush };

/** What `doctor` is handed: every service it looks at, built by the CLI's wiring. */
export interface DoctorDeps {
  /** One cheap Dyvmsapi call (lib/dyvms/ping.ts); its answer serves two checks. */
  pingUpstream(): Promise<UpstreamPing>;
  archive: { url: string; store: ObjectStore };
  /** DISPATCH's target: what it is, and a look at it that sends nothing. */
  dispatch: DispatchTarget;
  /** The push URL the Voice Service is given, if one is to be checked. */
  pushUrl?: string;
  index: { compactEveryMinutes: number };
  /** ALERT_WEBHOOK_*: its kind and a way to send one message; undefined when unset. */
  webhook?: AlertWebhook;
  /** `--notify`: send one test message through the webhook. */
  notify?: boolean;
  now?: () => number;
  /** Names this run's probe; random by default. */
  runId?: string;
  fetch?: typeof fetch;
}

/**
 * Every check, in a fixed order, run side by side; the exit code is 1 when any is FAIL.
 * @example const results = await runDoctor(deps); process.exitCode = failed(results) ? 1 : 0;
 */
export async function runDoctor(deps: DoctorDeps): Promise<CheckResult[]> {
  const now = deps.now ?? Date.now;
  const ping = deps.pingUpstream();
  return Promise.all([
    ping.then(checkCredentials),
    ping.then((answer) => checkClock(answer)),
    checkArchive(deps.archive, deps.runId ?? randomBytes(8).toString('hex'), now),
    checkDispatch(deps.dispatch),
    checkPush(deps.pushUrl, deps.fetch ?? fetch, now),
    checkIndex(deps.archive.store, deps.index.compactEveryMinutes, now),
    checkNotifications(deps.webhook, deps.notify ?? false, now),
  ]);
}

export const failed = (results: readonly CheckResult[]): boolean =>
  results.some((result) => result.status === 'FAIL');
