import { SQSClient } from '@aws-sdk/client-sqs';
import type { Handler, SQSEvent } from 'aws-lambda';
import { SqsEmulator } from '../../emulators/sqs/server';
import { createHandler as archiveHandler } from '../../functions/archive/handler';
import { createHandler as parkHandler } from '../../functions/park/handler';
import type { ArchiveDeps } from '../../lib/archive/archive-call';
import { sqsDispatcher } from '../../lib/dispatch/sqs-dispatcher';
import { replayDlq, replayRejected } from '../../lib/maintenance/replay';
import type { ParkedItem } from '../../lib/parking/park';
import { archiveServices, parkServices } from '../../lib/platform/wiring';
import { lambdaContext } from '../events';
import { drainHandlers, handlerWith } from '../support/handlers';
import { type Harness, RECORDED_CALL, startHarness } from '../support/harness';
import { logsInto, stopLogs } from '../support/logs';
import { pollOnce } from '../support/sqs-event-source';

const silent = { start: () => undefined, tick: () => undefined, stop: () => undefined };

let h: Harness;
let sqs: SqsEmulator;
let client: SQSClient;
let logs: string[];
/** The metric log records so far, by name (and `Reason` where it has one). */
const metrics = () =>
  logs
    .filter((l) => l.includes('"message":"metric"'))
    .map((l) => JSON.parse(l) as { metric: string; value: number; Reason?: string })
    .map((m) => `${m.metric}${m.Reason ? `[${m.Reason}]` : ''}`);

beforeEach(async () => {
  // One download per delivery: a refused download fails the delivery at once.
  h = await startHarness({ env: { RECORDING_DOWNLOAD_ATTEMPTS: '1' } });
  // As serverless.yml has it: three receives of the jobs queue, then its dead-letter queue.
  sqs = new SqsEmulator([
    { name: 'jobs', redrive: { deadLetterQueue: 'dlq', maxReceiveCount: 3 } },
    { name: 'dlq' },
  ]);
  await sqs.start();
  client = new SQSClient({
    endpoint: sqs.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
  });
  logs = [];
  logsInto(logs);
});
afterEach(async () => {
  await drainHandlers();
  jest.restoreAllMocks();
  stopLogs();
  client.destroy();
  await sqs.stop();
  await h.stop();
});

type SqsHandler = Handler<SQSEvent, unknown>;
const loadArchive = (): SqsHandler => handlerWith(archiveHandler, archiveServices, h.env);
const loadPark = (): SqsHandler => handlerWith(parkHandler, parkServices, h.env);
const queue = (name: string) => ({ url: sqs.queueUrl(name), arn: sqs.queueArn(name) });

/** The archive's notes of failed deliveries left in the store, with what they say. */
async function attemptNotes(): Promise<{ key: string; text: string }[]> {
  const keys = await h.store.list('_attempts/');
  return Promise.all(keys.map(async (key) => ({ key, text: String(await h.store.get(key)) })));
}

/** Delivers the jobs queue until SQS has moved what keeps failing to the DLQ. */
async function deliverUntilEmpty(archive: SqsHandler): Promise<number> {
  let deliveries = 0;
  while (sqs.depth('jobs') > 0)
    deliveries += await pollOnce(client, queue('jobs'), archive, 'archive');
  return deliveries;
}

async function parkedItems(): Promise<ParkedItem[]> {
  const keys = await h.store.list('_rejected/');
  return Promise.all(keys.map(async (k) => JSON.parse(String(await h.store.get(k))) as ParkedItem));
}

describe('a job the AWS path gives up on', () => {
  it("given a job that fails every delivery, when SQS redrives it, then the park function keeps it in _rejected/{call date}/ with the archive's error and its attempts, no note is left, and replay archives it", async () => {
    // Prepare: the upstream answers "no Data yet" three times, then the call as it is.
    h.dyvms.injectFaults({ kind: 'not-ready' }, { kind: 'not-ready' }, { kind: 'not-ready' });
    await sqsDispatcher(queue('jobs').url, client).dispatch([RECORDED_CALL]);
    const archive = loadArchive();
    const park = loadPark();

    // Act: the event source mapping delivers the job until SQS moves it to the DLQ.
    const deliveries = await deliverUntilEmpty(archive);
    const notesBeforePark = await attemptNotes();
    const parkedFromDlq = await pollOnce(client, queue('dlq'), park, 'park');

    // Assess
    expect(deliveries).toBe(3);
    expect(parkedFromDlq).toBe(1);
    expect(sqs.depth('dlq')).toBe(0);
    expect(notesBeforePark).toEqual([
      {
        key: expect.stringMatching(/^_attempts\/2019-06-14\/[0-9a-f]{64}\/note\.json$/),
        text: expect.stringContaining('"attempt": 3'),
      },
    ]);
    const keys = await h.store.list('_rejected/');
    expect(keys).toEqual([expect.stringMatching(/^_rejected\/2019-06-14\/[0-9a-f]{32}\.json$/)]);
    expect(await parkedItems()).toEqual([
      expect.objectContaining({
        kind: 'job',
        job: RECORDED_CALL,
        attempts: 3,
        reason:
          'after 3 attempts: CallNotFound: The Voice Service has no detail for this call (yet): if the call just ended, retry in a minute',
      }),
    ]);
    expect(await attemptNotes()).toEqual([]);

    expect(metrics()).toEqual([
      'ArchiveErrors',
      'ArchiveErrors',
      'ArchiveErrors',
      'Parked',
      'ParkedByReason[DeadLettered]',
    ]);
    logs.length = 0;

    const summary = await replayRejected({
      archive: h.deps as ArchiveDeps,
      progress: silent,
      concurrency: 1,
    });

    expect(summary).toMatchObject({ found: 1, archived: 1, failed: [] });
    expect(await h.store.list('_rejected/')).toEqual([]);
    const archived = await h.store.list(`${RECORDED_CALL.taskId}/${RECORDED_CALL.date}/`);
    expect(archived.some((k) => k.endsWith('/detail.json'))).toBe(true);
    expect(metrics()).toEqual([
      'RecordingUrlLifeLeftSeconds',
      'Archived',
      'ArchivedBytes',
      'CallEndToArchiveSeconds',
    ]);
  });

  it("given a recording host that refuses every download, when SQS redrives the job, then the parked reason is the download's error with its attempts, the notes never held the number or a signature, and replay archives it", async () => {
    // Prepare: the recording host answers 503 to each delivery's one download.
    h.host.injectFaults(
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
    );
    await sqsDispatcher(queue('jobs').url, client).dispatch([RECORDED_CALL]);
    const archive = loadArchive();
    const notes: string[] = [];

    // Act: each delivery fails and leaves its note, which the next one's replaces.
    while (sqs.depth('jobs') > 0)
      if ((await pollOnce(client, queue('jobs'), archive, 'archive')) > 0)
        notes.push(...(await attemptNotes()).map((note) => note.text));
    await pollOnce(client, queue('dlq'), loadPark(), 'park');

    // Assess
    expect(h.host.faultsLeft).toBe(0);
    expect(notes.map((text) => JSON.parse(text).attempt)).toEqual([1, 2, 3]);
    for (const text of notes) {
      expect(text).not.toContain(RECORDED_CALL.callee);
      expect(text).not.toMatch(/Expires=|Signature=|\?/);
    }
    const [item] = await parkedItems();
    expect(item).toMatchObject({ kind: 'job', job: RECORDED_CALL, attempts: 3 });
    expect(item?.reason).toMatch(
      /^after 3 attempts: RecordingDownloadFailed: GET http:\/\/127\.0\.0\.1:\d+\/\S+_record\.wav: HTTP 503$/,
    );
    expect(await attemptNotes()).toEqual([]);

    const summary = await replayRejected({
      archive: h.deps as ArchiveDeps,
      progress: silent,
      concurrency: 1,
    });

    expect(summary).toMatchObject({ found: 1, archived: 1, failed: [] });
    expect(await h.store.list('_rejected/')).toEqual([]);
    expect(await attemptNotes()).toEqual([]);
  });

  it('given a redriven job in the DLQ, when `replay --dlq` archives it instead of park, then its note goes too', async () => {
    h.host.injectFaults(
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
    );
    await sqsDispatcher(queue('jobs').url, client).dispatch([RECORDED_CALL]);
    await deliverUntilEmpty(loadArchive());
    const noted = await attemptNotes();

    const summary = await replayDlq(queue('dlq').url, {
      archive: h.deps as ArchiveDeps,
      progress: silent,
      sqs: client,
    });

    expect(noted).toHaveLength(1);
    expect(summary).toMatchObject({ found: 1, archived: 1, failed: [] });
    expect(sqs.depth('dlq')).toBe(0);
    expect(await attemptNotes()).toEqual([]);
    const archived = await h.store.list(`${RECORDED_CALL.taskId}/${RECORDED_CALL.date}/`);
    expect(archived.some((k) => k.endsWith('/detail.json'))).toBe(true);
  });

  it('given a job that fails its first delivery and is archived on the next, then no note is left and nothing is parked', async () => {
    h.host.injectFaults({ kind: 'status', status: 503 });
    await sqsDispatcher(queue('jobs').url, client).dispatch([RECORDED_CALL]);
    const archive = loadArchive();

    await pollOnce(client, queue('jobs'), archive, 'archive');
    const afterFailure = await attemptNotes();
    const deliveries = 1 + (await deliverUntilEmpty(archive));

    expect(deliveries).toBe(2);
    expect(afterFailure).toHaveLength(1);
    expect(JSON.parse(afterFailure[0]?.text ?? '{}')).toEqual({
      reason: expect.stringMatching(/^RecordingDownloadFailed: GET .*: HTTP 503$/),
      attempt: 1,
      at: expect.any(String),
    });
    expect(await attemptNotes()).toEqual([]);
    expect(sqs.depth('dlq')).toBe(0);
    expect(await h.store.list('_rejected/')).toEqual([]);
    const archived = await h.store.list(`${RECORDED_CALL.taskId}/${RECORDED_CALL.date}/`);
    expect(archived.some((k) => k.endsWith('/detail.json'))).toBe(true);
  });

  it('given a Lambda on-failure destination record in the DLQ, then its error message is the reason', async () => {
    const record = {
      version: '1.0',
      timestamp: '2019-06-14T08:00:00.000Z',
      requestContext: {
        requestId: 'r-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:archive:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: RECORDED_CALL,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'UpstreamError', errorMessage: 'Dyvmsapi answered 503' },
    };
    await client.send(
      new (await import('@aws-sdk/client-sqs')).SendMessageCommand({
        QueueUrl: queue('dlq').url,
        MessageBody: JSON.stringify(record),
      }),
    );

    await pollOnce(client, queue('dlq'), loadPark(), 'park');

    expect(await parkedItems()).toEqual([
      expect.objectContaining({
        job: RECORDED_CALL,
        attempts: 3,
        reason: 'gave up after 3 attempts (RetriesExhausted): UpstreamError: Dyvmsapi answered 503',
      }),
    ]);
  });

  it("given Function Compute's on-failure destination record, then the park function keeps the job with FC's error", async () => {
    const park = handlerWith(parkHandler, parkServices, h.env);
    const record = {
      timestamp: '2019-06-14T08:00:00.000Z',
      requestContext: {
        requestId: 'r-2',
        functionArn: 'acs:fc:cn-hangzhou:1:functions/vms-call-archive-archive',
        condition: 'UnhandledInvocationError',
        approximateInvokeCount: 3,
      },
      requestPayload: JSON.stringify(RECORDED_CALL),
      responseContext: { statusCode: 200, functionError: 'UnhandledInvocationError' },
      responsePayload: JSON.stringify({ errorMessage: 'the call detail has no recordStatus yet' }),
    };

    await park(record, lambdaContext('park'));

    const [item] = await parkedItems();
    expect(item).toMatchObject({
      job: RECORDED_CALL,
      attempts: 3,
      reason:
        'gave up after 3 attempts (UnhandledInvocationError): the call detail has no recordStatus yet',
    });
    expect(await h.store.list('_rejected/2019-06-14/')).toHaveLength(1);
  });
});
