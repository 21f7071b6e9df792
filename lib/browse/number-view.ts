import { maskPhone } from '../log';

/**
 * A stored call as a caller without API_KEYS_SEE_NUMBERS may see it: every string that is
 * the callee's number (the normalized `callee`, `raw.callee`, any other upstream field that
 * repeats it) shown masked, `138****0001`. The caller's own line (`caller`) is the
 * company's and stays.
 */
export function withCalleeMasked<T>(value: T, callee: string | null | undefined): T {
  if (!callee) return value;
  const masked = maskPhone(callee);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return node === callee ? masked : node;
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([name, item]) => [name, walk(item)]));
    return node;
  };
  return walk(value) as T;
}
