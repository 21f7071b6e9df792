import type { Config } from '../config';
import { createDyvmsClient } from '../dyvms/client';
import { VmsArchiveError } from '../errors';
import { errorFields, log } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { type ArchiveDeps, type ArchiveOutcome, archiveCall } from './archive-call';
import { InvalidJobError, parseCallEndedJob } from './call-ended-job';
import { park } from './park';

export function archiveDepsFrom(config: Readonly<Config>, store: ObjectStore): ArchiveDeps {
  return {
    dyvms: createDyvmsClient(config),
    store,
    recordingHosts: config.recordingHosts,
    recording: config.recording,
  };
}

export type JobOutcome = ArchiveOutcome | { status: 'parked'; key: string; reason: string };

/** An SQS body or an async payload as a job; unreadable JSON is an InvalidJobError. */
export function readJobPayload(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidJobError('invalid CallEnded job: the message body is not JSON');
  }
}

/**
 * Archives one job. A failure that no retry can mend (an invalid job, a refused recording
 * host) is parked in `_rejected/` at once; a retryable one is thrown so the platform
 * retries it and, when its retries run out, dead-letters it.
 */
export async function archiveJobOrPark(payload: unknown, deps: ArchiveDeps): Promise<JobOutcome> {
  try {
    return await archiveCall(parseCallEndedJob(payload), deps);
  } catch (error: unknown) {
    if (error instanceof VmsArchiveError && !error.retryable) {
      const reason = `${error.code}: ${error.message}`;
      const key = await park(deps.store, 'job', payload, reason);
      log('warn', 'job parked', { key, reason });
      return { status: 'parked', key, reason };
    }
    log('error', 'archive attempt failed', errorFields(error));
    throw error;
  }
}
