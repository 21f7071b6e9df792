import { parseLenientJson } from '../common/lenient-json';
import { VmsArchiveError } from '../errors';
import { DyvmsError } from './dyvms-error';

/** A listing that cannot be trusted to be whole: it is reported, never taken for the end. */
export class PagingError extends VmsArchiveError {
  override name = 'PagingError';
  constructor(message: string) {
    super(message, { code: 'PagingError', statusCode: 502 });
  }
}

export interface PageOptions {
  /** Rows asked for per page (DYVMS_PAGE_SIZE). */
  pageSize: number;
  /** What is listed, for messages: `QueryRobotTaskCallList of task 1045001`. */
  what: string;
  /** Guards against a server that never answers an empty page. */
  maxPages?: number;
}

/**
 * A list action's `Data` that is not a list: the listing's own error, not a call detail's
 * (CallDetailParseError is for QueryRobotTaskCallDetail alone). 502 where it reaches an answer.
 */
export class ListDataError extends VmsArchiveError {
  override name = 'ListDataError';
  constructor(message: string) {
    super(message, { code: 'ListDataInvalid', statusCode: 502 });
  }
}

/** `Data` of a list action: a JSON array, usually as a string. */
export function rowsOf(data: unknown, what: string): Record<string, unknown>[] {
  const rows = typeof data === 'string' ? (data.trim() === '' ? [] : parseLenientJson(data)) : data;
  if (rows === undefined || rows === null) return [];
  if (!Array.isArray(rows)) throw new ListDataError(`${what}: Data is not an array`);
  return rows as Record<string, unknown>[];
}

const refusesPageSize = (error: unknown) =>
  error instanceof DyvmsError && error.upstreamCode === 'isv.INVALID_PARAMETERS';

/**
 * Every row of a paged list action. The list APIs document no largest page and a server may
 * serve fewer rows than asked, so only an **empty** page ends the listing. A refused page
 * size is halved (the rows read so far map exactly onto the smaller pages), and a page that
 * repeats the one before (a server ignoring PageNo) stops the listing with a PagingError.
 */
export async function* readPages(
  fetchPage: (pageNo: number, pageSize: number) => Promise<unknown>,
  options: PageOptions,
): AsyncGenerator<Record<string, unknown>> {
  const maxPages = options.maxPages ?? 10_000;
  let pageSize = options.pageSize;
  let pageNo = 1;
  let previous: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages >= maxPages) {
      throw new PagingError(`${options.what}: no empty page after ${maxPages} pages`);
    }
    let data: unknown;
    try {
      data = await fetchPage(pageNo, pageSize);
    } catch (error: unknown) {
      if (!refusesPageSize(error) || pageSize <= 1) throw error;
      // Rows read so far: (pageNo - 1) * pageSize, which is 2 (pageNo - 1) pages of half.
      pageNo = 2 * (pageNo - 1) + 1;
      pageSize = Math.floor(pageSize / 2);
      continue;
    }
    const rows = rowsOf(data, `${options.what} page ${pageNo}`);
    if (rows.length === 0) return;
    const fingerprint = JSON.stringify(rows);
    if (fingerprint === previous) {
      throw new PagingError(
        `${options.what}: page ${pageNo} repeats page ${pageNo - 1} (the server ignores PageNo?)`,
      );
    }
    previous = fingerprint;
    yield* rows;
    pageNo++;
  }
}
