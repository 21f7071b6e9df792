import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { forEachLimited } from '../../common/for-each-limited';
import type { ObjectStore } from '../../storage/object-store';
import { listDay, listIndexedDays } from '../reader';

/** The index files `query` and `export` read, as local paths, and where they sit. */
export interface LocalIndex {
  parts: string[];
  pending: string[];
}

export interface DayRange {
  from?: string;
  to?: string;
}

async function indexKeys(store: ObjectStore, range: DayRange): Promise<LocalIndex> {
  const days = (await listIndexedDays(store)).filter(
    (day) => (!range.from || day >= range.from) && (!range.to || day <= range.to),
  );
  const out: LocalIndex = { parts: [], pending: [] };
  for (const day of days) {
    const listing = await listDay(store, day);
    out.parts.push(...listing.parts);
    out.pending.push(...listing.pending);
  }
  return out;
}

/** On `file://` the index is read where it lies: no copy. */
export async function inPlaceIndex(
  store: ObjectStore,
  root: string,
  range: DayRange,
): Promise<LocalIndex> {
  const keys = await indexKeys(store, range);
  const path = (key: string) => join(root, ...key.split('/'));
  return { parts: keys.parts.map(path), pending: keys.pending.map(path) };
}

const ManifestSchema = z.record(z.string(), z.string());
const MANIFEST = 'etags.json';

/**
 * On `s3://` and `oss://`: a local copy of the index files `range` names, in a folder only
 * its owner may read (0700: the rows hold callees), one per archive URL. A part is fetched
 * again only when its ETag (`storeTag`, one HEAD) changed; pending rows never change (each
 * commit has its own key), so one fetched stays. Files the store no longer lists go.
 */
export async function cachedIndex(
  store: ObjectStore,
  archiveUrl: string,
  cacheRoot: string,
  range: DayRange,
): Promise<LocalIndex> {
  const dir = join(cacheRoot, createHash('sha256').update(archiveUrl).digest('hex').slice(0, 16));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const manifestPath = join(dir, MANIFEST);
  const manifest = ManifestSchema.catch({}).parse(await readJson(manifestPath));
  const keys = await indexKeys(store, range);
  const path = (key: string) => join(dir, ...key.split('/'));
  const fetch = async (key: string, tag: string) => {
    const bytes = await store.get(key);
    if (!bytes) return;
    await mkdir(dirname(path(key)), { recursive: true, mode: 0o700 });
    await writeFile(path(key), bytes, { mode: 0o600 });
    manifest[key] = tag;
  };
  await forEachLimited(keys.parts, 16, async (key) => {
    const info = await store.head(key);
    if (info && manifest[key] !== info.storeTag) await fetch(key, info.storeTag);
  });
  const newPending = keys.pending.filter((key) => manifest[key] === undefined);
  await forEachLimited(newPending, 16, (key) => fetch(key, 'pending'));
  const listed = new Set([...keys.parts, ...keys.pending]);
  for (const key of Object.keys(manifest)) {
    const inRange = inDayRange(key, range);
    if (inRange && !listed.has(key)) {
      await rm(path(key), { force: true });
      delete manifest[key];
    }
  }
  await writeFile(manifestPath, JSON.stringify(manifest), { mode: 0o600 });
  return { parts: keys.parts.map(path), pending: keys.pending.map(path) };
}

function inDayRange(key: string, { from, to }: DayRange): boolean {
  const day = /\/date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
  return day !== undefined && (!from || day >= from) && (!to || day <= to);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The index files of `archiveUrl` as local paths: in place for `file://`, else through the
 * 0700 cache under `cacheRoot` (refreshed by ETag).
 */
export function localIndexOf(
  store: ObjectStore,
  archiveUrl: string,
  cacheRoot: string,
  range: DayRange,
): Promise<LocalIndex> {
  const url = new URL(archiveUrl);
  if (url.protocol === 'file:') return inPlaceIndex(store, decodeURIComponent(url.pathname), range);
  return cachedIndex(store, archiveUrl, cacheRoot, range);
}
