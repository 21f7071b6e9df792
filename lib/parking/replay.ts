import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ArchiveDeps } from '../archive/archive-call';
import { archiveJobOrPark, readJobPayload } from '../archive/archive-job';
import type { Failure, Progress } from '../backfill/backfill';
import { forEachLimited } from '../common/for-each-limited';
import { reasonOf } from '../errors';
import { toCallEndedJob } from '../reports/voice-report';
import type { ParkedItem } from './park';

export interface ReplaySummary {
  found: number;
  archived: number;
  /** Records that still cannot become a job (left in place). */
  unreplayable: number;
  failed: Failure[];
}

/** A parked job, or a parked push record that is now good (e.g. after a fix); else undefined. */
function jobOf(item: ParkedItem): unknown {
  if (item.kind === 'job') return item.job;
  const verdict = toCallEndedJob((item.record ?? {}) as Record<string, unknown>);
  return 'job' in verdict ? verdict.job : undefined;
}

/**
 * Feeds `_rejected/` back through the archive, removing each item only after its call is
 * archived (or was already). A job that fails again stays, with its new reason.
 */
export async function replayRejected(deps: {
  archive: ArchiveDeps;
  progress: Progress;
  concurrency: number;
}): Promise<ReplaySummary> {
  const { store } = deps.archive;
  const keys = (await store.list('_rejected/')).filter((key) => key.endsWith('.json'));
  const summary: ReplaySummary = { found: keys.length, archived: 0, unreplayable: 0, failed: [] };
  deps.progress.start(keys.length);
  await forEachLimited(keys, deps.concurrency, async (key) => {
    try {
      const item = JSON.parse(String(await store.get(key))) as ParkedItem;
      const job = jobOf(item);
      if (job === undefined) {
        summary.unreplayable++;
        return;
      }
      const outcome = await archiveJobOrPark(job, deps.archive);
      if (outcome.status === 'parked') {
        summary.failed.push({ callId: key, callee: '', reason: outcome.reason });
        if (outcome.key !== key) await store.delete(key);
        return;
      }
      summary.archived++;
      await store.delete(key);
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
        const payload = readJobPayload(message.Body ?? '') as { requestPayload?: unknown };
        const outcome = await archiveJobOrPark(payload.requestPayload ?? payload, deps.archive);
        if (outcome.status === 'parked')
          summary.failed.push({
            callId: message.MessageId ?? '',
            callee: '',
            reason: outcome.reason,
          });
        else summary.archived++;
        // Archived, or parked in _rejected/ with its reason: either way it is kept, not lost.
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
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
