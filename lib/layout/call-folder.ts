import * as z from 'zod';
import {
  CALL_DAY,
  CALL_ID,
  callIdMessage,
  canonicalTaskId,
  TASK_ID,
} from '../call-detail/identity';
import { CallDetailSchema } from '../call-detail/schema';
import { InvalidKeyError } from './errors';

// A call's folder: `{taskId}/{YYYY-MM-DD}/{callId with ^ as _}/` holding `detail.json` and
// `recording.{ext}` (docs/design.md "The archive"). The page (web/src) imports this file's
// types with `import type`: keep it free of Node-only imports.

export interface CallFolderKeys {
  dir: string;
  detail: string;
  recording(extension: string): string;
}

/** A call id's folder segment: `^` becomes `_` (the upstream joins two numbers with `^`). */
export const callSegmentOf = (callId: string): string => callId.replaceAll('^', '_');

const EXTENSION = /^[a-z0-9]{1,5}$/;

/**
 * The keys of one call's folder. Every segment is checked (digits, a day, `[0-9A-Za-z_-]`),
 * so nothing the upstream sends can climb out of the archive prefix; the task id is
 * written canonically (`01045001` and `1045001` are one task).
 */
export function archiveKeys(taskId: string, date: string, callId: string): CallFolderKeys {
  if (!TASK_ID.test(taskId))
    throw new InvalidKeyError(`taskId ${JSON.stringify(taskId)} is not digits`);
  if (!CALL_DAY.test(date))
    throw new InvalidKeyError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  // `_` is refused too: `7^8` is stored as `7_8`, which `7_8` itself would overwrite.
  if (!CALL_ID.test(callId)) throw new InvalidKeyError(callIdMessage(callId));
  const segment = callSegmentOf(callId);
  const dir = `${canonicalTaskId(taskId)}/${date}/${segment}`;
  return {
    dir,
    detail: `${dir}/detail.json`,
    recording: (extension) => {
      if (!EXTENSION.test(extension))
        throw new InvalidKeyError(
          `recording extension ${JSON.stringify(extension)} is not [a-z0-9]{1,5}`,
        );
      return `${dir}/recording.${extension}`;
    },
  };
}

/** `{date}/{callId with ^ as _}`: how a listing of `{taskId}/` names a call. */
export const listedCallOf = (date: string, callId: string): string =>
  `${date}/${callSegmentOf(callId)}`;

/** A key inside a call folder, read back into its parts. */
export interface CallFolderKey {
  taskId: string;
  date: string;
  /** `{callId with ^ as _}`. */
  segment: string;
  /** `detail` for `detail.json`, else the recording's extension. */
  file: { kind: 'detail' } | { kind: 'recording'; extension: string };
}

const FOLDER_KEY =
  /^(\d{1,20})\/(\d{4}-\d{2}-\d{2})\/([0-9A-Za-z_-]{1,128})\/(?:(detail\.json)|recording\.([a-z0-9]{1,5}))$/;

/**
 * The parts of a key in a call folder, or undefined for any other key: every `_` prefix,
 * `index/`, and anything whose segments a call folder could not have.
 */
export function parseCallFolderKey(key: string): CallFolderKey | undefined {
  const match = FOLDER_KEY.exec(key);
  if (!match) return undefined;
  const [, taskId = '', date = '', segment = '', detail, extension = ''] = match;
  return {
    taskId,
    date,
    segment,
    file: detail ? { kind: 'detail' } : { kind: 'recording', extension },
  };
}

/** The prefix a listing of a task's calls (of one day, when `date` is given) reads. */
export function callListingPrefix(taskId: string, date?: string): string {
  if (!TASK_ID.test(taskId))
    throw new InvalidKeyError(`taskId ${JSON.stringify(taskId)} is not digits`);
  if (date !== undefined && !CALL_DAY.test(date))
    throw new InvalidKeyError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  return `${canonicalTaskId(taskId)}/${date === undefined ? '' : `${date}/`}`;
}

/** The `detail.json` of a call as a listing names it (`{date}/{segment}`, see listedCallOf). */
export const listedDetailKey = (taskId: string, listed: string): string =>
  `${callListingPrefix(taskId)}${listed}/detail.json`;

/**
 * The calls of a task (of one day, when `date` is given) with a `detail.json`, as
 * `listedCallOf` names them, each with whether a recording is stored beside it: one listing
 * of `{taskId}/` or `{taskId}/{date}/` (S3 ListObjectsV2 pages, a readdir walk), never a
 * request per call.
 */
export async function listedCalls(
  store: { list(prefix: string): Promise<string[]> },
  taskId: string,
  date?: string,
): Promise<Map<string, { recording: boolean }>> {
  const keys = await store.list(callListingPrefix(taskId, date));
  const recorded = new Set<string>();
  const archived = new Map<string, { recording: boolean }>();
  for (const key of keys) {
    const parts = parseCallFolderKey(key);
    if (!parts) continue;
    const call = `${parts.date}/${parts.segment}`;
    if (parts.file.kind === 'detail') archived.set(call, { recording: false });
    else recorded.add(call);
  }
  for (const [call, entry] of archived) entry.recording = recorded.has(call);
  return archived;
}

export const DETAIL_SCHEMA_VERSION = 1;

export const StoredRecordingSchema = z.object({
  key: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentType: z.string(),
  /** The URL without its query: the signature is a credential. */
  source: z.string(),
  /**
   * The store's own identity of the stored bytes (ETag; size and mtime on file://).
   * Absent from markers written before it existed: those count on their size alone.
   */
  storeTag: z.string().optional(),
});

/** `detail.json`: written last, the commit marker of an archived call. */
export const ArchivedDetailSchema = z.object({
  schemaVersion: z.number().int().positive(),
  call: CallDetailSchema,
  recording: StoredRecordingSchema.nullable(),
  upstreamRequestId: z.string().nullable(),
  archivedAt: z.string(),
});

/**
 * What the "already archived" check relies on, out of the same schema: a marker counts
 * when it names the call and its recording, whatever else a newer or older writer put in it.
 * Loose, so a marker re-tagged in place (a new storeTag) keeps every other field.
 */
export const DetailMarkerSchema = ArchivedDetailSchema.pick({ schemaVersion: true })
  .extend({
    call: CallDetailSchema.pick({ taskId: true, callId: true, callee: true }).loose(),
    recording: StoredRecordingSchema.pick({ key: true, bytes: true, sha256: true, storeTag: true })
      .loose()
      .nullable(),
  })
  .loose();

export type StoredRecording = z.infer<typeof StoredRecordingSchema>;
export type ArchivedDetail = z.infer<typeof ArchivedDetailSchema>;
export type DetailMarker = z.infer<typeof DetailMarkerSchema>;
