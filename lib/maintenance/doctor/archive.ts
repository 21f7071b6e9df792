import { reasonOf } from '../../errors';
import { DoctorProbeSchema, doctorProbeKey } from '../../layout/doctor';
import { parseDocument } from '../../layout/document';
import type { ObjectStore } from '../../storage/object-store';
import { type CheckResult, fail, ok } from './check-result';

/** A probe under `_doctor/` written, read back and deleted: the archive takes writes. */
export async function checkArchive(
  archive: { url: string; store: ObjectStore },
  runId: string,
  now: () => number,
): Promise<CheckResult> {
  const check = 'archive';
  const key = doctorProbeKey(runId);
  const probe = {
    probe: 'vms-call-archive doctor',
    runId,
    writtenAt: new Date(now()).toISOString(),
  };
  let step = 'write';
  try {
    await archive.store.put(key, `${JSON.stringify(probe)}\n`, { contentType: 'application/json' });
    step = 'read back';
    const bytes = await archive.store.get(key);
    if (bytes === undefined) throw new Error(`${key} was written but is not there`);
    const read = parseDocument(DoctorProbeSchema, key, bytes.toString('utf8'));
    if (read.runId !== runId) throw new Error(`${key} holds another run's probe`);
    step = 'delete';
    await archive.store.delete(key);
    if ((await archive.store.head(key)) !== undefined)
      throw new Error(`${key} is still there after its delete`);
  } catch (error: unknown) {
    return fail(
      check,
      `${archive.url}: cannot ${step} ${key}: ${reasonOf(error)}`,
      archiveFix(archive.url, error),
    );
  }
  return ok(check, `${archive.url}: wrote, read and deleted ${key}`);
}

function archiveFix(url: string, error: unknown): string {
  const parsed = new URL(url);
  const bucket = parsed.hostname;
  const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
  const objects = `${bucket}/${prefix ? `${prefix}/` : ''}*`;
  if (parsed.protocol === 's3:')
    return `let these AWS credentials s3:PutObject, s3:GetObject and s3:DeleteObject on arn:aws:s3:::${objects} (and check the bucket exists, AWS_REGION, S3_ENDPOINT)`;
  if (parsed.protocol === 'oss:')
    return `let the key oss:PutObject, oss:GetObject and oss:DeleteObject on acs:oss:*:*:${objects} (and check the bucket exists in OSS_REGION)`;
  const code = errnoOf(error);
  const dir = decodeURIComponent(parsed.pathname);
  if (code === 'ENOTDIR' || code === 'EEXIST')
    return `${dir} (or a folder above it) is a file: set ARCHIVE_URL to a directory`;
  if (code === 'ENOSPC') return `the disk under ${dir} is full: free space or move ARCHIVE_URL`;
  return `make ${dir} a directory this user may write (chown/chmod), or set ARCHIVE_URL to one`;
}

/** The errno code of an error or of any cause it chains. */
function errnoOf(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}
