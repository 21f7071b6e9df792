import { createHash } from 'node:crypto';
import http from 'node:http';

/** SQS and Lambda endpoints on 127.0.0.1 that accept every batch and Invoke after `latencyMs`. */
export async function fakeSqs(
  latencyMs: number,
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    // Lambda's Invoke (InvocationType Event): accepted.
    if (req.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') {
      res.writeHead(202).end();
      return;
    }
    const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
      Entries?: { Id: string; MessageBody: string }[];
    };
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(
      JSON.stringify({
        Successful: Entries.map((e) => ({
          Id: e.Id,
          MessageId: e.Id,
          MD5OfMessageBody: md5(e.MessageBody),
        })),
        Failed: [],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
