import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { MiddlewareObj } from '@middy/core';
import { sendWebhook } from '../alerts/webhook';
import type { ArchiveDeps } from '../archive/archive-call';
import { archiveJobOrPark } from '../archive/archive-job';
import { webAssets } from '../browse/assets';
import type { BrowseDeps } from '../browse/browse-routes';
import {
  type Config,
  loadConfig,
  loadConfigWith,
  requireApiKeys,
  requireArchiveUrl,
  requireHashSecret,
  requireReportsToken,
  requireSessionSecret,
} from '../config';
import { storeJournal } from '../dispatch/job-journal';
import { LocalDispatcher } from '../dispatch/local-dispatcher';
import { openDispatcher } from '../dispatch/open-dispatcher';
import type { DyvmsClient, DyvmsClientDeps, DyvmsOptions } from '../dyvms/client';
import { pingDyvms } from '../dyvms/ping';
import { accessAudit } from '../layout/access-audit';
import { setLogLevel } from '../log';
import type { DoctorDeps } from '../maintenance/doctor';
import type { CallEndedJob } from '../model/call-ended-job';
import type { Dispatcher } from '../model/dispatcher';
import { park } from '../parking/park';
import type { ReconcileDeps } from '../reconcile/reconcile';
import type { ObjectStore } from '../storage/object-store';
import { openStore, openStoreOnFirstUse } from '../storage/open-store';
import { useNotifier } from './alerts';
import { type ContextWithSecrets, runtimeVariables, secretsMiddleware } from './secrets';

/**
 * Each function's composition root, side by side: what it builds from the configuration,
 * and nothing more. Domain code in lib/ receives these collaborators; only this module
 * creates clients, stores and dispatchers.
 */

/**
 * The Dyvmsapi client, loaded when first built: openapi-client and the credentials chain
 * are the heaviest modules to start, and a push receiver that dispatches to the cloud
 * never calls Dyvmsapi.
 */
function createDyvmsClient(options: DyvmsOptions, deps?: DyvmsClientDeps): DyvmsClient {
  return (require('../dyvms/client') as typeof import('../dyvms/client')).createDyvmsClient(
    options,
    deps,
  );
}

function archiveStore(config: Config, open = openStore): ObjectStore {
  return open(requireArchiveUrl(config), {
    ...config.archive,
    alibabaCredentials: config.dyvms.credentials,
  });
}

function archiveDeps(config: Config, store: ObjectStore): ArchiveDeps {
  return {
    dyvms: createDyvmsClient(config.dyvms),
    store,
    recordingHosts: config.recording.hosts,
    recording: config.recording,
    lifecycle: config.lifecycle,
  };
}

/** lookup: the accepted keys and a Dyvmsapi client. */
export function lookupServices(config: Config): {
  apiKeys: readonly string[];
  dyvms: DyvmsClient;
} {
  return { apiKeys: requireApiKeys(config), dyvms: createDyvmsClient(config.dyvms) };
}

/**
 * Notifications go through ALERT_WEBHOOK_URL when it is set, their state kept in `store`
 * (lib/platform/alerts.ts): the functions that park or reconcile name it here.
 */
function notifyThrough(config: Config, store: ObjectStore): void {
  const { webhook, everyMinutes } = config.alerts;
  useNotifier(webhook ? { store, webhook, everyMinutes } : undefined);
}

/** archive: everything archiveCall needs. */
export function archiveServices(config: Config): ArchiveDeps {
  const store = archiveStore(config);
  notifyThrough(config, store);
  return archiveDeps(config, store);
}

/** park: the archive, to move what the platform gave up on into `_rejected/`. */
export function parkServices(config: Config): { store: ObjectStore } {
  const store = archiveStore(config);
  notifyThrough(config, store);
  return { store };
}

/** browse: the archive (read only), who may sign in, and the page's files. */
export function browseServices(config: Config): BrowseDeps {
  const store = archiveStore(config);
  return {
    store,
    apiKeys: requireApiKeys(config),
    keyNames: config.http.namedKeys,
    seeNumbers: config.http.seeNumbers,
    exporters: config.http.exporters,
    hashSecret: config.lifecycle.hashSecret,
    sessionSecret: requireSessionSecret(config),
    asset: webAssets(),
    openAudit: (context) => accessAudit(store, context),
  };
}

/** reports: the token, the store (for parked records) and the dispatcher. */
export function reportsServices(config: Config): {
  reportsToken: string;
  store: ObjectStore;
  dispatcher: Dispatcher;
} {
  // Opened when a record is parked: most pushes never touch the archive.
  const store = archiveStore(config, openStoreOnFirstUse);
  notifyThrough(config, store);
  return {
    reportsToken: requireReportsToken(config),
    store,
    dispatcher: dispatcherFor(config, store, { resumesJournal: true }),
  };
}

/**
 * The dispatcher DISPATCH names. With `local` (the sandbox) the archive runs in this same
 * process, retried and then parked, and accepted jobs are journaled under `_pending/`
 * until each is done.
 */
function dispatcherFor(
  config: Config,
  store: ObjectStore,
  options: { resumesJournal: boolean },
): Dispatcher {
  // Written out here so esbuild folds it (lib/platform/build-target.d.ts).
  const inProcess =
    typeof __VMS_IN_PROCESS_ARCHIVE__ === 'undefined' || Boolean(__VMS_IN_PROCESS_ARCHIVE__);
  return openDispatcher(config.dispatch.target, {
    alibabaCredentials: config.dyvms.credentials,
    localRunner: inProcess
      ? () => {
          const deps = archiveDeps(config, store);
          const journal = storeJournal(store);
          return {
            run: async (job: CallEndedJob) => archiveJobOrPark(job, deps),
            park: (job: CallEndedJob, reason: string) => park(store, 'job', job, reason),
            // One reader of the leftovers per sandbox (the push receiver's), so no entry is
            // taken up twice at once.
            journal: options.resumesJournal ? journal : { ...journal, unfinished: async () => [] },
            retryDelaysMs: config.dispatch.localRetryDelaysMs,
          };
        }
      : undefined,
  });
}

/** index-compact: the archive's store, nothing else (no upstream, no secrets). */
export function indexServices(config: Config): { store: ObjectStore } {
  return { store: archiveStore(config) };
}

/**
 * retention: the archive, AUDIT_HASH_SECRET (holds by callee match through it) and
 * RETENTION_DAYS; no upstream, no other secret. Its audit rows name it `retention`. With
 * RETENTION_DAYS unset (keep forever) nothing is built: the sweep has nothing to do.
 */
export function retentionServices(config: Config) {
  return config.lifecycle.retentionDays === undefined
    ? undefined
    : lifecycleServices(config, 'retention');
}

/** reconcile: the upstream's lists, the archive, and the same dispatch a push uses. */
export function reconcileServices(config: Config): Omit<ReconcileDeps, 'deadline'> {
  const store = archiveStore(config);
  notifyThrough(config, store);
  return {
    dyvms: createDyvmsClient(config.dyvms),
    store,
    dispatcher: dispatcherFor(config, store, { resumesJournal: false }),
    lookbackHours: config.reconcile.lookbackHours,
    pageSize: config.dyvms.pageSize,
    hashSecret: config.lifecycle.hashSecret,
  };
}

/**
 * The CLI: each command builds only what it uses, when it uses it (`lookup` needs no
 * archive, `backfill` a dispatcher only with --dispatch).
 */
export function cliServices(config: Config) {
  return {
    pageSize: config.dyvms.pageSize,
    lookbackHours: config.reconcile.lookbackHours,
    /** With DISPATCH=local the CLI archives here and waits, like backfill. */
    reconcile: () => {
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
    },
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
          require('../dispatch/probe-target') as typeof import('../dispatch/probe-target')
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

/**
 * What erase, hold, release, retention and audit act with: the archive, AUDIT_HASH_SECRET
 * (required: numbers kept for matching are kept only as its HMAC), RETENTION_DAYS, and the
 * access rows of this one run, under the name of whoever runs the CLI.
 */
export function lifecycleServices(config: Config, who = `cli:${cliUser()}`) {
  const store = archiveStore(config);
  return {
    store,
    hashSecret: requireHashSecret(config),
    retentionDays: config.lifecycle.retentionDays,
    who,
    audit: accessAudit(store, { requestId: randomUUID(), ip: null }),
  };
}

/** The account running the CLI, as the audit's `who` names it (`cli:alice`). */
function cliUser(): string {
  try {
    return (
      userInfo()
        .username.toLowerCase()
        .replace(/[^a-z0-9_.-]/g, '_') || 'unknown'
    );
  } catch {
    return 'unknown';
  }
}

export interface FunctionServices<T> {
  /** Fetches the secrets from SSM when SECRETS_SSM_PATH is set (first in the chain). */
  readonly secrets: MiddlewareObj;
  /** The collaborators for this invocation, built once (again only if FC's keys rotated). */
  for(context?: ContextWithSecrets): T;
  /** What has been built so far, if anything (tests and graceful shutdown). */
  built(): T | undefined;
}

export type LookupServices = ReturnType<typeof lookupServices>;
export type ReportsServices = ReturnType<typeof reportsServices>;
export type ReconcileServices = ReturnType<typeof reconcileServices>;

/**
 * A function's collaborators, built once per process from the validated configuration
 * (`env` when given, as tests do; the process's environment otherwise). The configuration
 * is read and the SSM read started as the module loads, so a malformed variable stops the
 * cold start; the collaborators are built on the first invocation, once the secrets are in,
 * so a missing one fails that invocation with its name. On FC they are rebuilt when the
 * role's rotating credentials change.
 */
export function functionServices<T>(
  build: (config: Config) => T,
  env?: NodeJS.ProcessEnv,
): FunctionServices<T> {
  const base = loadConfig(env);
  setLogLevel(base.log.level);
  let current: { key: string; services: T } | undefined;
  return {
    secrets: secretsMiddleware(base.platform.secrets),
    for(context) {
      const key =
        context?.alibabaCredentials?.securityToken ??
        context?.alibabaCredentials?.accessKeyId ??
        '';
      if (!current || current.key !== key) {
        const variables = runtimeVariables(context);
        const config = Object.keys(variables).length > 0 ? loadConfigWith(variables, env) : base;
        current = { key, services: build(config) };
      }
      return current.services;
    },
    built: () => current?.services,
  };
}
