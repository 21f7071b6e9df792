import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

export interface StoredVersion {
  versionId: string | undefined;
  /** The version a GET without a version id answers (never a delete marker). */
  current: boolean;
}

/** One stored version under a prefix, with its full key. */
export interface KeyedVersion extends StoredVersion {
  fullKey: string;
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
): Promise<StoredVersion[]> {
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
        });
    // A delete marker restores nothing, but it names the key: it goes too, never kept.
    for (const marker of page.DeleteMarkers ?? [])
      if (marker.Key !== undefined)
        found.push({ fullKey: marker.Key, versionId: marker.VersionId, current: false });
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return found;
}
