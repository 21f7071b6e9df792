import { queryDateOf } from '../call-detail/identity';
import type { DyvmsClient } from '../dyvms/client';
import { CallNotReadyError } from '../errors';
import { log, maskPhone } from '../log';
import { lookupCall } from '../lookup/lookup-call';
import { type ArchiveKeys, archiveKeys } from './archive-keys';
import {
  type ArchivedDetail,
  DETAIL_SCHEMA_VERSION,
  isArchived,
  type StoredRecording,
  withoutSignatures,
} from './archived-detail';
import type { CallEndedJob } from './call-ended-job';
import { type DownloadDeps, downloadRecording, recordingSource } from './download-recording';
import { type ErasureGuardOptions, type Refusal, refusalOf, undoIfErased } from './erasure-guard';

export type { ArchivedDetail, StoredRecording } from './archived-detail';

export interface ArchiveDeps extends DownloadDeps {
  dyvms: DyvmsClient;
  /** Tombstones, suppressed numbers and retention: what the archive must not bring back. */
  lifecycle?: ErasureGuardOptions;
}

export type ArchiveOutcome =
  | Refusal
  | { status: 'already-archived'; detailKey: string }
  | { status: 'archived'; detailKey: string; recording: StoredRecording }
  | { status: 'no-recording'; detailKey: string };

/**
 * Archives one ended call (docs/design.md "The archive"): idempotent, streaming, verified,
 * `detail.json` last. Reads as check → look up → download → commit. Throws on failure;
 * `retryable` on the error says whether the platform should try the job again or park it.
 */
export async function archiveCall(job: CallEndedJob, deps: ArchiveDeps): Promise<ArchiveOutcome> {
  const started = (deps.now ?? Date.now)();
  const archivedAt = async (callId: string) => {
    const keys = archiveKeys(job.taskId, job.date, callId);
    if (!(await isArchived(deps.store, keys.detail, { ...job, callId }))) return undefined;
    log('info', 'already archived', { detailKey: keys.detail });
    return { status: 'already-archived', detailKey: keys.detail } as const;
  };
  // An erased call, a suppressed number or a day past retention: nothing is archived.
  const refused = await refusalOf(job, job.callId, deps);
  if (refused) return refused;
  // A job that names its call can be found done without asking the upstream anything.
  const named = job.callId ? await archivedAt(job.callId) : undefined;
  if (named) return named;

  const query = { ...job, queryDate: queryDateOf(job.date) };
  const source = recordingSource(
    await lookupCall(query, deps.dyvms),
    () => lookupCall(query, deps.dyvms),
    deps,
  );
  const { detail } = source.current;
  const keys = archiveKeys(job.taskId, job.date, detail.callId);
  if (detail.callId !== job.callId) {
    const erased = await refusalOf(job, detail.callId, { ...deps, lifecycle: {} });
    if (erased) return erased;
    const found = await archivedAt(detail.callId);
    if (found) return found;
  }
  if (detail.recording.status === 'pending') {
    // Right after a call ends recordStatus may not be set: not "no recording".
    throw new CallNotReadyError(
      'the call detail has no recordStatus yet',
      source.current.upstreamRequestId,
    );
  }

  const hasRecording = detail.recording.url !== null && detail.recording.status !== 'none';
  const recording = hasRecording ? await downloadRecording(source, keys, deps) : null;
  const outcome = await commit(keys, source.current, recording, deps, { job, started });
  const written = recording ? [recording.key] : [];
  return (await undoIfErased(keys, job, detail.callId, deps, written)) ?? outcome;
}

/** Writes `detail.json`, the commit marker, last of all. */
async function commit(
  keys: ArchiveKeys,
  { detail, upstreamRequestId }: { detail: ArchivedDetail['call']; upstreamRequestId?: string },
  recording: StoredRecording | null,
  deps: Pick<ArchiveDeps, 'store' | 'now'>,
  { job, started }: { job: CallEndedJob; started: number },
): Promise<ArchiveOutcome> {
  // A recording whose extension changed since an earlier run must not stay beside the new one.
  const stale = (await deps.store.list(`${keys.dir}/`)).filter(
    (key) => /\/recording\.[^/]+$/.test(key) && key !== recording?.key,
  );
  for (const key of stale) await deps.store.delete(key);
  const archived: ArchivedDetail = {
    schemaVersion: DETAIL_SCHEMA_VERSION,
    call: withoutSignatures(detail),
    recording,
    upstreamRequestId: upstreamRequestId ?? null,
    archivedAt: new Date((deps.now ?? Date.now)()).toISOString(),
  };
  await deps.store.put(keys.detail, `${JSON.stringify(archived, null, 2)}\n`, {
    contentType: 'application/json; charset=utf-8',
  });
  log('info', recording ? 'archived' : 'archived without recording', {
    taskId: job.taskId,
    callee: maskPhone(job.callee),
    date: job.date,
    detailKey: keys.detail,
    bytes: recording?.bytes,
    seconds: ((deps.now ?? Date.now)() - started) / 1000,
  });
  return recording
    ? { status: 'archived', detailKey: keys.detail, recording }
    : { status: 'no-recording', detailKey: keys.detail };
}
