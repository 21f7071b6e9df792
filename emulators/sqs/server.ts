import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * SQS on 127.0.0.1, as much of it as the stack uses: the JSON protocol
 * (`X-Amz-Target: AmazonSQS.<Action>`), queues made at start, visibility time-outs and a
 * redrive policy: a message received `maxReceiveCount` times and still not deleted moves to
 * the dead-letter queue on the next receive, as SQS does. Signatures are not checked.
 */
export interface SqsQueueOptions {
  name: string;
  /** Seconds a received message stays hidden; a receive may ask for another value. */
  visibilityTimeoutSeconds?: number;
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  sentAt: number;
  visibleAt: number;
  receipt?: string;
}

interface Queue extends Required<Omit<SqsQueueOptions, 'redrive'>> {
  redrive?: SqsQueueOptions['redrive'];
  messages: Message[];
}

const ACCOUNT = '000000000000';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export class SqsEmulator {
  private readonly queues = new Map<string, Queue>();
  private server?: Server;
  url = '';
  /** Actions received, in order (`SendMessageBatch`, `ReceiveMessage`, …). */
  readonly actions: string[] = [];

  constructor(queues: SqsQueueOptions[]) {
    for (const queue of queues)
      this.queues.set(queue.name, { visibilityTimeoutSeconds: 30, ...queue, messages: [] });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  queueUrl(name: string): string {
    return `${this.url}/${ACCOUNT}/${name}`;
  }

  queueArn(name: string): string {
    return `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
  }

  /** Messages in the queue, visible or not (what ApproximateNumberOfMessages* add up to). */
  depth(name: string): number {
    return this.queue(name).messages.length;
  }

  private queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue)
      throw new SqsError('AWS.SimpleQueueService.NonExistentQueue', `no queue named ${name}`);
    return queue;
  }

  private byUrl(url: unknown): Queue {
    return this.queue(
      String(url ?? '')
        .split('/')
        .pop() ?? '',
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
    this.actions.push(action);
    try {
      const input = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
      const output = this.act(action, input);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(output));
    } catch (error: unknown) {
      const type = error instanceof SqsError ? error.type : 'InternalError';
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-query-error': `${type};Sender`,
      });
      res.end(JSON.stringify({ __type: type, message: String((error as Error).message) }));
    }
  }

  private act(action: string, input: Record<string, unknown>): unknown {
    switch (action) {
      case 'GetQueueUrl':
        this.queue(String(input.QueueName));
        return { QueueUrl: this.queueUrl(String(input.QueueName)) };
      case 'GetQueueAttributes': {
        const queue = this.byUrl(input.QueueUrl);
        const now = Date.now();
        const visible = queue.messages.filter((m) => m.visibleAt <= now).length;
        return {
          Attributes: {
            QueueArn: this.queueArn(queue.name),
            ApproximateNumberOfMessages: String(visible),
            ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
          },
        };
      }
      case 'SendMessage':
        return this.send(this.byUrl(input.QueueUrl), String(input.MessageBody));
      case 'SendMessageBatch': {
        const queue = this.byUrl(input.QueueUrl);
        const entries = (input.Entries ?? []) as { Id: string; MessageBody: string }[];
        return {
          Successful: entries.map((e) => ({ Id: e.Id, ...this.send(queue, e.MessageBody) })),
          Failed: [],
        };
      }
      case 'ReceiveMessage':
        return { Messages: this.receive(this.byUrl(input.QueueUrl), input) };
      case 'DeleteMessage':
        this.delete(this.byUrl(input.QueueUrl), String(input.ReceiptHandle));
        return {};
      case 'DeleteMessageBatch': {
        const queue = this.byUrl(input.QueueUrl);
        const entries = (input.Entries ?? []) as { Id: string; ReceiptHandle: string }[];
        for (const entry of entries) this.delete(queue, entry.ReceiptHandle);
        return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
      }
      default:
        throw new SqsError('InvalidAction', `the emulator does not do ${action}`);
    }
  }

  private send(queue: Queue, body: string): { MessageId: string; MD5OfMessageBody: string } {
    const message = { id: randomUUID(), body, receiveCount: 0, sentAt: Date.now(), visibleAt: 0 };
    queue.messages.push(message);
    return { MessageId: message.id, MD5OfMessageBody: md5(body) };
  }

  /** Visible messages, after moving those past their receives to the dead-letter queue. */
  private receive(queue: Queue, input: Record<string, unknown>): unknown[] {
    const now = Date.now();
    const max = Number(input.MaxNumberOfMessages ?? 1);
    const hideMs = 1000 * Number(input.VisibilityTimeout ?? queue.visibilityTimeoutSeconds);
    const out: unknown[] = [];
    for (const message of [...queue.messages]) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      if (queue.redrive && message.receiveCount >= queue.redrive.maxReceiveCount) {
        queue.messages.splice(queue.messages.indexOf(message), 1);
        // Its receive count travels with it, as SQS's does.
        this.queue(queue.redrive.deadLetterQueue).messages.push({ ...message, visibleAt: 0 });
        continue;
      }
      message.receiveCount++;
      message.visibleAt = now + hideMs;
      message.receipt = randomUUID();
      out.push({
        MessageId: message.id,
        ReceiptHandle: message.receipt,
        Body: message.body,
        MD5OfBody: md5(message.body),
        Attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          ApproximateFirstReceiveTimestamp: String(now),
        },
      });
    }
    return out;
  }

  private delete(queue: Queue, receipt: string): void {
    const index = queue.messages.findIndex((m) => m.receipt === receipt);
    if (index < 0) throw new SqsError('ReceiptHandleIsInvalid', 'no message has that receipt');
    queue.messages.splice(index, 1);
  }
}
