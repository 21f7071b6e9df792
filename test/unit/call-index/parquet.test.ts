import {
  bufferOf,
  decodeColumns,
  decodeKeys,
  decodePart,
  encodePart,
} from '../../../lib/call-index/parquet';
import { indexRow } from '../../support/index-rows';

describe('the index Parquet encoding', () => {
  it('reads back every column of every row as written: instants, int64s, lists and nulls', async () => {
    // Prepare
    const rows = [0, 1, 2, 3].map((n) => indexRow(n));
    // Act
    const back = await decodePart(bufferOf(encodePart(rows)));
    // Assess
    expect(back).toEqual(rows);
    expect(back[0]?.labels).toEqual([]);
    expect(back[0]?.recording_bytes).toBeNull();
    expect(back[1]?.recording_bytes).toBe(3_000_000_001);
  });

  it('reads only the asked columns, and the merge keys alone', async () => {
    const file = bufferOf(encodePart([indexRow(5), indexRow(6)]));
    await expect(decodeColumns(file, ['callee'])).resolves.toEqual([
      { callee: '13800000005' },
      { callee: '13800000006' },
    ]);
    const keys = await decodeKeys(file);
    expect(keys.map((key) => key.call_id)).toEqual([
      '116950320005^103750100005',
      '116950320006^103750100006',
    ]);
  });

  it('writes an empty part that still reads', async () => {
    await expect(decodePart(bufferOf(encodePart([])))).resolves.toEqual([]);
  });
});
