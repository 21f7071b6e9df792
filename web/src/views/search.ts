import {
  type CallsPage,
  type ListedCall,
  type Overview,
  parseCallsPage,
  parseOverview,
  parseSession,
} from '../answers';
import { ApiError, el, getJson, SignInNeeded } from '../api';
import {
  bytes,
  chinaClock,
  chinaDateTime,
  chinaToday,
  duration,
  hangupWords,
  labelWords,
  resultWords,
} from '../format';
import { t } from '../i18n';
import { apiQuery, callLink, refOf, saveResult } from '../result';
import { freshView } from '../view-lifetime';

/** The filters `GET /archive/calls` takes, in the order the form shows them. */
const FILTERS = ['from', 'to', 'callee', 'text', 'taskId', 'result', 'label', 'recording'] as const;
type Filter = (typeof FILTERS)[number];
/** What a 400 may name that is another field's alias. */
const ALIASES: Record<string, Filter> = { date: 'from', q: 'callee' };

/**
 * The page's address says the whole search (`/app?from=…&to=…&callee=…&sort=…`), so a
 * search is a link to share; `/app?date=D` is one day, and `/app` today (China time).
 */
export function searchOf(params: URLSearchParams): URLSearchParams {
  const search = new URLSearchParams();
  const date = params.get('date');
  const from = params.get('from') || date || (params.get('to') ? '' : chinaToday());
  for (const name of FILTERS) {
    const value =
      name === 'from' ? from : name === 'to' ? params.get('to') || from : params.get(name);
    if (value) search.set(name, value.trim());
  }
  const sort = params.get('sort');
  if (sort && sort !== '-time') search.set('sort', sort);
  return search;
}

function formOf(search: URLSearchParams, submit: (next: URLSearchParams) => void) {
  const w = t().search;
  const form = el('form', { class: 'filters', role: 'search', novalidate: '' });
  const errors = new Map<Filter, HTMLElement>();
  const inputs = new Map<Filter, HTMLInputElement | HTMLSelectElement>();
  const field = (
    name: Filter,
    label: string,
    input: HTMLInputElement | HTMLSelectElement,
    hint?: string,
  ) => {
    input.name = name;
    input.id = `f-${name}`;
    input.value = search.get(name) ?? '';
    const error = el('span', { class: 'field-error', id: `e-${name}`, role: 'alert' });
    const described = [hint ? `h-${name}` : '', `e-${name}`].filter(Boolean).join(' ');
    input.setAttribute('aria-describedby', described);
    errors.set(name, error);
    inputs.set(name, input);
    form.append(
      el(
        'div',
        { class: `field field-${name}` },
        el('label', { for: input.id }, label),
        input,
        hint ? el('span', { class: 'hint', id: `h-${name}` }, hint) : '',
        error,
      ),
    );
  };
  field('from', w.from, el('input', { type: 'date' }));
  field('to', w.to, el('input', { type: 'date' }));
  field(
    'callee',
    w.callee,
    el('input', { type: 'search', inputmode: 'tel', autocomplete: 'off', size: '14' }),
    w.calleeHint,
  );
  field('text', w.text, el('input', { type: 'search', size: '14' }), w.textHint);
  field('taskId', w.taskId, el('input', { type: 'search', inputmode: 'numeric', size: '10' }));
  field('result', w.result, el('input', { type: 'search', size: '10' }));
  field('label', w.label, el('input', { type: 'search', size: '8' }));
  field(
    'recording',
    w.recording,
    el(
      'select',
      {},
      el('option', { value: '' }, w.recordingAny),
      el('option', { value: 'yes' }, w.recordingYes),
      el('option', { value: 'no' }, w.recordingNo),
    ),
  );
  const clear = el('a', { href: '/app', class: 'button secondary' }, w.clear);
  form.append(
    el('div', { class: 'field buttons' }, el('button', { type: 'submit' }, w.submit), clear),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form))
      if (String(value).trim()) next.set(name, String(value).trim());
    const sort = search.get('sort');
    if (sort) next.set('sort', sort);
    submit(next);
  });
  /** A 400 names its parameter: say it next to that field. */
  const showError = (error: ApiError): boolean => {
    const named = error.parameters
      .map((name) => ALIASES[name] ?? name)
      .filter((name): name is Filter => inputs.has(name as Filter));
    const first = named[0];
    if (!first) return false;
    for (const name of named) inputs.get(name)?.setAttribute('aria-invalid', 'true');
    const slot = errors.get(first);
    if (slot) slot.textContent = error.message;
    inputs.get(first)?.focus();
    return true;
  };
  return { form, showError };
}

type Column = keyof ReturnType<typeof t>['search']['columns'];
const COLUMNS: Column[] = [
  'time',
  'callee',
  'duration',
  'result',
  'labels',
  'hangupBy',
  'recording',
  'task',
];
const SORTABLE: Partial<Record<Column, 'time' | 'duration'>> = {
  time: 'time',
  duration: 'duration',
};

function headerOf(column: Column, search: URLSearchParams, resort: (sort: string) => void) {
  const w = t().search;
  const label = w.columns[column];
  const key = SORTABLE[column];
  if (!key) return el('th', { scope: 'col' }, label);
  const sort = search.get('sort') ?? '-time';
  const now = sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : 'none';
  const button = el(
    'button',
    { type: 'button', class: 'sort' },
    label,
    el(
      'span',
      { 'aria-hidden': 'true' },
      now === 'ascending' ? ' ▲' : now === 'descending' ? ' ▼' : ' ↕',
    ),
  );
  button.title = w.sortBy(label);
  button.addEventListener('click', () => resort(now === 'descending' ? key : `-${key}`));
  return el('th', { scope: 'col', 'aria-sort': now }, button);
}

function rowOf(call: ListedCall, oneDay: boolean): HTMLTableRowElement {
  const w = t().search;
  const cell = (column: Column, ...content: (Node | string)[]) =>
    el('td', { 'data-label': w.columns[column] }, ...content);
  const when = oneDay ? chinaClock(call.startedAt) : chinaDateTime(call.startedAt);
  return el(
    'tr',
    {},
    cell('time', el('a', { href: callLink(refOf(call)) }, when)),
    cell(
      'callee',
      call.callee || t().empty,
      call.held ? el('span', { class: 'held' }, w.held) : '',
    ),
    cell('duration', duration(call.durationSeconds)),
    cell('result', resultWords(call.callResult)),
    cell('labels', labelWords(call.labels)),
    cell('hangupBy', hangupWords(call.hangupBy)),
    cell('recording', call.recording ? bytes(call.recording.bytes) : w.noRecording),
    cell('task', call.taskId),
  );
}

function overviewOf(day: Overview): HTMLElement {
  const w = t().search.overview;
  const reasons = Object.entries(day.parkedReasons)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return el(
    'ul',
    { class: 'overview', 'aria-label': w.label },
    el('li', {}, w.archived(day.archived)),
    el('li', {}, w.withoutRecording(day.withoutRecording)),
    el('li', {}, `${w.parked(day.parked)}${reasons ? ` (${reasons})` : ''}`),
    el(
      'li',
      {},
      day.reconcile
        ? w.reconcile(day.reconcile.callsListed, day.reconcile.dispatched, day.reconcile.failed)
        : w.noReconcile,
    ),
  );
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
  const { form, showError } = formOf(search, go);
  const heading = oneDay ? w.headingDay(from) : from && to ? w.headingRange(from, to) : w.heading;
  document.title = t().app.title(heading);
  const status = el('p', { class: 'status', role: 'status' }, w.loading);
  const overview = el('div');
  const body = el('tbody');
  const resort = (sort: string) => {
    const next = new URLSearchParams(search);
    if (sort === '-time') next.delete('sort');
    else next.set('sort', sort);
    go(next);
  };
  const table = el(
    'table',
    { class: 'calls', 'aria-label': w.results },
    el('thead', {}, el('tr', {}, ...COLUMNS.map((c) => headerOf(c, search, resort)))),
    body,
  );
  const more = el('button', { type: 'button', class: 'more', hidden: '' }, w.more);
  const exportLink = el(
    'a',
    {
      href: `/archive/export.csv?${apiQuery(search.toString())}`,
      class: 'button secondary export',
    },
    w.export,
  );
  exportLink.setAttribute('title', w.exportHint);
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
  if (day) overview.replaceChildren(overviewOf(day));
  if ('error' in answer) {
    const { error } = answer;
    if (error instanceof ApiError && error.status === 400 && showError(error)) {
      status.textContent = w.fixField;
      table.hidden = true;
      exportLink.hidden = true;
      return;
    }
    throw error;
  }
  const { page } = answer;
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
      try {
        show(await getJson(`/archive/calls?${apiQuery(query, next.cursor ?? '')}`, parseCallsPage));
      } catch (error: unknown) {
        // An expired session: the page asks to sign in and comes back to this search.
        if (error instanceof SignInNeeded) location.reload();
        else status.textContent = error instanceof ApiError ? error.message : t().problems.failed;
      }
      more.disabled = false;
    };
  };
  show(page);
  // A key outside API_KEYS_EXPORT would get a 403 page: offer it no export.
  getJson('/app/session', parseSession).then(
    (me) => {
      if (me.mayExport === false) exportLink.hidden = true;
    },
    () => undefined,
  );
  if (refs.length) return;
  table.hidden = true;
  exportLink.hidden = true;
  const filtered = [...search.keys()].some(
    (name) => name !== 'from' && name !== 'to' && name !== 'sort',
  );
  if (oneDay && !filtered) {
    empty.append(el('p', {}, w.noCallsOnDay(from)));
    const latest = day?.latestDay;
    if (latest && latest !== from)
      empty.append(el('p', {}, el('a', { href: `/app?date=${latest}` }, w.latestDay(latest))));
    else if (!latest) empty.append(el('p', { class: 'muted' }, w.archiveEmpty));
  } else {
    empty.append(el('p', {}, w.noMatch), el('p', { class: 'muted' }, w.noMatchHint));
  }
}
