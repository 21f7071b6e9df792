import { CALL_DAY, canonicalTaskId, TASK_ID } from '../call-detail/identity';
import { InvalidJobError } from './call-ended-job';

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
  const callSegment = callId.replaceAll('^', '_');
  if (!TASK_ID.test(taskId))
    throw new InvalidJobError(`taskId ${JSON.stringify(taskId)} is not digits`);
  if (!CALL_DAY.test(date))
    throw new InvalidJobError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  if (!/^[0-9A-Za-z_-]{1,128}$/.test(callSegment)) {
    throw new InvalidJobError(
      `callId ${JSON.stringify(callId)} has characters outside [0-9A-Za-z_^-]`,
    );
  }
  const dir = `${canonicalTaskId(taskId)}/${date}/${callSegment}`;
  return {
    dir,
    detail: `${dir}/detail.json`,
    recording: (extension) => `${dir}/recording.${extension}`,
  };
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
