import { parseCallsPage } from './answers';
import { getJson } from './api';

/** `{taskId}/{date}/{callId}`: how the page names one call (`/app?call=…`). */
export const refOf = (call: { taskId: string; date: string; callId: string }) =>
  `${call.taskId}/${call.date}/${call.callId}`;

export const callLink = (ref: string) => `/app?call=${encodeURIComponent(ref)}`;

/**
 * The current result, kept in sessionStorage so the call page can open the previous and
 * next call of it: the search (its query string), the calls listed so far, and the cursor
 * to the rest.
 */
export interface StoredResult {
  /** The route's query (its filters; the cursor apart). */
  query: string;
  /** The page's own query: the way back to the result (`/app?…`). */
  search: string;
  refs: string[];
  cursor: string | null;
  matching: number;
}

const KEY = 'vca.result';

export function saveResult(result: StoredResult): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(result));
  } catch {
    // storage full or off: previous / next are not offered
  }
}

export function loadResult(): StoredResult | undefined {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (!value || typeof value !== 'object') return undefined;
    const { query, search, refs, cursor, matching } = value as Partial<StoredResult>;
    if (typeof query !== 'string' || typeof search !== 'string' || !Array.isArray(refs))
      return undefined;
    return {
      search,
      query,
      refs: refs.filter((ref): ref is string => typeof ref === 'string'),
      cursor: typeof cursor === 'string' ? cursor : null,
      matching: typeof matching === 'number' ? matching : refs.length,
    };
  } catch {
    return undefined;
  }
}

/** The search's filters without its cursor: the API's query for the next page. */
export function apiQuery(query: string, cursor?: string): string {
  const params = new URLSearchParams(query);
  params.delete('cursor');
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/** Loads the next page of the stored result (when the call page walks past the last listed). */
export async function extendResult(result: StoredResult): Promise<StoredResult> {
  if (!result.cursor) return result;
  const page = await getJson(
    `/archive/calls?${apiQuery(result.query, result.cursor)}`,
    parseCallsPage,
  );
  const next = {
    ...result,
    refs: [...result.refs, ...page.calls.map(refOf)],
    cursor: page.cursor,
    matching: page.totals.matching,
  };
  saveResult(next);
  return next;
}
