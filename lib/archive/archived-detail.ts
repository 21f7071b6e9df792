import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { canonicalTaskId } from '../call-detail/identity';
import type { CallDetail } from '../call-detail/schema';
import { type DetailMarker, DetailMarkerSchema } from '../layout/call-folder';
import { parseDocument } from '../layout/document';
import { redactUrl } from '../log';
import type { ObjectStore } from '../storage/object-store';

/** The call a job names: a marker counts only when it names the same one. */
export interface CallIdentity {
  taskId: string;
  callee: string;
  callId: string;
}

interface MarkerCheckFields {
  /**
   * The marker of this call names a recording that is still in the store (perhaps
   * changed): a later archive may replace it with another, never with none.
   */
  recordingStored: boolean;
}

export type MarkerCheck =
  | (MarkerCheckFields & {
      /** The marker names this call and its recording is the one it recorded: nothing to do. */
      archived: true;
      /** The stored `detail.json` as read (re-tagged), so the caller need not read it again. */
      marker: DetailMarker;
    })
  | (MarkerCheckFields & { archived: false });

async function readMarker(store: ObjectStore, key: string, call: CallIdentity) {
  const bytes = await store.get(key);
  if (!bytes) return undefined;
  let marker: DetailMarker;
  try {
    marker = parseDocument(DetailMarkerSchema, key, bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const same =
    canonicalTaskId(marker.call.taskId) === canonicalTaskId(call.taskId) &&
    marker.call.callId === call.callId &&
    marker.call.callee === call.callee;
  return same ? marker : undefined;
}

async function sha256Of(store: ObjectStore, key: string): Promise<string | undefined> {
  const body = await store.openRead(key);
  if (!body) return undefined;
  const hash = createHash('sha256');
  await pipeline(body, hash);
  return hash.digest('hex');
}

/**
 * Whether `detailKey` holds a marker of this very call (taskId, callId, callee) whose
 * recording answers one HEAD with the recorded size and `storeTag`. A `storeTag` that
 * differs (an archive copied or restored elsewhere: new mtimes, new ETags) is settled by
 * re-hashing the stored bytes against the recorded `sha256`, and the marker then takes the
 * new tag, so the next check is one HEAD again. An unreadable or foreign marker means "not
 * archived": the job archives again and overwrites it.
 */
export async function checkMarker(
  store: ObjectStore,
  detailKey: string,
  call: CallIdentity,
): Promise<MarkerCheck> {
  const marker = await readMarker(store, detailKey, call);
  if (!marker) return { archived: false, recordingStored: false };
  const recording = marker.recording;
  if (recording === null) return { archived: true, recordingStored: false, marker };
  const stored = await store.head(recording.key);
  if (!stored) return { archived: false, recordingStored: false };
  if (stored.size !== recording.bytes) return { archived: false, recordingStored: true };
  if (recording.storeTag === undefined || stored.storeTag === recording.storeTag)
    return { archived: true, recordingStored: true, marker };
  if ((await sha256Of(store, recording.key)) !== recording.sha256)
    return { archived: false, recordingStored: true };
  const retagged = { ...marker, recording: { ...recording, storeTag: stored.storeTag } };
  await store.put(detailKey, `${JSON.stringify(retagged, null, 2)}\n`, {
    contentType: 'application/json; charset=utf-8',
  });
  return { archived: true, recordingStored: true, marker: retagged };
}

/** `checkMarker`'s verdict alone: the call is archived and nothing need be done. */
export async function isArchived(
  store: ObjectStore,
  detailKey: string,
  call: CallIdentity,
): Promise<boolean> {
  return (await checkMarker(store, detailKey, call)).archived;
}

/**
 * The call detail as it may be kept: a signed URL is a credential that lives for days, so
 * `recording.url` and `raw.recordFile` lose their query (the signature).
 */
export function withoutSignatures(detail: CallDetail): CallDetail {
  const recordFile = detail.raw.recordFile;
  return {
    ...detail,
    recording: {
      ...detail.recording,
      url: detail.recording.url === null ? null : redactUrl(detail.recording.url),
    },
    raw: {
      ...detail.raw,
      ...(typeof recordFile === 'string' ? { recordFile: redactUrl(recordFile) } : {}),
    },
  };
}
