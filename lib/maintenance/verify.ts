import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { forEachLimited } from '../common/for-each-limited';
import { reasonOf } from '../errors';
import { ArchivedDetailSchema, callListingPrefix, parseCallFolderKey } from '../layout/call-folder';
import { readDocument } from '../layout/document';
import type { Progress } from '../model/progress';
import { type ObjectStore, STALE_TEMP_MS } from '../storage/object-store';

export interface VerifySummary {
  checked: number;
  verified: number;
  withoutRecording: number;
  mismatches: { detailKey: string; reason: string }[];
  /** Temp files of writes that never finished (file://), removed before the check. */
  staleTemps: number;
}

/**
 * The deep check the archive's duplicate check does not do: every recording under the
 * prefix read back and hashed, and compared with the bytes and SHA-256 its `detail.json`
 * recorded. Names each mismatch.
 */
export async function verifyArchive(
  store: ObjectStore,
  options: { taskId?: string; date?: string; concurrency: number },
  progress: Progress,
): Promise<VerifySummary> {
  const prefix = options.taskId ? callListingPrefix(options.taskId) : '';
  const staleTemps = (await store.sweepTemps?.(prefix, STALE_TEMP_MS)) ?? 0;
  const details = (await store.list(prefix)).filter((key) => {
    const parts = parseCallFolderKey(key);
    return (
      parts?.file.kind === 'detail' && (options.date === undefined || parts.date === options.date)
    );
  });
  const summary: VerifySummary = {
    checked: 0,
    verified: 0,
    withoutRecording: 0,
    mismatches: [],
    staleTemps,
  };
  progress.start(details.length);
  await forEachLimited(details, options.concurrency, async (detailKey) => {
    try {
      summary.checked++;
      const found = await checkDetail(store, detailKey);
      if (found === 'verified') summary.verified++;
      else if (found === 'without-recording') summary.withoutRecording++;
      else summary.mismatches.push({ detailKey, reason: found.mismatch });
    } catch (error: unknown) {
      summary.mismatches.push({ detailKey, reason: reasonOf(error) });
    } finally {
      progress.tick();
    }
  });
  progress.stop();
  summary.mismatches.sort((a, b) => a.detailKey.localeCompare(b.detailKey));
  return summary;
}

/** One `detail.json` against its recording's stored bytes: verified, or what differs. */
async function checkDetail(
  store: ObjectStore,
  detailKey: string,
): Promise<'verified' | 'without-recording' | { mismatch: string }> {
  const detail = await readDocument(store, ArchivedDetailSchema, detailKey);
  if (detail === undefined) return { mismatch: 'gone while verifying' };
  if (detail.recording === null) return 'without-recording';
  const body = await store.openRead(detail.recording.key);
  if (!body) return { mismatch: `${detail.recording.key} is missing` };
  const hash = createHash('sha256');
  let bytes = 0;
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  await pipeline(body, hash);
  const sha256 = hash.digest('hex');
  if (bytes !== detail.recording.bytes)
    return { mismatch: `${bytes} bytes stored, ${detail.recording.bytes} recorded` };
  if (sha256 !== detail.recording.sha256)
    return { mismatch: `SHA-256 ${sha256} stored, ${detail.recording.sha256} recorded` };
  return 'verified';
}
