import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

export interface StoredVersion {
  versionId: string | undefined;
  /** The version a GET without a version id answers. */
  current: boolean;
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
  const found: StoredVersion[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: fullKey,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    for (const version of page.Versions ?? [])
      if (version.Key === fullKey)
        found.push({ versionId: version.VersionId, current: version.IsLatest === true });
    // A delete marker restores nothing, but it names the key: it goes too, never kept.
    for (const marker of page.DeleteMarkers ?? [])
      if (marker.Key === fullKey) found.push({ versionId: marker.VersionId, current: false });
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return found;
}
