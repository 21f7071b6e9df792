import { DeleteObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { forEachLimited } from '../common/for-each-limited';

/**
 * A server that keeps no versions and has no ListObjectVersions: s3rver answers 405
 * MethodNotAllowed, others 501. S3 and OSS both answer it, versioned or not.
 */
export const isNotImplemented = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return (
    e?.name === 'NotImplemented' ||
    e?.name === 'MethodNotAllowed' ||
    status === 501 ||
    status === 405
  );
};

export interface StoredVersion {
  versionId: string | undefined;
  /** The version a GET without a version id answers (never a delete marker). */
  current: boolean;
}

/** One stored version under a prefix, with its full key. */
export interface KeyedVersion extends StoredVersion {
  fullKey: string;
  /** A delete marker: it holds nothing, but while it is the latest it hides the versions below. */
  marker: boolean;
}

/**
 * Every version and delete marker of exactly `fullKey` (ListObjectVersions, every page):
 * on a versioned bucket a deleted or rewritten object lives on in them. A bucket that never
 * had versioning answers each object once, with version id `null`.
 */
export async function versionsOf(
  client: S3Client,
  bucket: string,
  fullKey: string,
): Promise<KeyedVersion[]> {
  return (await versionsUnder(client, bucket, fullKey)).filter(
    (version) => version.fullKey === fullKey,
  );
}

/** Every version and delete marker of every key that starts with `prefix` (every page). */
export async function versionsUnder(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<KeyedVersion[]> {
  const found: KeyedVersion[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    for (const version of page.Versions ?? [])
      if (version.Key !== undefined)
        found.push({
          fullKey: version.Key,
          versionId: version.VersionId,
          current: version.IsLatest === true,
          marker: false,
        });
    // A delete marker restores nothing, but it names the key: it goes too, never kept.
    for (const marker of page.DeleteMarkers ?? [])
      if (marker.Key !== undefined)
        found.push({
          fullKey: marker.Key,
          versionId: marker.VersionId,
          current: false,
          marker: true,
        });
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return found;
}

/** Deletes at once: S3 takes thousands of requests a second per prefix. */
const DELETE_CONCURRENCY = 16;

/**
 * Deletes each of `versions` by its version id; answers how many went. Every version that
 * holds data goes before any delete marker: a latest marker deleted first would make the
 * version below it the object again (a replaced index part, readable once more) until its
 * own delete, or for good if the run stops there.
 */
export async function deleteVersions(
  client: S3Client,
  bucket: string,
  versions: readonly KeyedVersion[],
): Promise<number> {
  const deleteOne = async ({ fullKey, versionId }: KeyedVersion) => {
    await client.send(
      new DeleteObjectCommand({ Bucket: bucket, Key: fullKey, VersionId: versionId }),
    );
  };
  await forEachLimited(
    versions.filter((v) => !v.marker),
    DELETE_CONCURRENCY,
    deleteOne,
  );
  await forEachLimited(
    versions.filter((v) => v.marker),
    DELETE_CONCURRENCY,
    deleteOne,
  );
  return versions.length;
}

/**
 * Every noncurrent version and delete marker under `fullPrefix` deleted, the current objects
 * left; none on a server that keeps no versions (it has no ListObjectVersions).
 */
export async function purgeNoncurrentUnder(
  client: S3Client,
  bucket: string,
  fullPrefix: string,
): Promise<number> {
  let versions: KeyedVersion[];
  try {
    versions = await versionsUnder(client, bucket, fullPrefix);
  } catch (error: unknown) {
    if (isNotImplemented(error)) return 0;
    throw error;
  }
  // a bucket that never kept versions answers each object once, as its current one
  const noncurrent = versions.filter((v) => !v.current && v.versionId !== undefined);
  return deleteVersions(client, bucket, noncurrent);
}
