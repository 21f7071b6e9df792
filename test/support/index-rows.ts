import { bufferOf, partMetadata } from '../../lib/call-index/parquet';
import { DAY_PARTS_METADATA_KEY, type IndexRow } from '../../lib/layout/index-rows';
import type { ObjectStore } from '../../lib/storage/object-store';

/** An index row of call `n` of task `taskId` on 2019-06-14, overridable field by field. */
export function indexRow(
  n: number,
  overrides: Partial<IndexRow> = {},
  taskId = '1045001',
): IndexRow {
  const started = Date.parse('2019-06-14T01:00:00Z') + n * 60_000;
  const callId = `${116950320000 + n}^${103750100000 + n}`;
  return {
    task_id: taskId,
    call_id: callId,
    callee: `1380000${String(n).padStart(4, '0')}`,
    caller: '0571-88996676',
    started_at: new Date(started).toISOString(),
    ended_at: new Date(started + 32_000).toISOString(),
    archived_at: new Date(started + 90_000).toISOString(),
    duration_seconds: 32,
    dialog_count: 2,
    recall_count: n % 2 === 0 ? null : 1,
    call_result: '已接通',
    hangup_by: 'user',
    transfer_status: 'not_transferred',
    labels: n % 3 === 0 ? [] : ['邀约', '有房'],
    dialog_text: 'robot: 您好\nuser: 我要投诉',
    recording_key:
      n % 4 === 0 ? null : `${taskId}/2019-06-14/${callId.replace('^', '_')}/recording.wav`,
    recording_sha256: n % 4 === 0 ? null : 'ab'.repeat(32),
    recording_content_type: n % 4 === 0 ? null : 'audio/wav',
    recording_bytes: n % 4 === 0 ? null : 3_000_000_000 + n,
    detail_key: `${taskId}/2019-06-14/${callId.replace('^', '_')}/detail.json`,
    ...overrides,
  };
}

/** The part list a stored part's footer names (`DAY_PARTS_METADATA_KEY`), or null. */
export async function dayPartsOf(store: ObjectStore, part: string): Promise<unknown> {
  const bytes = await store.get(part);
  if (!bytes) throw new Error(`no ${part}`);
  const metadata = await partMetadata(bufferOf(new Uint8Array(bytes)));
  const kv = metadata.key_value_metadata?.find((e) => e.key === DAY_PARTS_METADATA_KEY);
  return JSON.parse(kv?.value ?? 'null');
}
