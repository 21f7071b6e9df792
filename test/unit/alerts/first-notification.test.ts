import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flushAlerts } from '../../../lib/alerts/notifier';
import { ALERT_STATE_KEY } from '../../../lib/layout/alerts';
import { memoryStore } from '../../support/memory-store';

describe('the first notification on a role without a list grant on the whole archive', () => {
  it('given no state yet and a store that answers a missing object with AccessDenied (S3 without s3:ListBucket), then the message is sent and the state written', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        bodies.push(body);
        // Slack's incoming webhook answers `ok`.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const store = memoryStore();
    const get = store.get.bind(store);
    // What S3 does for a role that may GetObject but not ListBucket there: 403 for a missing key.
    store.get = async (key) => {
      const found = await get(key);
      if (found === undefined) throw new Error('AccessDenied');
      return found;
    };
    try {
      const sent = await flushAlerts(
        { parked: 2, reconcileMissed: 0, reasons: { RecordingDownloadFailed: 2 } },
        {
          store,
          webhook: { url: `http://127.0.0.1:${port}/hook`, kind: 'slack' },
          everyMinutes: 10,
        },
      );
      expect(sent).toBe(true);
      expect(bodies.join('')).toContain('2 parked');
      expect(await store.get(ALERT_STATE_KEY)).toBeDefined();
    } finally {
      server.close();
    }
  });
});
