import {
  CALL_DAY,
  CALL_ID,
  callIdMessage,
  canonicalTaskId,
  TASK_ID,
} from '../call-detail/identity';
import { InvalidJobError } from '../model/call-ended-job';

export interface ArchiveKeys {
  dir: string;
  detail: string;
  recording(extension: string): string;
}

/**
 * `{taskId}/{YYYY-MM-DD}/{callId with ^ as _}/…` (docs/design.md "The archive"). Every segment
 * is checked, so nothing the upstream sends can climb out of the archive prefix.
 */
export function archiveKeys(taskId: string, date: string, callId: string): ArchiveKeys {
  if (!TASK_ID.test(taskId))
    throw new InvalidJobError(`taskId ${JSON.stringify(taskId)} is not digits`);
  if (!CALL_DAY.test(date))
    throw new InvalidJobError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  // `_` is refused too: `7^8` is stored as `7_8`, which `7_8` itself would overwrite.
  if (!CALL_ID.test(callId)) throw new InvalidJobError(callIdMessage(callId));
  const callSegment = callId.replaceAll('^', '_');
  const dir = `${canonicalTaskId(taskId)}/${date}/${callSegment}`;
  return {
    dir,
    detail: `${dir}/detail.json`,
    recording: (extension) => `${dir}/recording.${extension}`,
  };
}

/**
 * A parked superseded job's id in `_rejected/{date}/`: `superseded-{taskId}-{callId with ^
 * as _}`, named by the call, so parking it again overwrites it and reconcile tells it by
 * its name in one listing of the day, reading nothing.
 */
export function supersededId(taskId: string, date: string, callId: string): string {
  const [task, , segment] = archiveKeys(taskId, date, callId).dir.split('/');
  return `superseded-${task}-${segment}`;
}

/** The calls of `date` parked as superseded, as `{taskId}/{date}/{callId with ^ as _}`. */
export async function supersededCalls(
  store: { list(prefix: string): Promise<string[]> },
  date: string,
): Promise<Set<string>> {
  const calls = new Set<string>();
  for (const key of await store.list(`_rejected/${date}/`)) {
    const match = /\/superseded-(\d+)-([0-9A-Za-z_-]+)\.json$/.exec(key);
    if (match) calls.add(`${match[1]}/${date}/${match[2]}`);
  }
  return calls;
}

/** `{date}/{callId with ^ as _}`: how a listing of `{taskId}/` names a call. */
export const listedCallOf = (date: string, callId: string): string =>
  `${date}/${callId.replaceAll('^', '_')}`;

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
  const keys = await store.list(`${canonicalTaskId(taskId)}/${date ? `${date}/` : ''}`);
  const recorded = new Set<string>();
  const archived = new Map<string, { recording: boolean }>();
  for (const key of keys) {
    const match =
      /^\d+\/(\d{4}-\d{2}-\d{2}\/[0-9A-Za-z_-]+)\/(detail\.json|recording\.[^/]+)$/.exec(key);
    if (!match?.[1]) continue;
    if (match[2] === 'detail.json') archived.set(match[1], { recording: false });
    else recorded.add(match[1]);
  }
  for (const [call, entry] of archived) entry.recording = recorded.has(call);
  return archived;
}
