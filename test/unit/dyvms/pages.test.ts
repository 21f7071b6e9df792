import { DyvmsError } from '../../../lib/dyvms/dyvms-error';
import { ListDataError, PagingError, readPages, rowsOf } from '../../../lib/dyvms/pages';

const ROWS = Array.from({ length: 45 }, (_, i) => ({ n: i }));

/** A list action over ROWS that serves at most `serveAtMost` rows and refuses sizes over `refuseOver`. */
function server(options: { serveAtMost?: number; refuseOver?: number; ignorePageNo?: boolean }) {
  const asked: [number, number][] = [];
  const fetch = async (pageNo: number, pageSize: number) => {
    asked.push([pageNo, pageSize]);
    if (options.refuseOver !== undefined && pageSize > options.refuseOver) {
      throw new DyvmsError({
        kind: 'client',
        upstreamCode: 'isv.INVALID_PARAMETERS',
        upstreamMessage: 'PageSize too large',
      });
    }
    // A server with a smaller page than asked pages by its own size.
    const size = Math.min(pageSize, options.serveAtMost ?? pageSize);
    const start = options.ignorePageNo ? 0 : (pageNo - 1) * size;
    return JSON.stringify(ROWS.slice(start, start + size));
  };
  return { fetch, asked };
}

async function all(fetch: (pageNo: number, pageSize: number) => Promise<unknown>, pageSize = 50) {
  const rows: unknown[] = [];
  for await (const row of readPages(fetch, { pageSize, what: 'test list' })) rows.push(row);
  return rows;
}

describe('readPages', () => {
  it('given a server that serves at most 7 rows whatever is asked, then a short page is not the end: rows come until an empty page', async () => {
    const { fetch } = server({ serveAtMost: 7 });

    expect(await all(fetch, 50)).toEqual(ROWS);
  });

  it('given a server that refuses page sizes over 20, then the size is halved and every row is read once', async () => {
    const { fetch, asked } = server({ refuseOver: 20 });

    expect(await all(fetch, 50)).toEqual(ROWS);
    expect(asked.slice(0, 3)).toEqual([
      [1, 50],
      [1, 25],
      [1, 12],
    ]);
  });

  it('given a server that ignores PageNo, then the listing stops with a clear error', async () => {
    const { fetch } = server({ ignorePageNo: true });

    await expect(all(fetch, 10)).rejects.toThrow(PagingError);
    await expect(all(fetch, 10)).rejects.toThrow(/page 2 repeats page 1/);
  });
});

describe('rowsOf', () => {
  it('given list Data that is not an array, then it throws the listing error (502), not a call detail error', () => {
    let caught: unknown;
    try {
      rowsOf('{"a":1}', 'QueryRobotTaskCallList of task 1');
    } catch (error: unknown) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ListDataError);
    expect(caught).toMatchObject({
      name: 'ListDataError',
      code: 'ListDataInvalid',
      statusCode: 502,
      message: 'QueryRobotTaskCallList of task 1: Data is not an array',
    });
  });
});
