import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** Runs `script` in a fresh node (with tsx), so what it loads is its own. */
function inFreshNode(script: string): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test' },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

describe('openStoreOnFirstUse', () => {
  it('given s3://, then the S3 client loads only when the store is first used', () => {
    const out = inFreshNode(`
      const { openStoreOnFirstUse } = require('./lib/storage/open-store');
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('client-s3'));
      const store = openStoreOnFirstUse('s3://archive/calls', { awsRegion: 'us-east-1', ossRegion: 'cn-hangzhou' });
      const before = loaded();
      store.readUrl('1045001/2019-06-14/c/detail.json', 300).then((url) => {
        console.log(JSON.stringify({ before, after: loaded(), describe: store.describe, url }));
      });
    `);
    const { before, after, describe, url } = JSON.parse(out) as Record<string, unknown>;

    expect(before).toBe(false);
    expect(after).toBe(true);
    expect(describe).toBe('s3://archive/calls');
    // the store it opened is the real one: a presigned URL for the key under the prefix
    expect(String(url)).toMatch(
      /^https:\/\/archive\.s3\.us-east-1\.amazonaws\.com\/calls\/1045001\/2019-06-14\/c\/detail\.json\?.*X-Amz-Signature=/,
    );
  });
});
