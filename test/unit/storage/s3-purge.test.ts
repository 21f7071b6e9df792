import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../lib/storage/s3-store';

/**
 * A versioned bucket at the S3 client layer: s3rver keeps no versions (it answers
 * ListObjectVersions with 405), so what erasure does on one is tested against this fake
 * client, which answers ListObjectVersions in pages as S3 does and records each delete.
 */
interface Stored {
  key: string;
  versionId: string;
  latest: boolean;
  marker?: boolean;
}

function versionedBucket(stored: Stored[], pageSize = 2) {
  const deleted: { key: string; versionId: string | undefined }[] = [];
  const send = jest
    .spyOn(S3Client.prototype, 'send')
    .mockImplementation(async (command: unknown) => {
      if (command instanceof ListObjectVersionsCommand) {
        const { Prefix = '', KeyMarker, VersionIdMarker } = command.input;
        const all = stored.filter((s) => s.key.startsWith(Prefix));
        const start = KeyMarker
          ? all.findIndex((s) => s.key === KeyMarker && s.versionId === VersionIdMarker) + 1
          : 0;
        const page = all.slice(start, start + pageSize);
        const last = page[page.length - 1];
        const truncated = start + pageSize < all.length;
        return {
          Versions: page
            .filter((s) => !s.marker)
            .map((s) => ({ Key: s.key, VersionId: s.versionId, IsLatest: s.latest })),
          DeleteMarkers: page
            .filter((s) => s.marker)
            .map((s) => ({ Key: s.key, VersionId: s.versionId, IsLatest: s.latest })),
          IsTruncated: truncated,
          NextKeyMarker: truncated ? last?.key : undefined,
          NextVersionIdMarker: truncated ? last?.versionId : undefined,
        };
      }
      if (command instanceof DeleteObjectCommand) {
        const { Key = '', VersionId } = command.input;
        deleted.push({ key: Key, versionId: VersionId });
        const at = stored.findIndex((s) => s.key === Key && s.versionId === VersionId);
        if (at >= 0) stored.splice(at, 1);
        return {};
      }
      if (command instanceof HeadObjectCommand) return { ContentLength: 1, ETag: '"x"' };
      throw new Error(`unexpected ${String(command)}`);
    });
  return { deleted, send };
}

const store = () =>
  new S3ObjectStore({
    bucket: 'archive',
    prefix: 'calls',
    client: { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
    describe: 's3://archive/calls',
  });

const KEY = '1045001/2019-06-14/116950320375_1/detail.json';

describe('S3ObjectStore.purge on a bucket that keeps versions', () => {
  afterEach(() => jest.restoreAllMocks());

  it('given three versions and a delete marker over two pages, when purged, then each is deleted by its version id and a key that only starts the same is left', async () => {
    const stored: Stored[] = [
      { key: `calls/${KEY}`, versionId: 'v3', latest: true },
      { key: `calls/${KEY}`, versionId: 'v2', latest: false },
      { key: `calls/${KEY}`, versionId: 'm1', latest: false, marker: true },
      { key: `calls/${KEY}`, versionId: 'v1', latest: false },
      { key: `calls/${KEY}.bak`, versionId: 'b1', latest: true },
    ];
    const { deleted } = versionedBucket(stored);

    const removed = await store().purge(KEY);

    expect(removed).toBe(4);
    expect(deleted.map((d) => d.versionId).sort()).toEqual(['m1', 'v1', 'v2', 'v3']);
    expect(deleted.every((d) => d.key === `calls/${KEY}`)).toBe(true);
    expect(stored).toEqual([{ key: `calls/${KEY}.bak`, versionId: 'b1', latest: true }]);
  });

  it('given a rewrite without the erased number, when purged keeping the latest, then only the older versions go', async () => {
    const stored: Stored[] = [
      { key: `calls/${KEY}`, versionId: 'v2', latest: true },
      { key: `calls/${KEY}`, versionId: 'v1', latest: false },
    ];
    const { deleted } = versionedBucket(stored);

    const removed = await store().purge(KEY, { keepLatest: true });

    expect(removed).toBe(1);
    expect(deleted).toEqual([{ key: `calls/${KEY}`, versionId: 'v1' }]);
    expect(stored.map((s) => s.versionId)).toEqual(['v2']);
  });

  it('given replaced index parts under a prefix, when noncurrent versions are purged, then only those and delete markers go, the current parts and other prefixes stay', async () => {
    const day = 'calls/index/calls/date=2019-06-14/';
    const stored: Stored[] = [
      { key: `${day}part-a.parquet`, versionId: 'a1', latest: true },
      { key: `${day}part-old.parquet`, versionId: 'm1', latest: true, marker: true },
      { key: `${day}part-old.parquet`, versionId: 'o1', latest: false },
      { key: `${day}part-b.parquet`, versionId: 'b2', latest: true },
      { key: `${day}part-b.parquet`, versionId: 'b1', latest: false },
      { key: 'calls/index/calls/date=2019-06-15/part-c.parquet', versionId: 'c1', latest: false },
    ];
    const { deleted } = versionedBucket(stored);

    const removed = await store().purgeNoncurrent('index/calls/date=2019-06-14/');

    expect(removed).toBe(3);
    expect(deleted.map((d) => `${d.key.split('/').at(-1)}@${d.versionId}`).sort()).toEqual([
      'part-b.parquet@b1',
      'part-old.parquet@m1',
      'part-old.parquet@o1',
    ]);
    expect(stored.map((s) => s.versionId).sort()).toEqual(['a1', 'b2', 'c1']);
    // The marker hid o1: deleted first, it would make the replaced part readable again.
    const order = deleted.map((d) => d.versionId);
    expect(order.indexOf('m1')).toBeGreaterThan(order.indexOf('o1'));
    expect(order.at(-1)).toBe('m1');
  });

  it('given a prefix that is not a folder, when noncurrent versions are purged, then it is refused before any request', async () => {
    const { send } = versionedBucket([]);

    await expect(store().purgeNoncurrent('index/calls/date=2019-06-1')).rejects.toThrow(
      /not a folder/,
    );
    expect(send).not.toHaveBeenCalled();
  });

  it('given a server without versions, when noncurrent versions are purged, then nothing is deleted', async () => {
    const send = jest.spyOn(S3Client.prototype, 'send').mockImplementation(async () => {
      throw Object.assign(new Error('not allowed'), {
        name: 'MethodNotAllowed',
        $metadata: { httpStatusCode: 405 },
      });
    });

    expect(await store().purgeNoncurrent('index/')).toBe(0);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('given a server without versions (405, as s3rver answers), when purged, then the object itself is deleted once', async () => {
    const deleted: string[] = [];
    jest.spyOn(S3Client.prototype, 'send').mockImplementation(async (command: unknown) => {
      if (command instanceof ListObjectVersionsCommand)
        throw Object.assign(new Error('not allowed'), {
          name: 'MethodNotAllowed',
          $metadata: { httpStatusCode: 405 },
        });
      if (command instanceof HeadObjectCommand) return { ContentLength: 1, ETag: '"x"' };
      if (command instanceof DeleteObjectCommand) {
        deleted.push(`${command.input.Key}@${command.input.VersionId ?? '-'}`);
        return {};
      }
      throw new Error('unexpected');
    });

    expect(await store().purge(KEY)).toBe(1);
    expect(deleted).toEqual([`calls/${KEY}@-`]);
  });
});
