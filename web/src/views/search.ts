import { type CallsPage, parseCallsPage, parseOverview } from '../answers';
import { ApiError, el, getJson, SignInNeeded } from '../api';
import { t } from '../i18n';
import { apiQuery, refOf, saveResult } from '../result';
import { freshView } from '../view-lifetime';
import { resultTableOf, rowOf } from './result-table';
import { exportLinkOf, offerExportToWhoMay } from './search-export';
import { formOf, searchOf } from './search-form';
import { emptyOf, overviewOf } from './search-summary';

/** The search page's parts, drawn before its answers arrive. */
function drawSearch(
  root: HTMLElement,
  search: URLSearchParams,
  heading: string,
  go: (next: URLSearchParams) => void,
) {
  const w = t().search;
  const { form, showError } = formOf(search, go);
  document.title = t().app.title(heading);
  const status = el('p', { class: 'status', role: 'status' }, w.loading);
  const overview = el('div');
  const resort = (sort: string) => {
    const next = new URLSearchParams(search);
    if (sort === '-time') next.delete('sort');
    else next.set('sort', sort);
    go(next);
  };
  const { table, body } = resultTableOf(search, resort);
  const more = el('button', { type: 'button', class: 'more', hidden: '' }, w.more);
  const exportLink = exportLinkOf(search);
  const empty = el('div', { class: 'empty' });
  root.replaceChildren(
    el('h1', {}, heading),
    form,
    overview,
    el('div', { class: 'result-bar' }, status, exportLink),
    empty,
    table,
    more,
  );
  return { showError, status, overview, table, body, more, exportLink, empty };
}
type SearchParts = ReturnType<typeof drawSearch>;

/**
 * Shows the first page of calls and, on "more", the next ones; keeps the result so far for
 * the call page's previous / next. Returns the refs listed (it grows as pages come).
 */
function showPages(
  first: CallsPage,
  { query, search, oneDay }: { query: string; search: URLSearchParams; oneDay: boolean },
  { body, status, more }: SearchParts,
): string[] {
  const w = t().search;
  const refs: string[] = [];
  const show = (next: CallsPage) => {
    for (const call of next.calls) {
      body.append(rowOf(call, oneDay));
      refs.push(refOf(call));
    }
    const { matching } = next.totals;
    status.textContent = refs.length ? w.range(1, refs.length, matching) : w.none;
    saveResult({
      query,
      search: search.toString(),
      refs: [...refs],
      cursor: next.cursor,
      matching,
    });
    more.hidden = !next.cursor;
    more.onclick = async () => {
      more.disabled = true;
      const firstNew = body.rows.length;
      try {
        show(await getJson(`/archive/calls?${apiQuery(query, next.cursor ?? '')}`, parseCallsPage));
        // The button goes with the last page: focus moves on to the first call it brought.
        if (more.hidden) body.rows[firstNew]?.querySelector('a')?.focus();
      } catch (error: unknown) {
        // An expired session: the page asks to sign in and comes back to this search.
        if (error instanceof SignInNeeded) location.reload();
        else status.textContent = error instanceof ApiError ? error.message : t().problems.failed;
      }
      more.disabled = false;
    };
  };
  show(first);
  return refs;
}

/** Finding calls: the filters, the day at a glance (one day), the calls as a table (cards on phones). */
export async function searchView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  freshView();
  const w = t().search;
  const search = searchOf(params);
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? from;
  const oneDay = from === to && from !== '';
  const go = (next: URLSearchParams) => {
    history.pushState(null, '', `/app?${next}`);
    void searchView(root, next);
  };
  const heading = oneDay ? w.headingDay(from) : from && to ? w.headingRange(from, to) : w.heading;
  const parts = drawSearch(root, search, heading, go);

  const query = apiQuery(search.toString());
  const [answer, day] = await Promise.all([
    getJson(`/archive/calls?${query}`, parseCallsPage).then(
      (page) => ({ page }),
      (error: unknown) => ({ error }),
    ),
    oneDay
      ? getJson(`/archive/days/${encodeURIComponent(from)}`, parseOverview).catch(() => undefined)
      : undefined,
  ]);
  if (day) parts.overview.replaceChildren(overviewOf(day));
  if ('error' in answer) {
    const { error } = answer;
    if (error instanceof ApiError && error.status === 400 && parts.showError(error)) {
      parts.status.textContent = w.fixField;
      parts.table.hidden = true;
      parts.exportLink.hidden = true;
      return;
    }
    throw error;
  }
  const refs = showPages(answer.page, { query, search, oneDay }, parts);
  offerExportToWhoMay(parts.exportLink);
  if (refs.length) return;
  parts.table.hidden = true;
  parts.exportLink.hidden = true;
  parts.empty.append(...emptyOf(search, oneDay, day));
}
