import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePart } from '../../../lib/call-index/parquet';
import { listDay, readPart } from '../../../lib/call-index/reader';
import { removeFromIndex } from '../../../lib/call-index/rewrite-parts';
import {
  type IndexRow,
  partKey,
  partsDayPrefix,
  pendingDayPrefix,
} from '../../../lib/layout/index-rows';
import { callKeyOf } from '../../../lib/layout/lifecycle';
import { FsObjectStore } from '../../../lib/storage/fs-store';
import { dayPartsOf, indexRow } from '../../support/index-rows';

const DAY = '2019-06-14';
let dir: string;
let store: FsObjectStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'index-rewrite-'));
  store = new FsObjectStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const keyOf = (row: IndexRow) => callKeyOf(row.task_id, DAY, row.call_id);

async function writePart(n: number, rows: IndexRow[], dayParts?: string[]): Promise<string> {
  const key = partKey(DAY, 1_000 + n, 'seed', n);
  await store.put(key, Buffer.from(encodePart(rows, { dayParts })), {
    contentType: 'application/vnd.apache.parquet',
  });
  return key;
}

const listOf = (part: string) => dayPartsOf(store, part);

const name = (key: string) => key.split('/').at(-1);

describe('removeFromIndex', () => {
  it('given a day of two parts that hold each call once, when one call goes, then its part is rewritten without it and names the day parts, so readers still skip the dedupe', async () => {
    // Prepare
    const untouched = await writePart(1, [indexRow(1), indexRow(2)]);
    const holding = await writePart(2, [indexRow(3), indexRow(4)]);
    // Act
    const removal = await removeFromIndex(store, DAY, new Set([keyOf(indexRow(3))]));
    // Assess
    expect(removal).toMatchObject({ partsRewritten: 1, pendingDeleted: 0 });
    const { parts } = await listDay(store, DAY);
    expect(parts).toContain(untouched);
    expect(parts).not.toContain(holding);
    const written = parts.find((part) => part !== untouched) as string;
    expect((await readPart(store, written)).map((row) => row.call_id)).toEqual([
      indexRow(4).call_id,
    ]);
    expect(await listOf(written)).toEqual([name(untouched), name(written)].sort());
  });

  it('given a day whose parts hold a call twice (a crash mid-compaction), when another call goes, then the new part vouches for nothing', async () => {
    await writePart(1, [indexRow(1), indexRow(2)]);
    await writePart(2, [indexRow(2), indexRow(3)]);

    await removeFromIndex(store, DAY, new Set([keyOf(indexRow(3))]));

    const { parts } = await listDay(store, DAY);
    expect(parts).toHaveLength(2);
    for (const part of parts) expect(await listOf(part)).toBeNull();
  });

  it('given a bucket that keeps versions, when a call goes, then the noncurrent versions under the day parts and pending rows are purged and counted', async () => {
    await writePart(1, [indexRow(1), indexRow(2)]);
    const prefixes: string[] = [];
    const versioned = Object.assign(Object.create(store) as FsObjectStore, {
      purgeNoncurrent: async (prefix: string) => {
        prefixes.push(prefix);
        return 2;
      },
    });

    const removal = await removeFromIndex(versioned, DAY, new Set([keyOf(indexRow(1))]));

    expect(prefixes.sort()).toEqual([partsDayPrefix(DAY), pendingDayPrefix(DAY)].sort());
    // the part itself (1 version in a store without versions) and 2 + 2 noncurrent ones
    expect(removal.versions).toBe(5);
  });
});
