import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type BrowseDeps, handleBrowse } from '../../../lib/browse/browse-routes';
import { signedFilePath } from '../../../lib/browse/session';
import { FsObjectStore } from '../../../lib/storage/fs-store';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const NOW = Date.parse('2026-11-26T08:00:00Z');
const KEY = '1045001/2019-06-14/116950320375_103750100375/recording.wav';
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

let dir: string;
let deps: BrowseDeps;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'browse-range-'));
  const store = new FsObjectStore(dir);
  await store.put(KEY, BYTES, { contentType: 'audio/wav' });
  deps = {
    store,
    apiKeys: ['k'.repeat(24)],
    sessionSecret: SECRET,
    asset: () => undefined,
    now: () => NOW,
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GET the recording on browse's signed route with the given Range header. */
function get(range: string | undefined, key = KEY) {
  const url = new URL(`http://x${signedFilePath(SECRET, key, NOW)}`);
  const event = {
    rawPath: url.pathname,
    queryStringParameters: Object.fromEntries(url.searchParams),
    headers: range === undefined ? {} : { range },
    requestContext: { http: { method: 'GET' } },
  } as unknown as APIGatewayProxyEventV2;
  return handleBrowse(event, deps);
}

const bodyOf = (result: Awaited<ReturnType<typeof get>>) =>
  Buffer.from(String(result.body ?? ''), 'base64');

describe("browse's recording route, given a Range header", () => {
  it.each([
    'bytes=100-5',
    'bytes=abc',
    'bytes=-',
    'bytes=1000-',
    'bytes=5000-6000',
    'bytes=-0',
    'bytes=0-1,9-3',
  ])(
    'given %s, then it answers 416 with the size in Content-Range, and no bytes',
    async (range) => {
      const result = await get(range);

      expect(result.statusCode).toBe(416);
      expect(result.headers?.['Content-Range']).toBe('bytes */1000');
      expect(result.body ?? '').toBe('');
    },
  );

  it.each([
    ['bytes=100-199', 100, 199],
    ['bytes=990-5000', 990, 999],
    ['bytes=-10', 990, 999],
  ])('given %s, then it answers 206 with bytes %i-%i', async (range, start, end) => {
    const result = await get(range);

    expect(result.statusCode).toBe(206);
    expect(result.headers?.['Content-Range']).toBe(`bytes ${start}-${end}/1000`);
    expect(bodyOf(result).equals(BYTES.subarray(start, end + 1))).toBe(true);
  });

  it.each([undefined, 'items=0-5', 'abc', 'bytes=0-1,5-6'])(
    'given %s, then it answers 200 with the whole recording',
    async (range) => {
      const result = await get(range);

      expect(result.statusCode).toBe(200);
      expect(result.headers?.['Content-Range']).toBeUndefined();
      expect(bodyOf(result).equals(BYTES)).toBe(true);
    },
  );

  it('given an empty recording, then no Range answers 200 with no bytes and a bytes range 416', async () => {
    const empty = '1045001/2019-06-14/116950320376_103750100376/recording.wav';
    await deps.store.put(empty, Buffer.alloc(0), { contentType: 'audio/wav' });

    const whole = await get(undefined, empty);
    const ranged = await get('bytes=0-', empty);

    expect(whole.statusCode).toBe(200);
    expect(bodyOf(whole).length).toBe(0);
    expect(ranged.statusCode).toBe(416);
    expect(ranged.headers?.['Content-Range']).toBe('bytes */0');
  });
});
