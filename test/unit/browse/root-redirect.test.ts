import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handleBrowse } from '../../../lib/browse/browse-routes';
import { FsObjectStore } from '../../../lib/storage/fs-store';

describe('browse at the bare address', () => {
  it('given GET /, then it answers 302 to /app, with no sign-in needed', async () => {
    const event = {
      rawPath: '/',
      headers: {},
      requestContext: { http: { method: 'GET' } },
    } as unknown as APIGatewayProxyEventV2;

    const result = await handleBrowse(event, {
      store: new FsObjectStore('/nonexistent-browse-root'),
      apiKeys: ['k'.repeat(24)],
      sessionSecret: Buffer.alloc(32, 7).toString('base64'),
      asset: () => undefined,
    });

    expect(result.statusCode).toBe(302);
    expect(result.headers?.Location).toBe('/app');
  });
});
