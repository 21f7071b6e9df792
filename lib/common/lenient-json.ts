/**
 * Reads the JSON the Voice Service documents and sends, which is not always JSON.
 *
 * The seed's table example of `Data` has curly quotes (sometimes “ closing a key, or a
 * string opened with " and closed with ”), full-width `：` and `，` between fields, an
 * unquoted phone number (`0571-88336676`) and markdown escapes (`\{`, `\_`). We repair
 * those **outside string values only**: `邀约，有房，无车` inside a value stays as is.
 *
 * Integers beyond 2^53 (task and call ids) would be rounded by JSON.parse, so bare integer
 * tokens that are not safe integers are turned into strings, digit for digit.
 */

import { VmsArchiveError } from '../errors';

const QUOTES = new Set(['"', '\u201c', '\u201d']);
const STRUCTURAL_AFTER_VALUE = new Set([':', '\uff1a', '}', ']']);
const COMMAS = new Set([',', '\uff0c']);
const VALID_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

/** Text that even the repair cannot read as JSON. */
export class LenientJsonError extends VmsArchiveError {
  override name = 'LenientJsonError';
  constructor(message: string) {
    super(message, { code: 'InvalidJson' });
  }
}

const isSpace = (ch: string | undefined) =>
  ch !== undefined && (ch === '\u3000' || ch === '\u00a0' || /\s/.test(ch));

/**
 * A curly or mismatched quote ends a string only where a field boundary follows: `:`, `}`,
 * `]`, end of text, or a comma followed by the next quoted key or value. A quote inside
 * Chinese text (`他说“你好”，然后`) is followed by neither, so it stays content.
 */
function closesString(text: string, from: number): boolean {
  let k = from;
  while (isSpace(text[k])) k++;
  const ch = text[k];
  if (ch === undefined || STRUCTURAL_AFTER_VALUE.has(ch)) return true;
  if (!COMMAS.has(ch)) return false;
  k++;
  while (isSpace(text[k])) k++;
  const next = text[k];
  return next === undefined || QUOTES.has(next) || next === '{' || next === '[' || next === '\\';
}

function readString(text: string, start: number): { json: string; end: number } {
  const opener = text[start];
  let content = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined) break;
      // `\_` and `\*` are markdown escapes, not JSON ones: keep the character.
      content += VALID_ESCAPES.has(next) ? `\\${next}` : escapeChar(next);
      i += 2;
      continue;
    }
    if (QUOTES.has(ch)) {
      const exactClose = opener === '"' && ch === '"';
      if (exactClose || closesString(text, i + 1)) return { json: `"${content}"`, end: i + 1 };
      content += ch === '"' ? '\\"' : ch;
      i++;
      continue;
    }
    content += escapeChar(ch);
    i++;
  }
  throw new LenientJsonError(`unterminated string starting at position ${start}`);
}

function escapeChar(ch: string): string {
  if (ch === '"') return '\\"';
  if (ch === '\\') return '\\\\';
  const code = ch.charCodeAt(0);
  return code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const BARE_END = /[\s,:{}[\]\uff0c\uff1a\u3000"\u201c\u201d]/;

function bareToken(token: string): string {
  if (token === 'true' || token === 'false' || token === 'null') return token;
  if (JSON_NUMBER.test(token)) {
    const isInteger = /^-?\d+$/.test(token);
    if (!isInteger || Number.isSafeInteger(Number(token))) return token;
  }
  // An unquoted phone number (`0571-88336676`), an id beyond 2^53 or a bare word: a string.
  return JSON.stringify(token);
}

/** Rewrites near-JSON into JSON text; throws LenientJsonError where it cannot. */
export function repairJson(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (QUOTES.has(ch)) {
      const { json, end } = readString(text, i);
      out += json;
      i = end;
    } else if (ch === '\uff1a') {
      out += ':';
      i++;
    } else if (ch === '\uff0c') {
      out += ',';
      i++;
    } else if (isSpace(ch)) {
      out += ' ';
      i++;
    } else if ('{}[]:,'.includes(ch)) {
      out += ch;
      i++;
    } else if (ch === '\\' && '{}[]'.includes(text[i + 1] ?? '')) {
      // markdown-escaped bracket
      i++;
    } else {
      let j = i;
      while (j < text.length && !BARE_END.test(text[j] as string)) j++;
      if (j === i) throw new LenientJsonError(`unexpected character ${ch} at position ${i}`);
      out += bareToken(text.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** JSON.parse after repair, with big integers kept as strings. */
export function parseLenientJson(text: string): unknown {
  // Fast path: the live API sends valid JSON, and with no run of 16+ digits no integer
  // can be beyond 2^53, so JSON.parse is exact. Only the rest goes through the repair.
  if (!/\d{16}/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON as it stands: repair below
    }
  }
  const repaired = repairJson(text);
  try {
    return JSON.parse(repaired);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LenientJsonError(`not JSON even after repair: ${reason}`);
  }
}
