import type { ListedCall } from '../answers';
import { el } from '../api';
import {
  bytes,
  chinaClock,
  chinaDateTime,
  duration,
  hangupWords,
  labelWords,
  resultWords,
} from '../format';
import { t } from '../i18n';
import { callLink, refOf } from '../result';

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

/** One listed call: the time links to its page; a day's list shows the clock alone. */
export function rowOf(call: ListedCall, oneDay: boolean): HTMLTableRowElement {
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

/** The result's table (cards on phones), its headers sorting by time or duration; rows go in `body`. */
export function resultTableOf(search: URLSearchParams, resort: (sort: string) => void) {
  const body = el('tbody');
  const table = el(
    'table',
    { class: 'calls', 'aria-label': t().search.results },
    el('thead', {}, el('tr', {}, ...COLUMNS.map((c) => headerOf(c, search, resort)))),
    body,
  );
  return { table, body };
}
