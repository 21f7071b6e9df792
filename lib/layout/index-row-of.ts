import { canonicalTaskId } from '../call-detail/identity';
import { log } from '../log';
import type { ObjectStore } from '../storage/object-store';
import {
  type DetailForIndex,
  DetailForIndexSchema,
  type IndexRow,
  pendingRowKey,
} from './index-rows';

/** `2019-06-14T15:22:23+08:00` → `2019-06-14T07:22:23.000Z`: one instant, one spelling. */
const instantOf = (value: string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** Every turn as `role: content`, one per line (what a words-said search matches). */
export const dialogTextOf = (dialog: DetailForIndex['call']['dialog']): string =>
  dialog.map((turn) => `${turn.role}: ${turn.content}`).join('\n');

/**
 * The call's index row (docs/design.md "The call index", "Columns"), derived from its
 * `detail.json` alone, so `index rebuild` writes the very row the commit wrote.
 */
export function indexRowOf(detail: DetailForIndex, detailKey: string): IndexRow {
  const { call, recording } = detail;
  return {
    task_id: canonicalTaskId(call.taskId),
    call_id: call.callId,
    callee: call.callee,
    caller: call.caller,
    started_at: instantOf(call.startedAt),
    ended_at: instantOf(call.endedAt),
    archived_at: new Date(detail.archivedAt).toISOString(),
    duration_seconds: call.durationSeconds,
    dialog_count: call.dialogCount,
    recall_count: call.recallCount,
    call_result: call.callResult,
    hangup_by: call.hangupBy,
    transfer_status: call.transfer.status,
    labels: [...call.labels],
    dialog_text: dialogTextOf(call.dialog),
    recording_key: recording?.key ?? null,
    recording_sha256: recording?.sha256 ?? null,
    recording_content_type: recording?.contentType ?? null,
    recording_bytes: recording?.bytes ?? null,
    detail_key: detailKey,
  };
}

/**
 * Writes the call's pending row (docs/design.md "The call index", "Rows"): at commit, right
 * after `detail.json`. Each commit has its own key, so nothing is overwritten.
 */
export async function writePendingRow(
  store: ObjectStore,
  date: string,
  detail: DetailForIndex,
  detailKey: string,
): Promise<string> {
  const row = indexRowOf(detail, detailKey);
  const key = pendingRowKey(date, row);
  await store.put(key, `${JSON.stringify(row)}\n`, {
    contentType: 'application/json; charset=utf-8',
  });
  return key;
}

/**
 * The already-archived path: writes the pending row of the stored `detail.json` (`stored`,
 * as the marker check read it: one read, not two) when it is missing (a crash between the
 * marker and the row). A row already compacted is written once more; compaction finds it
 * equal to the part's and only deletes it.
 */
export async function ensurePendingRow(
  store: ObjectStore,
  date: string,
  detailKey: string,
  stored: unknown,
): Promise<void> {
  const parsed = DetailForIndexSchema.safeParse(stored);
  if (!parsed.success) {
    log('warn', 'detail.json gives no index row; index rebuild derives it', { detailKey });
    return;
  }
  const key = pendingRowKey(date, indexRowOf(parsed.data, detailKey));
  if (await store.head(key)) return;
  await writePendingRow(store, date, parsed.data, detailKey);
}
