import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import * as z from 'zod';
import type { ArchiveDeps } from '../archive/archive-call';
import { archiveJobOrPark, readJobPayload } from '../archive/archive-job';
import { forEachLimited } from '../common/for-each-limited';
import { reasonOf } from '../errors';
import { parseDocument } from '../layout/document';
import { isPendingKey, JournalEntrySchema } from '../layout/journal';
import {
  isRejectedKey,
  type ParkedItem,
  ParkedItemSchema,
  type RejectedRecord,
} from '../layout/parked';
import { PREFIXES } from '../layout/prefixes';
import type { Failure, Progress } from '../model/progress';
import { toCallEndedJob } from '../model/voice-report';
import { clearAttemptNote } from '../parking/attempts';

const LambdaFailureRecordSchema = z.object({
  requestPayload: z.unknown().refine((v) => v !== undefined),
});

export interface ReplaySummary {
  found: number;
  archived: number;
  /** Records that still cannot become a job (left in place). */
  unreplayable: number;
  failed: Failure[];
}

type Entry = Partial<RejectedRecord>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A parked record as a job, when it can now become one (e.g. after a fix); else undefined. */
function recordJob(record: unknown): unknown {
  if (!isObject(record)) return undefined;
  const verdict = toCallEndedJob(record);
  return 'job' in verdict ? verdict.job : undefined;
}

/**
 * What one object under `_rejected/` or `_pending/` holds to replay: jobs, and records
 * that may now become jobs. `_pending/` entries are the local dispatcher's journal: what
 * a sandbox that never started again left behind.
 */
function contentsOf(
  key: string,
  text: string,
): {
  item?: ParkedItem;
  jobs: unknown[];
  records: Entry[];
} {
  if (key.startsWith(PREFIXES.pending))
    return { jobs: parseDocument(JournalEntrySchema, key, text).jobs, records: [] };
  const item = parseDocument(ParkedItemSchema, key, text);
  if (item.kind === 'job') return { item, jobs: [item.job], records: [] };
  if (item.kind === 'records') return { item, jobs: [], records: item.records ?? [] };
  return { item, jobs: [], records: [{ record: item.record, reason: item.reason }] };
}

/**
 * Feeds `_rejected/` (and leftover `_pending/` journal entries) back through the archive,
 * removing each object only once all it holds is archived (or was already). A job that
 * fails again is parked again with its new reason; records that still cannot become jobs
 * stay where they are.
 */
export async function replayRejected(deps: {
  archive: ArchiveDeps;
  progress: Progress;
  concurrency: number;
}): Promise<ReplaySummary> {
  const { store } = deps.archive;
  const keys = [
    ...(await store.list(PREFIXES.rejected)).filter(isRejectedKey),
    ...(await store.list(PREFIXES.pending)).filter(isPendingKey),
  ];
  const summary: ReplaySummary = { found: 0, archived: 0, unreplayable: 0, failed: [] };
  deps.progress.start(keys.length);
  await forEachLimited(keys, deps.concurrency, async (key) => {
    try {
      await replayObject(key, deps.archive, summary);
    } catch (error: unknown) {
      summary.failed.push({ callId: key, callee: '', reason: reasonOf(error) });
    } finally {
      deps.progress.tick();
    }
  });
  deps.progress.stop();
  return summary;
}

/**
 * One parked (or pending) object's jobs archived again; the object is removed once nothing
 * in it is left, or rewritten with the records that still cannot become jobs.
 */
async function replayObject(
  key: string,
  archive: ArchiveDeps,
  summary: ReplaySummary,
): Promise<void> {
  const { store } = archive;
  const { item, jobs, records } = contentsOf(key, String(await store.get(key)));
  const left: Entry[] = [];
  for (const entry of records) {
    const job = recordJob(entry.record);
    if (job === undefined) left.push(entry);
    else jobs.push(job);
  }
  summary.found += jobs.length + left.length;
  summary.unreplayable += left.length;
  let keep = left.length > 0;
  for (const job of jobs) {
    const outcome = await archiveJobOrPark(job, archive);
    if (outcome.status !== 'parked') summary.archived++;
    else {
      summary.failed.push({ callId: key, callee: '', reason: outcome.reason });
      keep ||= outcome.key === key;
    }
  }
  if (!keep) await store.delete(key);
  else if (item?.kind === 'records' && left.length < records.length)
    await store.put(key, `${JSON.stringify({ ...item, records: left }, null, 2)}\n`, {
      contentType: 'application/json; charset=utf-8',
    });
}

/**
 * Drains an SQS dead-letter queue: a message is deleted only after its job archived. Lambda's
 * on-failure destination wraps the job as `requestPayload`; a redrive DLQ holds it bare.
 */
export async function replayDlq(
  queueUrl: string,
  deps: { archive: ArchiveDeps; progress: Progress; sqs?: SQSClient },
): Promise<ReplaySummary> {
  const sqs = deps.sqs ?? new SQSClient({});
  const summary: ReplaySummary = { found: 0, archived: 0, unreplayable: 0, failed: [] };
  deps.progress.start(0);
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    if (messages.length === 0) break;
    summary.found += messages.length;
    for (const message of messages) {
      try {
        await replayMessage(message, { queueUrl, sqs, archive: deps.archive }, summary);
      } catch (error: unknown) {
        summary.failed.push({
          callId: message.MessageId ?? '',
          callee: '',
          reason: reasonOf(error),
        });
      } finally {
        deps.progress.tick();
      }
    }
  }
  deps.progress.stop();
  return summary;
}

/** One dead-lettered message archived (or parked), then deleted from its queue. */
async function replayMessage(
  message: Message,
  queue: { queueUrl: string; sqs: SQSClient; archive: ArchiveDeps },
  summary: ReplaySummary,
): Promise<void> {
  const payload = readJobPayload(message.Body ?? '');
  // A Lambda on-failure record wraps the job in requestPayload; an SQS body is the job.
  const wrapped = LambdaFailureRecordSchema.safeParse(payload);
  const job = wrapped.success ? wrapped.data.requestPayload : payload;
  const outcome = await archiveJobOrPark(job, queue.archive);
  if (outcome.status === 'parked')
    summary.failed.push({
      callId: message.MessageId ?? '',
      callee: '',
      reason: outcome.reason,
    });
  else summary.archived++;
  // A redriven job's note of its last failed delivery is done with (park's would be).
  if (!wrapped.success) await clearAttemptNote(queue.archive.store, message.Body ?? '');
  // Archived, or parked in _rejected/ with its reason: either way it is kept, not lost.
  await queue.sqs.send(
    new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: message.ReceiptHandle }),
  );
}
