import * as z from 'zod';
import { CallDetailSchema } from '../call-detail/schema';

/**
 * The call index's part of the archive layout (docs/design.md "The call index"): every key
 * under `index/` and the schema of every document stored there. `index/` has no leading
 * `_`, since Athena and Hive skip such paths, and `index/calls/` holds the table's files
 * and nothing else.
 */
export const INDEX_PREFIX = 'index/';
export const PENDING_PREFIX = 'index/pending/';
export const PARTS_PREFIX = 'index/calls/';
export const STATE_PREFIX = 'index/state/';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOf = (date: string) => {
  if (!DAY.test(date)) throw new RangeError(`not a day: ${JSON.stringify(date)}`);
  return `date=${date}`;
};

/** `index/pending/date={D}/`: the rows written at commit and not compacted yet. */
export const pendingDayPrefix = (date: string): string => `${PENDING_PREFIX}${dayOf(date)}/`;

/** `index/calls/date={D}/`: the day's Parquet parts (Hive partition `date`). */
export const partsDayPrefix = (date: string): string => `${PARTS_PREFIX}${dayOf(date)}/`;

/**
 * `index/pending/date={D}/{taskId}_{callId with ^ as _}_{archivedAtMs}.json`: one object per
 * commit, so a re-archive writes a new one and never overwrites a row a compactor may be reading.
 */
export function pendingRowKey(
  date: string,
  row: { task_id: string; call_id: string; archived_at: string },
): string {
  const archivedAtMs = Date.parse(row.archived_at);
  if (!Number.isFinite(archivedAtMs)) throw new RangeError(`bad archived_at ${row.archived_at}`);
  return `${pendingDayPrefix(date)}${row.task_id}_${row.call_id.replaceAll('^', '_')}_${archivedAtMs}.json`;
}

/** `part-{yyyyMMddHHmmss}-{run}-{n}.parquet`: a new name per write, never rewritten in place. */
export function partKey(date: string, at: number, run: string, n: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  if (!/^[0-9a-z]{1,32}$/.test(run)) throw new RangeError(`bad run id ${run}`);
  return `${partsDayPrefix(date)}part-${stamp}-${run}-${String(n).padStart(3, '0')}.parquet`;
}

/**
 * A part's Parquet key-value metadata under this key: a JSON array of the file names
 * (`part-….parquet`) of every part its day holds once the run that wrote it is done, its
 * own included. The writer vouches that those parts hold each call at most once between
 * them, so a reader whose listing of the day is within one such list need not dedupe the
 * parts (docs/design.md "Where things live", the `calls` view). Parts need not carry it.
 */
export const DAY_PARTS_METADATA_KEY = 'vms_call_archive.day_parts';

/** The file name of a part key (what `DAY_PARTS_METADATA_KEY` lists). */
export const partFileName = (key: string): string => key.slice(key.lastIndexOf('/') + 1);

const PENDING_KEY =
  /^index\/pending\/date=(\d{4}-\d{2}-\d{2})\/(\d+)_([0-9A-Za-z_-]+)_(\d+)\.json$/;
const PART_KEY = /^index\/calls\/date=(\d{4}-\d{2}-\d{2})\/(part-[0-9a-z-]+\.parquet)$/;
const DAY_FOLDER = /^date=(\d{4}-\d{2}-\d{2})$/;

/** The day and call a pending key names; undefined for anything else (a stray file). */
export function parsePendingKey(
  key: string,
): { date: string; taskId: string; callSegment: string; archivedAtMs: number } | undefined {
  const m = PENDING_KEY.exec(key);
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return undefined;
  return { date: m[1], taskId: m[2], callSegment: m[3], archivedAtMs: Number(m[4]) };
}

/** The day of a part key; undefined for anything else. */
export function parsePartKey(key: string): { date: string } | undefined {
  const m = PART_KEY.exec(key);
  return m?.[1] ? { date: m[1] } : undefined;
}

/** The day a `date=YYYY-MM-DD` folder names; undefined for anything else. */
export const dayOfFolder = (folder: string): string | undefined => DAY_FOLDER.exec(folder)?.[1];

/** `index/state/date={D}/compaction.json`: the lease of the day's one compactor. */
export const compactionLeaseKey = (date: string): string =>
  `${STATE_PREFIX}${dayOf(date)}/compaction.json`;

export const CompactionLeaseSchema = z.object({
  owner: z.string().min(1),
  acquiredAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type CompactionLease = z.infer<typeof CompactionLeaseSchema>;

/**
 * `index/state/last-compaction.json`: how the latest scheduled compaction run ended, written
 * at its end (`doctor` reports it beside the index's lag). Overwritten by every run.
 */
export const LAST_COMPACTION_KEY = `${STATE_PREFIX}last-compaction.json`;

export const LastCompactionSchema = z.object({
  finishedAt: z.iso.datetime(),
  ok: z.boolean(),
  /** The days it compacted (or tried to). */
  days: z.array(z.string()),
  pendingFolded: z.number().int().nonnegative(),
  /** Why it failed, when it did. */
  error: z.string().optional(),
});
export type LastCompaction = z.infer<typeof LastCompactionSchema>;

const instant = z.iso.datetime();
const int32 = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1);

/**
 * One index row, as a pending object holds it and as the reader hands it out: the columns of
 * docs/design.md's table by name (snake_case), timestamps as ISO-8601 instants in UTC. The
 * Parquet types of each column are in `INDEX_COLUMNS`. Unknown keys are dropped, so a row
 * written by a later version with more columns still reads.
 */
export const IndexRowSchema = z.object({
  task_id: z.string().regex(/^\d+$/),
  call_id: z.string().min(1),
  callee: z.string().nullable(),
  caller: z.string().nullable(),
  started_at: instant.nullable(),
  ended_at: instant.nullable(),
  archived_at: instant,
  duration_seconds: int32.nullable(),
  dialog_count: int32.nullable(),
  recall_count: int32.nullable(),
  call_result: z.string().nullable(),
  hangup_by: z.string().nullable(),
  transfer_status: z.string().nullable(),
  labels: z.array(z.string()),
  dialog_text: z.string().nullable(),
  recording_key: z.string().nullable(),
  recording_sha256: z.string().nullable(),
  recording_content_type: z.string().nullable(),
  recording_bytes: z.number().int().nonnegative().nullable(),
  detail_key: z.string().min(1),
});
export type IndexRow = z.infer<typeof IndexRowSchema>;
export type IndexColumn = keyof IndexRow;

/**
 * The column contract (docs/design.md "The call index"): the Parquet files, the Glue table,
 * the MaxCompute DDL and DuckDB's `calls` view are all written against it. Columns may be
 * added at the end; none may change.
 */
export const INDEX_COLUMNS: readonly {
  name: IndexColumn;
  type: 'string' | 'timestamp' | 'int32' | 'int64' | 'list<string>';
  nullable: boolean;
}[] = [
  { name: 'task_id', type: 'string', nullable: false },
  { name: 'call_id', type: 'string', nullable: false },
  { name: 'callee', type: 'string', nullable: true },
  { name: 'caller', type: 'string', nullable: true },
  { name: 'started_at', type: 'timestamp', nullable: true },
  { name: 'ended_at', type: 'timestamp', nullable: true },
  { name: 'archived_at', type: 'timestamp', nullable: false },
  { name: 'duration_seconds', type: 'int32', nullable: true },
  { name: 'dialog_count', type: 'int32', nullable: true },
  { name: 'recall_count', type: 'int32', nullable: true },
  { name: 'call_result', type: 'string', nullable: true },
  { name: 'hangup_by', type: 'string', nullable: true },
  { name: 'transfer_status', type: 'string', nullable: true },
  { name: 'labels', type: 'list<string>', nullable: true },
  { name: 'dialog_text', type: 'string', nullable: true },
  { name: 'recording_key', type: 'string', nullable: true },
  { name: 'recording_sha256', type: 'string', nullable: true },
  { name: 'recording_content_type', type: 'string', nullable: true },
  { name: 'recording_bytes', type: 'int64', nullable: true },
  { name: 'detail_key', type: 'string', nullable: false },
];

/**
 * What the index reads of a `detail.json` (docs/design.md "The archive"): the call, its
 * stored recording and when it was archived. Other fields are not the index's business.
 */
export const DetailForIndexSchema = z.object({
  call: CallDetailSchema,
  recording: z
    .object({
      key: z.string(),
      bytes: z.number().int().nonnegative(),
      sha256: z.string(),
      contentType: z.string(),
    })
    .nullable(),
  archivedAt: instant,
});
export type DetailForIndex = z.infer<typeof DetailForIndexSchema>;

const DETAIL_KEY = /^(\d+)\/(\d{4}-\d{2}-\d{2})\/([0-9A-Za-z_-]+)\/detail\.json$/;

/**
 * The task and day of an archived call's `detail.json` key (`{taskId}/{date}/{call}/detail.json`,
 * docs/design.md "The archive"), what `index rebuild` and `index check` walk; undefined otherwise.
 */
export function parseDetailKey(key: string): { taskId: string; date: string } | undefined {
  const m = DETAIL_KEY.exec(key);
  return m?.[1] && m[2] ? { taskId: m[1], date: m[2] } : undefined;
}
