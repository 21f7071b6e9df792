import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AsyncBuffer, SchemaElement } from 'hyparquet';
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readPartTable } from '../../../lib/call-index/day-table';
import { readStringListCells } from '../../../lib/call-index/list-cells';
import { bufferOf, encodePart } from '../../../lib/call-index/parquet';
import { partKey } from '../../../lib/layout/index-rows';
import { FsObjectStore } from '../../../lib/storage/fs-store';
import { indexRow } from '../../support/index-rows';

const SETS = [
  [],
  ['邀约'],
  ['有房', '邀约'],
  ['Complaint', '投诉'],
  ['邀约'],
  [''],
  ['a', 'b', 'c'],
];

/** What hyparquet's own list assembly makes of the column, a missing list as `[]`. */
async function assembled(file: AsyncBuffer, name = 'labels'): Promise<unknown[]> {
  const records = await parquetReadObjects({ file, columns: [name] });
  return records.map((record) => record[name] ?? []);
}

async function cellsOf(file: AsyncBuffer, name = 'labels') {
  return readStringListCells(file, await parquetMetadataAsync(file), name);
}

/** A one-column file of `labels` lists in the given shape. */
function listFile(
  data: unknown[],
  shape: { list: 'OPTIONAL' | 'REQUIRED'; element: 'OPTIONAL' | 'REQUIRED' },
  options: { pageSize?: number; rowGroupSize?: number; codec?: 'UNCOMPRESSED' } = {},
): AsyncBuffer {
  const schema: SchemaElement[] = [
    { name: 'schema', num_children: 1 },
    { name: 'labels', repetition_type: shape.list, converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: shape.element, type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  ];
  const bytes = parquetWriteBuffer({ schema, columnData: [{ name: 'labels', data }], ...options });
  return bufferOf(new Uint8Array(bytes));
}

describe('labels read by rows of their own (list-cells.ts)', () => {
  it('given a part as encodePart writes it, when its labels are read, then each row has the lists hyparquet assembles', async () => {
    // Prepare
    const rows = Array.from({ length: 500 }, (_, n) =>
      indexRow(n, { labels: SETS[n % SETS.length] ?? [] }),
    );
    const file = bufferOf(encodePart(rows));
    // Act
    const cells = await cellsOf(file);
    // Assess
    expect(cells).toEqual(rows.map((row) => row.labels));
    expect(cells).toEqual(await assembled(file));
  });

  it('given null lists, many pages, row groups and distinct labels, then the rows are the same as hyparquet reads them', async () => {
    // Prepare: 3,000 distinct labels, pages of ~200 bytes, row groups of 700, no compression.
    const data = Array.from({ length: 3_000 }, (_, n) =>
      n % 11 === 0 ? null : Array.from({ length: n % 4 }, (_, i) => `标签${n}-${i}`),
    );
    const file = listFile(
      data,
      { list: 'OPTIONAL', element: 'REQUIRED' },
      { pageSize: 200, rowGroupSize: 700, codec: 'UNCOMPRESSED' },
    );
    expect((await parquetMetadataAsync(file)).row_groups).toHaveLength(5);
    // Act
    const cells = await cellsOf(file);
    // Assess
    expect(cells).toEqual(data.map((list) => list ?? []));
    expect(cells).toEqual(await assembled(file));
  });

  it('given a list that is itself required, then its rows read too', async () => {
    const data = [['投诉'], [], ['有房', '邀约']];
    const file = listFile(data, { list: 'REQUIRED', element: 'REQUIRED' });
    await expect(cellsOf(file)).resolves.toEqual(data);
  });

  it('given lists whose elements may be null, then it declines and the part table reads them through hyparquet', async () => {
    // Prepare: another writer's shape, with a null inside a list.
    const data = [['投诉', null], null, ['邀约']];
    const file = listFile(data, { list: 'OPTIONAL', element: 'OPTIONAL' });
    const dir = mkdtempSync(join(tmpdir(), 'list-cells-'));
    try {
      const store = new FsObjectStore(dir);
      const key = partKey('2019-06-14', Date.parse('2019-06-14T02:00:00Z'), 'test', 0);
      await store.put(key, Buffer.from(await file.slice(0, file.byteLength)), {
        contentType: 'application/vnd.apache.parquet',
      });
      // Act
      const declined = await cellsOf(file);
      const table = await readPartTable(store, key, ['labels']);
      // Assess
      expect(declined).toBeUndefined();
      expect(table.column('labels')).toEqual([['投诉', null], [], ['邀约']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('given a column that is not a list, then it declines', async () => {
    const file = bufferOf(encodePart([indexRow(1)]));
    await expect(cellsOf(file, 'call_result')).resolves.toBeUndefined();
  });
});
