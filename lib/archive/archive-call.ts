import { queryDateOf } from '../call-detail/identity';
import type { DyvmsClient } from '../dyvms/client';
import { lookupCall } from '../dyvms/lookup-call';
import { CallNotReadyError } from '../errors';
import {
  type ArchivedDetail,
  archiveKeys,
  type CallFolderKeys,
  DETAIL_SCHEMA_VERSION,
  type DetailMarker,
  parseCallFolderKey,
  type StoredRecording,
} from '../layout/call-folder';
import { ensurePendingRow, writePendingRow } from '../layout/index-row-of';
import { log, maskPhone } from '../log';
import { recordMetric } from '../metrics';
import type { CallEndedJob } from '../model/call-ended-job';
import { checkMarker, withoutSignatures } from './archived-detail';
import { type DownloadDeps, downloadRecording, recordingSource } from './download-recording';
import { type ErasureGuardOptions, type Refusal, refusalOf, undoIfErased } from './erasure-guard';
import { SupersededCallError } from './errors';

export type { ArchivedDetail, StoredRecording } from '../layout/call-folder';

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
 * Kept in one piece: the order of its checks is the contract, and reads best top to bottom.
 */
export async function archiveCall(job: CallEndedJob, deps: ArchiveDeps): Promise<ArchiveOutcome> {
  const started = (deps.now ?? Date.now)();
  const markerOf = (callId: string) => {
    const keys = archiveKeys(job.taskId, job.date, callId);
    return checkMarker(deps.store, keys.detail, { ...job, callId });
  };
  // An erased call, a suppressed number or a day past retention: nothing is archived.
  const refused = await refusalOf(job, job.callId, deps);
  if (refused) return refused;
  // A job that names its call can be found done without asking the upstream anything.
  const named = job.callId ? await markerOf(job.callId) : undefined;
  if (named?.archived) return alreadyArchived(job, job.callId as string, named.marker, deps.store);

  const query = { ...job, queryDate: queryDateOf(job.date) };
  const source = recordingSource(
    await lookupCall(query, deps.dyvms),
    () => lookupCall(query, deps.dyvms),
    deps,
  );
  const { detail } = source.current;
  // The detail API names only the callee's latest call of the day: an earlier call's job
  // would otherwise write the later call's folder and report success.
  if (job.callId && detail.callId !== job.callId) throw new SupersededCallError(detail.callId);
  const keys = archiveKeys(job.taskId, job.date, detail.callId);
  if (detail.callId !== job.callId) {
    const erased = await refusalOf(job, detail.callId, { ...deps, lifecycle: {} });
    if (erased) return erased;
  }
  const marker = named ?? (await markerOf(detail.callId));
  if (marker.archived) return alreadyArchived(job, detail.callId, marker.marker, deps.store);
  if (detail.recording.status === 'pending') {
    // Right after a call ends recordStatus may not be set: not "no recording".
    throw new CallNotReadyError(
      'the call detail has no recordStatus yet',
      source.current.upstreamRequestId,
    );
  }

  const hasRecording = detail.recording.url !== null && detail.recording.status !== 'none';
  if (!hasRecording && marker.recordingStored) {
    // The upstream forgets recordings (recordFile lives 48 h): what is stored stays.
    log('warn', 'no recording upstream any more; the stored one is kept', { dir: keys.dir });
    return { status: 'already-archived', detailKey: keys.detail };
  }
  const recording = hasRecording ? await downloadRecording(source, keys, deps) : null;
  const { outcome, indexRow } = await commit(keys, source.current, recording, deps, {
    job,
    started,
  });
  const written = recording ? [recording.key, indexRow] : [indexRow];
  return (await undoIfErased(keys, job, detail.callId, deps, written)) ?? outcome;
}

/** Done before: only its index row is written again (from the marker read) if a crash left it out. */
async function alreadyArchived(
  job: CallEndedJob,
  callId: string,
  marker: DetailMarker,
  store: ArchiveDeps['store'],
): Promise<ArchiveOutcome> {
  const detailKey = archiveKeys(job.taskId, job.date, callId).detail;
  await ensurePendingRow(store, job.date, detailKey, marker);
  log('info', 'already archived', { detailKey });
  return { status: 'already-archived', detailKey };
}

/** Writes `detail.json`, the commit marker, last of all. */
async function commit(
  keys: CallFolderKeys,
  { detail, upstreamRequestId }: { detail: ArchivedDetail['call']; upstreamRequestId?: string },
  recording: StoredRecording | null,
  deps: Pick<ArchiveDeps, 'store' | 'now'>,
  { job, started }: { job: CallEndedJob; started: number },
): Promise<{ outcome: ArchiveOutcome; indexRow: string }> {
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
  if (recording) await removeStaleRecordings(deps.store, keys, recording);
  // The call's index row, right after its marker; a crash in between is mended by the
  // already-archived path (docs/design.md "The call index").
  const indexRow = await writePendingRow(deps.store, job.date, archived, keys.detail);
  reportArchived(archived, keys, job, ((deps.now ?? Date.now)() - started) / 1000);
  const outcome: ArchiveOutcome = recording
    ? { status: 'archived', detailKey: keys.detail, recording }
    : { status: 'no-recording', detailKey: keys.detail };
  return { outcome, indexRow };
}

/**
 * A recording whose extension changed since an earlier run must not stay beside the new
 * one; removed only once the marker names its replacement, and never for none.
 */
async function removeStaleRecordings(
  store: ArchiveDeps['store'],
  keys: CallFolderKeys,
  recording: StoredRecording,
): Promise<void> {
  const stale = (await store.list(`${keys.dir}/`)).filter(
    (key) => parseCallFolderKey(key)?.file.kind === 'recording' && key !== recording.key,
  );
  for (const key of stale) await store.delete(key);
}

/** The archive's metrics and its one log line for a committed call. */
function reportArchived(
  archived: ArchivedDetail,
  keys: CallFolderKeys,
  job: CallEndedJob,
  seconds: number,
): void {
  const { call: detail, recording } = archived;
  recordMetric('Archived', 1);
  if (recording) recordMetric('ArchivedBytes', recording.bytes);
  if (detail.endedAt)
    recordMetric(
      'CallEndToArchiveSeconds',
      (Date.parse(archived.archivedAt) - Date.parse(detail.endedAt)) / 1000,
    );
  log('info', recording ? 'archived' : 'archived without recording', {
    event: 'call-archived',
    taskId: job.taskId,
    callee: maskPhone(job.callee),
    date: job.date,
    detailKey: keys.detail,
    bytes: recording?.bytes,
    seconds,
  });
}
