import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { archiveCall } from '../../lib/archive/archive-call';
import { archiveJobOrPark } from '../../lib/archive/archive-job';
import { RecordingDownloadError } from '../../lib/archive/errors';
import { type Harness, RECORDED_CALL, startHarness } from '../support/harness';

const MAX_BYTES = 1024 * 1024;
const DIR = '1045001/2019-06-14/116950320375_103750100375';

/** A recording host that misbehaves by the object's name; counts what it wrote. */
class HostileHost {
  written = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.serve(String(req.url), res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }

  /** Writes 64 KiB chunks until the client goes away. */
  private endless(res: ServerResponse): void {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) this.written += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  }

  private serve(path: string, res: ServerResponse): void {
    const name = path.split('?')[0]?.split('/').pop() ?? '';
    if (name.startsWith('endless')) {
      res.writeHead(200, { 'content-type': 'audio/wav' });
      this.endless(res);
    } else if (name.startsWith('too-long')) {
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(2 * MAX_BYTES) });
      this.endless(res);
    } else if (name.startsWith('error')) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      this.endless(res);
    } else if (name.startsWith('trickle')) {
      res.writeHead(200, { 'content-type': 'audio/wav' });
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write('x');
        this.written++;
      }, 100);
      res.on('close', () => clearInterval(timer));
    } else if (name.startsWith('page')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><script>alert(document.domain)</script></html>');
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '4096' });
      res.end(Buffer.alloc(4096, 3));
    }
  }
}

describe('a recording download is bounded in size, time and type', () => {
  let h: Harness;
  let host: HostileHost;
  beforeEach(async () => {
    host = new HostileHost();
    await host.start();
    h = await startHarness({
      env: {
        RECORDING_MAX_BYTES: String(MAX_BYTES),
        RECORDING_DEADLINE_MS: '1500',
        RECORDING_DOWNLOAD_ATTEMPTS: '1',
      },
    });
  });
  afterEach(async () => {
    await h.stop();
    await host.stop();
  });
  const serveAs = (name: string) => h.dyvms.useRecordingHost(() => `${host.url}/bucket/${name}`);
  const nothingStored = async () =>
    expect((await h.store.list('')).filter((key) => !key.startsWith('_rejected/'))).toEqual([]);

  it('given an endless 200 body, then the download stops past RECORDING_MAX_BYTES and the job is parked', async () => {
    serveAs('endless.wav');
    // This one is about size: a deadline of its own, so a busy machine cannot end it first.
    const deps = { ...h.deps, recording: { ...h.deps.recording, deadlineMs: 30_000 } };

    const outcome = await archiveJobOrPark({ ...RECORDED_CALL }, deps);

    expect(outcome.status === 'parked' && outcome.reason).toMatch(
      /over RECORDING_MAX_BYTES \(1048576\)/,
    );
    await nothingStored();
  });

  it('given a Content-Length over RECORDING_MAX_BYTES, then it is refused before the body is read', async () => {
    serveAs('too-long.wav');

    const outcome = await archiveJobOrPark({ ...RECORDED_CALL }, h.deps);

    expect(outcome.status === 'parked' && outcome.reason).toMatch(
      /Content-Length 2097152 is over RECORDING_MAX_BYTES/,
    );
    await nothingStored();
  });

  it('given a body that trickles a byte every 100 ms (never silent for the read time-out), then it fails at RECORDING_DEADLINE_MS', async () => {
    serveAs('trickle.wav');
    const started = Date.now();

    const failure = await archiveCall({ ...RECORDED_CALL }, h.deps).catch((error) => error);

    expect(failure).toBeInstanceOf(RecordingDownloadError);
    expect(String(failure.message)).toMatch(/RECORDING_DEADLINE_MS \(1500 ms\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await nothingStored();
  });

  it('given a 503 with an endless body, then at most 64 KiB of it is read and the download fails', async () => {
    serveAs('error.wav');

    const failure = await archiveCall({ ...RECORDED_CALL }, h.deps).catch((error) => error);

    expect(failure).toBeInstanceOf(RecordingDownloadError);
    expect(String(failure.message)).toMatch(/HTTP 503/);
    // What the kernel's socket buffers took besides the 64 KiB read: far from "drained whole".
    expect(host.written).toBeLessThan(8 * 1024 * 1024);
  });

  it('given an HTML page where the recording should be, then nothing is stored and the job is parked', async () => {
    serveAs('page.wav');

    const outcome = await archiveJobOrPark({ ...RECORDED_CALL }, h.deps);

    expect(outcome.status === 'parked' && outcome.reason).toMatch(/text\/html is not audio/);
    await nothingStored();
  });

  it('given application/octet-stream for a .wav, then it is stored as audio/wav', async () => {
    serveAs('plain.wav');

    const outcome = await archiveCall({ ...RECORDED_CALL }, h.deps);

    expect(outcome).toMatchObject({ status: 'archived', recording: { contentType: 'audio/wav' } });
    expect(await h.store.list(`${DIR}/`)).toEqual([`${DIR}/detail.json`, `${DIR}/recording.wav`]);
  });

  it('given application/octet-stream for a name with no audio extension, then it is refused', async () => {
    serveAs('plain.bin');

    const outcome = await archiveJobOrPark({ ...RECORDED_CALL }, h.deps);

    expect(outcome.status === 'parked' && outcome.reason).toMatch(
      /application\/octet-stream is not audio/,
    );
  });
});
