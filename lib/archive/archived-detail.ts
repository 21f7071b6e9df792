import * as z from 'zod';
import { canonicalTaskId } from '../call-detail/identity';
import type { CallDetail } from '../call-detail/schema';
import { redactUrl } from '../log';
import type { ObjectStore } from '../storage/object-store';

export const DETAIL_SCHEMA_VERSION = 1;

export interface StoredRecording {
  key: string;
  bytes: number;
  sha256: string;
  contentType: string;
  /** The URL without its query: the signature is a credential. */
  source: string;
  /** The store's own identity of the stored bytes (ETag; size and mtime on file://). */
  storeTag: string;
}

/** `detail.json`: written last, the commit marker of an archived call. */
export interface ArchivedDetail {
  schemaVersion: number;
  call: CallDetail;
  recording: StoredRecording | null;
  upstreamRequestId: string | null;
  archivedAt: string;
}

/** What the "already archived" check relies on; anything else is not a marker. */
const MarkerSchema = z.object({
  schemaVersion: z.number(),
  call: z.object({ taskId: z.string(), callId: z.string(), callee: z.string() }),
  recording: z
    .object({
      key: z.string(),
      bytes: z.number().int().nonnegative(),
      sha256: z.string(),
      // Absent from markers written before it existed: those count on their size alone.
      storeTag: z.string().optional(),
    })
    .nullable(),
});

/** The call a job names: a marker counts only when it names the same one. */
export interface CallIdentity {
  taskId: string;
  callee: string;
  callId: string;
}

/**
 * Whether `detailKey` holds a marker of this very call (taskId, callId, callee) whose
 * recording answers one HEAD with the recorded size and `storeTag`: the recording is never
 * read to decide (`vms-call-archive verify` re-reads and re-hashes on demand). An
 * unreadable or foreign marker means "not archived": the job archives again and overwrites it.
 */
export async function isArchived(
  store: ObjectStore,
  detailKey: string,
  call: CallIdentity,
): Promise<boolean> {
  const bytes = await store.get(detailKey);
  if (!bytes) return false;
  let marker: z.output<typeof MarkerSchema>;
  try {
    marker = MarkerSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch {
    return false;
  }
  const same =
    canonicalTaskId(marker.call.taskId) === canonicalTaskId(call.taskId) &&
    marker.call.callId === call.callId &&
    marker.call.callee === call.callee;
  if (!same) return false;
  if (marker.recording === null) return true;
  const stored = await store.head(marker.recording.key);
  if (stored?.size !== marker.recording.bytes) return false;
  return marker.recording.storeTag === undefined || stored.storeTag === marker.recording.storeTag;
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
