import type { ArchiveDeps } from '../../archive/archive-call';
import { archiveJobOrPark } from '../../archive/archive-job';
import { type Config, requireArchiveUrl } from '../../config';
import { storeJournal } from '../../dispatch/job-journal';
import { openDispatcher } from '../../dispatch/open-dispatcher';
import type { DyvmsClient, DyvmsClientDeps, DyvmsOptions } from '../../dyvms/client';
import type { CallEndedJob } from '../../model/call-ended-job';
import type { Dispatcher } from '../../model/dispatcher';
import { park } from '../../parking/park';
import type { ObjectStore } from '../../storage/object-store';
import { openStore } from '../../storage/open-store';
import { useNotifier } from '../alerts';

/**
 * What more than one composition root builds the same way (lib/platform/wiring.ts and the
 * CLI's in wiring/cli.ts): the Dyvmsapi client, the archive's store, archiveCall's
 * collaborators, the notifier and the dispatcher DISPATCH names.
 */

/**
 * The Dyvmsapi client, loaded when first built: openapi-client and the credentials chain
 * are the heaviest modules to start, and a push receiver that dispatches to the cloud
 * never calls Dyvmsapi.
 */
export function createDyvmsClient(options: DyvmsOptions, deps?: DyvmsClientDeps): DyvmsClient {
  return (require('../../dyvms/client') as typeof import('../../dyvms/client')).createDyvmsClient(
    options,
    deps,
  );
}

export function archiveStore(config: Config, open = openStore): ObjectStore {
  return open(requireArchiveUrl(config), {
    ...config.archive,
    alibabaCredentials: config.dyvms.credentials,
  });
}

export function archiveDeps(config: Config, store: ObjectStore): ArchiveDeps {
  return {
    dyvms: createDyvmsClient(config.dyvms),
    store,
    recordingHosts: config.recording.hosts,
    recording: config.recording,
    lifecycle: config.lifecycle,
  };
}

/**
 * Notifications go through ALERT_WEBHOOK_URL when it is set, their state kept in `store`
 * (lib/platform/alerts.ts): the functions that park or reconcile name it here.
 */
export function notifyThrough(config: Config, store: ObjectStore): void {
  const { webhook, everyMinutes } = config.alerts;
  useNotifier(webhook ? { store, webhook, everyMinutes } : undefined);
}

/**
 * The dispatcher DISPATCH names. With `local` (the sandbox) the archive runs in this same
 * process, retried and then parked, and accepted jobs are journaled under `_pending/`
 * until each is done.
 */
export function dispatcherFor(
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
