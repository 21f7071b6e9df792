import type {
  AsyncBuffer,
  ColumnMetaData,
  DecodedArray,
  FileMetaData,
  SchemaElement,
  SchemaTree,
} from 'hyparquet';
import { parquetSchema } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { convert, convertWithDictionary, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { getTreePath } from 'hyparquet/src/schema.js';

/**
 * A 3-level LIST of strings (the index's `labels`) read into one cell per row without
 * hyparquet's list assembly, which builds one array per row through a general Dremel walk:
 * for a label search over a day of 100,000 rows that walk and its garbage cost more than
 * every other column read (BENCHMARKS.md "browse"). The pages are decoded by hyparquet's own
 * page readers (levels, dictionary, snappy; `hyparquet/src/*.js` is a public export of the
 * package); only the rows are built here, from the levels, and the rows of one same label
 * share one frozen array. A missing or empty list is `[]`, as column-cells.ts makes it.
 *
 * Undefined when the column is not that shape (another writer's nesting, an optional
 * element, version 1 data pages): the caller reads it through hyparquet then.
 */
export async function readStringListCells(
  file: AsyncBuffer,
  metadata: FileMetaData,
  name: string,
): Promise<(readonly string[])[] | undefined> {
  const chunks = metadata.row_groups.map(
    (group) => group.columns.find((c) => c.meta_data?.path_in_schema[0] === name)?.meta_data,
  );
  const first = chunks[0];
  if (!first || chunks.some((chunk) => chunk === undefined)) return undefined;
  const schemaPath = getTreePath(parquetSchema(metadata), first.path_in_schema);
  const element = stringListElement(schemaPath);
  if (!element) return undefined;
  // The deepest definition level (a value): the list's own, if optional, and the repeated one.
  const rows = new ListRows(schemaPath[1]?.element.repetition_type === 'OPTIONAL' ? 2 : 1);
  for (const meta of chunks) {
    if (!meta) return undefined;
    const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
    const bytes = await file.slice(start, start + Number(meta.total_compressed_size));
    if (!readChunk(bytes, { ...meta, element, schemaPath }, rows)) return undefined;
  }
  const cells = rows.done();
  return cells.length === Number(metadata.num_rows) ? cells : undefined;
}

/** The leaf of `list` REPEATED of a REQUIRED UTF8 `element`; undefined for any other shape. */
function stringListElement(path: readonly SchemaTree[]): SchemaElement | undefined {
  const [, list, repeated, leaf] = path;
  const element = leaf?.element;
  const ok =
    path.length === 4 &&
    list?.element.repetition_type !== 'REPEATED' &&
    repeated?.element.repetition_type === 'REPEATED' &&
    element?.repetition_type === 'REQUIRED' &&
    element.type === 'BYTE_ARRAY' &&
    (element.converted_type === 'UTF8' || element.logical_type?.type === 'STRING');
  return ok ? element : undefined;
}

/**
 * One column chunk's pages into `rows`: a dictionary page and version 2 data pages, what
 * hyparquet-writer writes (parquet.ts); false on any other page, for hyparquet to read.
 */
function readChunk(
  bytes: ArrayBuffer,
  column: ColumnMetaData & { element: SchemaElement; schemaPath: SchemaTree[] },
  rows: ListRows,
): boolean {
  const { codec, type, element } = column;
  const decoder = { ...column, pathInSchema: column.path_in_schema, parsers: DEFAULT_PARSERS };
  const reader = { view: new DataView(bytes), offset: 0 };
  let dictionary: DecodedArray | undefined;
  while (reader.offset < reader.view.byteLength - 1) {
    const header = parquetHeader(reader);
    const page = new Uint8Array(bytes, reader.offset, header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    const size = Number(header.uncompressed_page_size);
    const dictionaryHeader = header.dictionary_page_header;
    const v2 = header.data_page_header_v2;
    if (header.type === 'DICTIONARY_PAGE' && dictionaryHeader) {
      const raw = decompressPage(page, size, codec, undefined);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const count = dictionaryHeader.num_values;
      dictionary = convert(
        readPlain({ view, offset: 0 }, type, count, element.type_length),
        decoder,
      );
    } else if (header.type === 'DATA_PAGE_V2' && v2) {
      const levels = readDataPageV2(page, header, decoder);
      rows.add(levels, convertWithDictionary(levels.dataPage, dictionary, v2.encoding, decoder));
    } else return false;
  }
  return true;
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Rows built from levels: a row starts at repetition level 0, a value is at `deepest`. */
class ListRows {
  private readonly cells: (readonly string[])[] = [];
  private readonly singles = new Map<string, readonly string[]>();
  private open = false;
  private first: string | undefined;
  private more: string[] | undefined;

  constructor(private readonly deepest: number) {}

  add(
    levels: { definitionLevels?: readonly number[]; repetitionLevels: readonly number[] },
    values: DecodedArray,
  ) {
    const { definitionLevels: definitions = [], repetitionLevels: repetitions } = levels;
    // hyparquet leaves the definition levels out when all are the deepest (no empty list).
    const full = definitions.length === 0;
    let next = 0;
    for (let i = 0; i < repetitions.length; i++) {
      if (repetitions[i] === 0) this.close();
      this.open = true;
      if (!full && definitions[i] !== this.deepest) continue;
      const value = String(values[next++]);
      if (this.first === undefined) this.first = value;
      else if (this.more) this.more.push(value);
      else this.more = [this.first, value];
    }
  }

  done(): (readonly string[])[] {
    this.close();
    return this.cells;
  }

  private close() {
    if (!this.open) return;
    if (this.more) this.cells.push(this.more);
    else if (this.first === undefined) this.cells.push(EMPTY);
    else {
      let single = this.singles.get(this.first);
      if (!single) {
        single = Object.freeze([this.first]);
        this.singles.set(this.first, single);
      }
      this.cells.push(single);
    }
    this.open = false;
    this.first = undefined;
    this.more = undefined;
  }
}
