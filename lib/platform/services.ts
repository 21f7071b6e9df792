import { archiveDepsFrom, archiveJobOrPark } from '../archive/archive-job';
import type { CallEndedJob } from '../archive/call-ended-job';
import { park } from '../archive/park';
import { type Config, requireArchiveUrl } from '../config';
import type { Dispatcher } from '../dispatch/dispatcher';
import { storeJournal } from '../dispatch/job-journal';
import { openDispatcher } from '../dispatch/open-dispatcher';
import { openStore } from '../storage/open-store';

/**
 * The collaborators of the reports function, built once per process. With DISPATCH=local
 * the archive runs in this same process (the sandbox), retried and then parked, and the
 * accepted jobs are journaled under `_pending/` until each is done.
 */
export function reportsServices(config: Readonly<Config>): {
  dispatcher: Dispatcher;
  store: ReturnType<typeof openStore>;
} {
  const store = openStore(requireArchiveUrl(config), config);
  const dispatcher = openDispatcher(config, () => {
    const deps = archiveDepsFrom(config, store);
    return {
      run: async (job: CallEndedJob) => archiveJobOrPark(job, deps),
      park: (job: CallEndedJob, reason: string) => park(store, 'job', job, reason),
      journal: storeJournal(store),
    };
  });
  return { dispatcher, store };
}
