import { parseByteRange } from '../../../lib/common/byte-range';

const SIZE = 1000;

describe('a Range header read as RFC 9110 says (a representation of 1000 bytes)', () => {
  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=100-', 100, 999],
    ['bytes=990-5000', 990, 999],
    ['bytes=-100', 900, 999],
    ['bytes=-5000', 0, 999],
    ['bytes=999-999', 999, 999],
    ['Bytes = 5-6 ', 5, 6],
    ['bytes=7-8,', 7, 8],
  ])('given %s, then it is the slice %i-%i', (header, start, end) => {
    expect(parseByteRange(header, SIZE)).toEqual({ kind: 'slice', start, end });
  });

  it.each([
    ['reversed', 'bytes=100-5'],
    ['not numbers', 'bytes=abc'],
    ['a bare dash', 'bytes=-'],
    ['no range at all', 'bytes='],
    ['a first byte with no dash', 'bytes=5'],
    ['a negative first byte', 'bytes=-5-10'],
    ['starting at the end', 'bytes=1000-'],
    ['starting past the end', 'bytes=5000-6000'],
    ['a zero-length suffix', 'bytes=-0'],
    ['a number past 2^53', 'bytes=99999999999999999999-'],
    ['several ranges, one reversed', 'bytes=0-1,9-3'],
    ['several ranges, all past the end', 'bytes=2000-2001,3000-'],
  ])('given a bytes range %s (%s), then it is unsatisfiable (416)', (_name, header) => {
    expect(parseByteRange(header, SIZE)).toEqual({ kind: 'unsatisfiable' });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another unit', 'items=0-5'],
    ['no unit', 'abc'],
    ['several ranges', 'bytes=0-1,5-6'],
    ['several ranges, one past the end', 'bytes=0-1,5000-'],
  ])(
    'given %s, then the whole representation is answered (the header is ignored)',
    (_name, header) => {
      expect(parseByteRange(header, SIZE)).toEqual({ kind: 'whole' });
    },
  );

  it('given an empty representation, then any bytes range is unsatisfiable and no range is whole', () => {
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange(undefined, 0)).toEqual({ kind: 'whole' });
  });
});
