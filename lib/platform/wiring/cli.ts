import { randomUUID } from 'node:crypto';
import { sendWebhook } from '../../alerts/webhook';
import { archiveJobOrPark } from '../../archive/archive-job';
import { type Config, requireArchiveUrl } from '../../config';
import { LocalDispatcher } from '../../dispatch/local-dispatcher';
import { openDispatcher } from '../../dispatch/open-dispatcher';
import { pingDyvms } from '../../dyvms/ping';
import { accessAudit } from '../../layout/access-audit';
import type { DoctorDeps } from '../../maintenance/doctor';
import type { CallEndedJob } from '../../model/call-ended-job';
import { park } from '../../parking/park';
import { archiveServices } from '../wiring';
import { archiveStore, createDyvmsClient } from './collaborators';
import { cliUser, lifecycleServices } from './lifecycle';

/**
 * The CLI: each command builds only what it uses, when it uses it (`lookup` needs no
 * archive, `backfill` a dispatcher only with --dispatch).
 */
export function cliServices(config: Config) {
  return {
    pageSize: config.dyvms.pageSize,
    lookbackHours: config.reconcile.lookbackHours,
    /** With DISPATCH=local the CLI archives here and waits, like backfill. */
    reconcile: () => cliReconcileServices(config),
    archive: () => archiveServices(config),
    /** erase, hold, release, retention, audit: the archive, the hash secret, an audit batch. */
    lifecycle: () => lifecycleServices(config),
    /** The archive's store alone (the index commands need nothing else). */
    store: () => archiveStore(config),
    /** query and export: the store, where it is, and the access rows of this run. */
    indexQuery: () => {
      const store = archiveStore(config);
      return {
        store,
        archiveUrl: requireArchiveUrl(config),
        who: `cli:${cliUser()}`,
        audit: accessAudit(store, { requestId: randomUUID(), ip: null }),
      };
    },
    dyvms: () => createDyvmsClient(config.dyvms),
    doctor: () => doctorServices(config),
    dispatcher: () =>
      openDispatcher(config.dispatch.target, { alibabaCredentials: config.dyvms.credentials }),
  };
}

/** `reconcile` from the CLI: with DISPATCH=local it archives here and waits, like backfill. */
function cliReconcileServices(config: Config) {
  const archive = archiveServices(config);
  const local = config.dispatch.target.kind === 'local';
  // One tally of what was archived here, by the same dispatcher the sandbox uses (its
  // retries included); without a journal, since this process waits for every job.
  const localDispatcher = local
    ? new LocalDispatcher({
        run: (job: CallEndedJob) => archiveJobOrPark(job, archive),
        park: (job: CallEndedJob, reason: string) => park(archive.store, 'job', job, reason),
        retryDelaysMs: config.dispatch.localRetryDelaysMs,
        concurrency: 4,
      })
    : undefined;
  const dispatcher =
    localDispatcher ??
    openDispatcher(config.dispatch.target, {
      alibabaCredentials: config.dyvms.credentials,
    });
  return {
    dyvms: archive.dyvms,
    store: archive.store,
    dispatcher,
    /** Resolves once every job handed to the local dispatcher is archived or parked. */
    idle: async () => localDispatcher?.idle(),
    tally: localDispatcher?.tally,
    lookbackHours: config.reconcile.lookbackHours,
    pageSize: config.dyvms.pageSize,
    hashSecret: config.lifecycle.hashSecret,
  };
}

/**
 * doctor: each service it looks at, as this configuration builds it (the archive's store,
 * one Dyvmsapi call of one attempt, DISPATCH's target, the webhook), and in the sandbox its
 * own push URL, which `--push-url` otherwise names.
 */
export function doctorServices(
  config: Config,
): Omit<DoctorDeps, 'pushUrl' | 'notify'> & { sandboxPushUrl?: string } {
  const target = config.dispatch.target;
  const { webhook } = config.alerts;
  const { reportsToken, sandbox } = config.http;
  return {
    // One attempt: the doctor reports what the upstream says, not what a retry hides.
    pingUpstream: () =>
      pingDyvms(
        (deps) => createDyvmsClient({ ...config.dyvms, maxAttempts: 1 }, deps),
        config.dyvms.endpoint.host,
      ),
    archive: { url: requireArchiveUrl(config), store: archiveStore(config) },
    dispatch: {
      describe: describeTarget(target),
      probe: () =>
        (
          require('../../dispatch/probe-target') as typeof import('../../dispatch/probe-target')
        ).probeDispatchTarget(target, { alibabaCredentials: config.dyvms.credentials }),
    },
    index: { compactEveryMinutes: config.callIndex.compactEveryMinutes },
    webhook: webhook
      ? { kind: webhook.kind, send: (text: string) => sendWebhook(webhook, text) }
      : undefined,
    sandboxPushUrl:
      sandbox && target.kind === 'local' && reportsToken
        ? `http://127.0.0.1:${config.platform.port}/reports/${reportsToken}`
        : undefined,
  };
}

/** DISPATCH as it was written. */
function describeTarget(target: Config['dispatch']['target']): string {
  switch (target.kind) {
    case 'local':
      return 'local';
    case 'lambda':
      return `lambda:${target.functionName}`;
    case 'sqs':
      return `sqs:${target.queueUrl}`;
    case 'fc':
      return `fc:${target.service ? `${target.service}/` : ''}${target.functionName}`;
  }
}
