import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { archiveCall } from '../../lib/archive/archive-call';
import { type BrowseDeps, handleBrowse } from '../../lib/browse/browse-routes';
import { NotFoundError } from '../../lib/errors';
import {
  type Harness,
  RECORDED_CALL,
  type S3Server,
  startHarness,
  startS3,
} from '../support/harness';

const SECRET = Buffer.alloc(32, 9).toString('base64');
const API_KEY = 'k'.repeat(24);
const CALL = '/archive/calls/1045001/2019-06-14/116950320375%5E103750100375';

const event = (path: string, query: Record<string, string> = {}) =>
  ({
    rawPath: path,
    queryStringParameters: query,
    headers: { 'x-api-key': API_KEY },
    requestContext: { http: { method: 'GET' } },
  }) as unknown as APIGatewayProxyEventV2;

/** The call's JSON from browse: its play and download URLs. */
async function urls(deps: BrowseDeps): Promise<{ play: string; download: string }> {
  const result = await handleBrowse(event(CALL), deps);
  const body = JSON.parse(String(result.body));
  return { play: body.recordingUrl, download: body.recordingDownloadUrl };
}

describe('recording URLs answer with the stored audio type, and downloads as attachments', () => {
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(() => s3.stop());

  for (const backend of ['s3', 'file'] as const) {
    describe(`on ${backend}://`, () => {
      let h: Harness;
      let deps: BrowseDeps;
      beforeEach(async () => {
        h = await startHarness(backend === 's3' ? { s3Endpoint: s3.endpoint } : {});
        await archiveCall({ ...RECORDED_CALL }, h.deps);
        deps = {
          store: h.store,
          apiKeys: [API_KEY],
          sessionSecret: SECRET,
          asset: () => undefined,
        };
      });
      afterEach(() => h.stop());

      /** GETs a URL browse issued: presigned from the store, or browse's own signed route. */
      async function get(
        url: string,
      ): Promise<{ status: number; headers: Record<string, string> }> {
        if (/^https?:/.test(url)) {
          const response = await fetch(url);
          await response.arrayBuffer();
          const headers: Record<string, string> = {};
          response.headers.forEach((value, name) => {
            headers[name] = value;
          });
          return { status: response.status, headers };
        }
        const parsed = new URL(`http://browse${url}`);
        const result = await handleBrowse(
          event(parsed.pathname, Object.fromEntries(parsed.searchParams)),
          deps,
        );
        const headers = Object.fromEntries(
          Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
        );
        return { status: result.statusCode ?? 0, headers };
      }

      it('given the play URL, then audio/wav and no attachment; given the download URL, then Content-Disposition: attachment', async () => {
        const { play, download } = await urls(deps);

        const played = await get(play);
        const downloaded = await get(download);

        expect(played.status).toBe(200);
        expect(played.headers['content-type']).toBe('audio/wav');
        expect(played.headers['content-disposition'] ?? 'inline').not.toMatch(/attachment/);
        expect(downloaded.status).toBe(200);
        expect(downloaded.headers['content-type']).toBe('audio/wav');
        expect(downloaded.headers['content-disposition']).toMatch(
          /^attachment; filename="116950320375_103750100375\.wav"$/,
        );
      });
    });
  }

  it("given browse's signed play route with the download flag added by hand, then it is refused", async () => {
    const h = await startHarness();
    try {
      await archiveCall({ ...RECORDED_CALL }, h.deps);
      const deps = {
        store: h.store,
        apiKeys: [API_KEY],
        sessionSecret: SECRET,
        asset: () => undefined,
      };
      const { play } = await urls(deps);
      const parsed = new URL(`http://browse${play}`);

      const forged = handleBrowse(
        event(parsed.pathname, { ...Object.fromEntries(parsed.searchParams), download: '1' }),
        deps,
      );

      await expect(forged).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await h.stop();
    }
  });
});
