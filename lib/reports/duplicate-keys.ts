import { parse as parseExactJson } from 'lossless-json';

/** How many keys `value` holds, nested ones included; iterative, so depth costs no stack. */
function keyCount(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (const child of item) if (typeof child === 'object') stack.push(child);
      continue;
    }
    for (const key in item) {
      count++;
      const child = (item as Record<string, unknown>)[key];
      if (typeof child === 'object') stack.push(child);
    }
  }
  return count;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const isOpen = (c: number) => c === 0x5b || c === 0x7b; // [ {
const isClose = (c: number) => c === 0x5d || c === 0x7d; // ] }
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

interface SpelledElement {
  start: number;
  end: number;
  /** Keys written in it, nested ones included. */
  keys: number;
}

/**
 * Where each array or object element of the top-level array starts and ends, and how many
 * keys it spells, by one pass over the characters of valid JSON (strings skipped whole: a
 * bracket or colon inside one is text). A hand loop: a regex pass costs several times more
 * on a 1 MiB push, which has 700 ms in all.
 */
function scanElements(text: string): Map<number, SpelledElement> {
  const elements = new Map<number, SpelledElement>();
  let depth = 0;
  let index = 0;
  let current: SpelledElement | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== QUOTE)
        i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
      if (depth < 2 || !current) continue;
      let next = i + 1;
      while (isSpace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) === COLON) current.keys++;
    } else if (isOpen(c)) {
      if (++depth === 2) {
        current = { start: i, end: i, keys: 0 };
        elements.set(index, current);
      }
    } else if (isClose(c)) {
      if (depth-- === 2 && current) current.end = i + 1;
    } else if (c === COMMA && depth === 1) index++;
  }
  return elements;
}

/** The first key of `source` (one element) that appears twice in one object. */
function duplicatedKey(source: string): string | undefined {
  let key: string | undefined;
  try {
    parseExactJson(source, undefined, {
      parseNumber: (value: string) => value,
      onDuplicateKey: ({ key: name, newValue }) => {
        key ??= name;
        return newValue;
      },
    });
  } catch {
    return undefined;
  }
  return key;
}

/**
 * The elements of a push (parsed from `text` as `body`) in which a key appears twice in one
 * object, by index, with the key. JSON.parse lets the last value win and lossless-json
 * throws; neither is told to the caller, so both readings are checked the same way here:
 * the keys each element spells in the text (one pass, which skips strings) against
 * the keys it parsed to. Only a mismatch is read again, element by element, to name the key.
 */
export function duplicateKeys(text: string, body: readonly unknown[]): Map<number, string> {
  const found = new Map<number, string>();
  // A key written once per object parses to one key: equal counts mean no duplicate anywhere.
  const spelled = scanElements(text);
  let total = 0;
  for (const element of spelled.values()) total += element.keys;
  if (total === body.reduce<number>((sum, element) => sum + keyCount(element), 0)) return found;
  for (const [index, element] of spelled) {
    if (element.keys === keyCount(body[index])) continue;
    found.set(index, duplicatedKey(text.slice(element.start, element.end)) ?? '(a key)');
  }
  return found;
}
