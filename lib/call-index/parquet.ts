import type { AsyncBuffer, FileMetaData, SchemaElement } from 'hyparquet';
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type * as z from 'zod';
import {
  DAY_PARTS_METADATA_KEY,
  INDEX_COLUMNS,
  type IndexColumn,
  type IndexRow,
  IndexRowSchema,
} from '../layout/index-rows';

/**
 * The index's Parquet encoding, through hyparquet and hyparquet-writer (pure JS, ~110 KB
 * minified together; BENCHMARKS.md "The call index" says why these). Types exactly as
 * docs/design.md's table: INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true), int32/int64, a
 * 3-level LIST of strings, UTF8 strings.
 */
const repetition = (nullable: boolean): 'OPTIONAL' | 'REQUIRED' =>
  nullable ? 'OPTIONAL' : 'REQUIRED';

function schemaElements(name: IndexColumn, type: string, nullable: boolean): SchemaElement[] {
  const repetition_type = repetition(nullable);
  const utf8 = {
    type: 'BYTE_ARRAY',
    converted_type: 'UTF8',
    logical_type: { type: 'STRING' },
  } as const;
  switch (type) {
    case 'timestamp':
      return [
        {
          name,
          repetition_type,
          type: 'INT64',
          converted_type: 'TIMESTAMP_MILLIS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        },
      ];
    case 'int32':
      return [{ name, repetition_type, type: 'INT32' }];
    case 'int64':
      return [{ name, repetition_type, type: 'INT64' }];
    case 'list<string>':
      return [
        {
          name,
          repetition_type,
          converted_type: 'LIST',
          logical_type: { type: 'LIST' },
          num_children: 1,
        },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', repetition_type: 'REQUIRED', ...utf8 },
      ];
    default:
      return [{ name, repetition_type, ...utf8 }];
  }
}

export const PARQUET_SCHEMA: SchemaElement[] = [
  { name: 'schema', num_children: INDEX_COLUMNS.length },
  ...INDEX_COLUMNS.flatMap((c) => schemaElements(c.name, c.type, c.nullable)),
];

const toDate = (value: string | null) => (value === null ? null : new Date(value));

/** What the writer takes for each column's value. */
function cellOf(row: IndexRow, column: (typeof INDEX_COLUMNS)[number]): unknown {
  const value = row[column.name];
  if (column.type === 'timestamp') return toDate(value as string | null);
  if (column.type === 'int64') return value === null ? null : BigInt(value as number);
  return value;
}

/**
 * One part: a single row group (parts hold at most ~20,000 rows, so one group keeps the
 * footer small and a column one range read), snappy-compressed, rows as given. `dayParts`:
 * the file names of every part the day holds once this run is done, when the writer knows
 * they hold each call once (`DAY_PARTS_METADATA_KEY`).
 */
export function encodePart(
  rows: readonly IndexRow[],
  options: { dayParts?: readonly string[] } = {},
): Uint8Array {
  const kvMetadata = options.dayParts
    ? [{ key: DAY_PARTS_METADATA_KEY, value: JSON.stringify([...options.dayParts].sort()) }]
    : undefined;
  const buffer = parquetWriteBuffer({
    schema: PARQUET_SCHEMA,
    columnData: INDEX_COLUMNS.map((column) => ({
      name: column.name,
      data: rows.map((row) => cellOf(row, column)),
    })),
    rowGroupSize: Math.max(rows.length, 1),
    createdBy: 'vms-call-archive',
    kvMetadata,
  });
  return new Uint8Array(buffer);
}

/** A row read back from Parquet: Dates, bigints and all; normalized by `rowOfRecord`. */
const isoOf = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
const numberOf = (value: unknown) => (typeof value === 'bigint' ? Number(value) : value);

const KeySchema = IndexRowSchema.pick({ task_id: true, call_id: true, archived_at: true });
export type RowKey = z.infer<typeof KeySchema>;
export const KEY_COLUMNS = ['task_id', 'call_id', 'archived_at'] as const;

/** hyparquet's first read of a footer: a part's footer is a few KB, so 64 KB takes it whole. */
const FOOTER_FETCH_BYTES = 64 * 1024;

/** Reads the footer (one range read of `file`). */
export const partMetadata = (file: AsyncBuffer): Promise<FileMetaData> =>
  parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH_BYTES });

/**
 * The records of `columns` of one part: hyparquet reads only those column chunks (Parquet
 * range reads). A column the part predates comes back null (union by name); Dates and
 * bigints become the row's ISO strings and numbers.
 */
async function readRecords(
  file: AsyncBuffer,
  columns: readonly IndexColumn[],
  metadata?: FileMetaData,
): Promise<Record<string, unknown>[]> {
  const footer = metadata ?? (await partMetadata(file));
  const present = new Set(footer.schema.map((element) => element.name));
  const records = await parquetReadObjects({
    file,
    metadata: footer,
    columns: columns.filter((name) => present.has(name)),
  });
  return records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const name of columns) {
      const value = record[name];
      row[name] = name === 'labels' ? (value ?? []) : numberOf(isoOf(value ?? null));
    }
    return row;
  });
}

/** Every row of one part, every column. */
export async function decodePart(file: AsyncBuffer, metadata?: FileMetaData): Promise<IndexRow[]> {
  const records = await readRecords(file, ALL_COLUMNS, metadata);
  return records.map((record) => IndexRowSchema.parse(record));
}

/** The merge keys of one part's rows: three column chunks, not the dialogs. */
export async function decodeKeys(file: AsyncBuffer, metadata?: FileMetaData): Promise<RowKey[]> {
  const records = await readRecords(file, KEY_COLUMNS, metadata);
  return records.map((record) => KeySchema.parse(record));
}

/**
 * Some columns of one part (a page of browse reads what its filter needs); the rest are absent.
 */
export async function decodeColumns(
  file: AsyncBuffer,
  columns: readonly IndexColumn[],
  metadata?: FileMetaData,
): Promise<Partial<IndexRow>[]> {
  const partial = IndexRowSchema.partial();
  const records = await readRecords(file, columns, metadata);
  return records.map((record) => partial.parse(record));
}

const ALL_COLUMNS = INDEX_COLUMNS.map((column) => column.name);

/** An in-memory part as an AsyncBuffer (tests, and a part just fetched whole). */
export function bufferOf(bytes: Uint8Array): AsyncBuffer {
  const copy = new Uint8Array(bytes).buffer;
  return { byteLength: copy.byteLength, slice: (start, end) => copy.slice(start, end) };
}
