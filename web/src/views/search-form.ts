import type { ApiError } from '../api';
import { el } from '../api';
import { chinaToday } from '../format';
import { t } from '../i18n';

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

type Control = [Filter, string, HTMLInputElement | HTMLSelectElement, string?];

/** Every field of the form, in its order: name, label, input, hint. */
function controlsOf(): Control[] {
  const w = t().search;
  return [
    ['from', w.from, el('input', { type: 'date' })],
    ['to', w.to, el('input', { type: 'date' })],
    [
      'callee',
      w.callee,
      el('input', { type: 'search', inputmode: 'tel', autocomplete: 'off', size: '14' }),
      w.calleeHint,
    ],
    ['text', w.text, el('input', { type: 'search', size: '14' }), w.textHint],
    ['taskId', w.taskId, el('input', { type: 'search', inputmode: 'numeric', size: '10' })],
    ['result', w.result, el('input', { type: 'search', size: '10' })],
    ['label', w.label, el('input', { type: 'search', size: '8' })],
    [
      'recording',
      w.recording,
      el(
        'select',
        {},
        el('option', { value: '' }, w.recordingAny),
        el('option', { value: 'yes' }, w.recordingYes),
        el('option', { value: 'no' }, w.recordingNo),
      ),
    ],
  ];
}

/** One field: its label, the input, its hint and the slot its error shows in. */
function fieldOf([name, label, input, hint]: Control, value: string) {
  input.name = name;
  input.id = `f-${name}`;
  input.value = value;
  const error = el('span', { class: 'field-error', id: `e-${name}`, role: 'alert' });
  const described = [hint ? `h-${name}` : '', `e-${name}`].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', described);
  const element = el(
    'div',
    { class: `field field-${name}` },
    el('label', { for: input.id }, label),
    input,
    hint ? el('span', { class: 'hint', id: `h-${name}` }, hint) : '',
    error,
  );
  return { element, error };
}

/** The search form; `showError` says a 400's message next to the field it names. */
export function formOf(search: URLSearchParams, submit: (next: URLSearchParams) => void) {
  const w = t().search;
  const form = el('form', { class: 'filters', role: 'search', novalidate: '' });
  const errors = new Map<Filter, HTMLElement>();
  const inputs = new Map<Filter, HTMLInputElement | HTMLSelectElement>();
  for (const control of controlsOf()) {
    const [name, , input] = control;
    const { element, error } = fieldOf(control, search.get(name) ?? '');
    errors.set(name, error);
    inputs.set(name, input);
    form.append(element);
  }
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
