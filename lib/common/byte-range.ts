/**
 * A `Range` request header read as RFC 9110 §14 says, for a representation of `size` bytes.
 * - `whole`: no Range, no unit or another one (which a server MUST ignore), or several ranges (which
 *   a server MAY ignore: media players ask for one, and a multipart answer buys nothing);
 * - `slice`: one satisfiable range, `end` clipped to the last byte;
 * - `unsatisfiable`: a `bytes` range that is malformed, reversed (`100-5`: last < first is
 *   invalid, §14.1.1), starts at or past the end, or asks for a zero-length suffix: 416 with
 *   `Content-Range: bytes *\/size` (§14.2, §15.5.17).
 */
export type ByteRange =
  | { kind: 'whole' }
  | { kind: 'slice'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const UNIT = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=(.*)$/;
const SPEC = /^\s*(\d*)-(\d*)\s*$/;

export function parseByteRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined || header.trim() === '') return { kind: 'whole' };
  const unit = UNIT.exec(header);
  // No unit at all, or one we do not know: not a range request we understand.
  if (unit?.[1]?.toLowerCase() !== 'bytes') return { kind: 'whole' };
  const specs = (unit[2] ?? '').split(',').filter((spec) => spec.trim() !== '');
  if (specs.length === 0) return { kind: 'unsatisfiable' };
  const ranges = specs.map((spec) => sliceOf(spec, size));
  if (ranges.some((range) => range === 'invalid')) return { kind: 'unsatisfiable' };
  const satisfiable = ranges.filter((range) => range !== 'invalid' && range !== undefined);
  if (satisfiable.length === 0) return { kind: 'unsatisfiable' };
  if (specs.length > 1) return { kind: 'whole' };
  return satisfiable[0] ?? { kind: 'unsatisfiable' };
}

/** One range-spec: its slice, undefined when it is valid but past the end, or `invalid`. */
function sliceOf(
  spec: string,
  size: number,
): { kind: 'slice'; start: number; end: number } | undefined | 'invalid' {
  const match = SPEC.exec(spec);
  const first = match?.[1] ?? '';
  const last = match?.[2] ?? '';
  if (!match || (first === '' && last === '')) return 'invalid';
  const number = (digits: string) =>
    digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits);
  if (first === '') {
    // A suffix: the last N bytes (all of them when N is larger than the representation).
    const length = number(last);
    if (length === 0 || size === 0) return undefined;
    return { kind: 'slice', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = number(first);
  if (last !== '' && number(last) < start) return 'invalid';
  if (start >= size) return undefined;
  return { kind: 'slice', start, end: last === '' ? size - 1 : Math.min(number(last), size - 1) };
}
