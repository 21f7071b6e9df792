import type { ArchiveDeps } from '../archive/archive-call';
import { webAssets } from '../browse/assets';
import type { BrowseDeps } from '../browse/browse-routes';
import { type Config, requireApiKeys, requireReportsToken, requireSessionSecret } from '../config';
import type { DyvmsClient } from '../dyvms/client';
import { accessAudit } from '../layout/access-audit';
import type { Dispatcher } from '../model/dispatcher';
import type { ReconcileDeps } from '../reconcile/reconcile';
import type { ObjectStore } from '../storage/object-store';
import { openStoreOnFirstUse } from '../storage/open-store';
import {
  archiveDeps,
  archiveStore,
  createDyvmsClient,
  dispatcherFor,
  notifyThrough,
} from './wiring/collaborators';
import { lifecycleServices } from './wiring/lifecycle';

/**
 * Each function's composition root, side by side: what it builds from the configuration,
 * and nothing more. Domain code in lib/ receives these collaborators; only this module and
 * wiring/ create clients, stores and dispatchers: wiring/collaborators.ts builds what more
 * than one root shares, wiring/function-services.ts builds a function's roots once per
 * process, wiring/cli.ts holds the CLI's roots (doctor's among them) and
 * wiring/lifecycle.ts erase's, hold's and retention's.
 */

export { type FunctionServices, functionServices } from './wiring/function-services';
export { lifecycleServices };

/** lookup: the accepted keys and a Dyvmsapi client. */
export function lookupServices(config: Config): {
  apiKeys: readonly string[];
  dyvms: DyvmsClient;
} {
  return { apiKeys: requireApiKeys(config), dyvms: createDyvmsClient(config.dyvms) };
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

export type LookupServices = ReturnType<typeof lookupServices>;
export type ReportsServices = ReturnType<typeof reportsServices>;
export type ReconcileServices = ReturnType<typeof reconcileServices>;
