import type { CallDetail } from '../call-detail/schema';
import type { ObjectStore } from '../storage/object-store';

export const DETAIL_SCHEMA_VERSION = 1;

export interface StoredRecording {
  key: string;
  bytes: number;
  sha256: string;
  contentType: string;
  /** The URL without its query: the signature is a credential. */
  source: string;
}

/** `detail.json`: written last, the commit marker of an archived call. */
export interface ArchivedDetail {
  schemaVersion: number;
  call: CallDetail;
  recording: StoredRecording | null;
  upstreamRequestId: string | null;
  archivedAt: string;
}

/** A `detail.json` whose recording is present with the same size and SHA-256. */
export async function isArchived(store: ObjectStore, detailKey: string): Promise<boolean> {
  const bytes = await store.get(detailKey);
  if (!bytes) return false;
  let detail: ArchivedDetail;
  try {
    detail = JSON.parse(bytes.toString('utf8')) as ArchivedDetail;
  } catch {
    return false; // unreadable marker: archive again and overwrite it
  }
  if (detail.recording === null) return true;
  const stored = await store.head(detail.recording.key);
  return stored?.size === detail.recording.bytes && stored.sha256 === detail.recording.sha256;
}
