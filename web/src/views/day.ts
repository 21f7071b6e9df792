import { type DayPage, parseDayPage, parseOverview } from '../answers';
import { el, getJson } from '../api';

const FILTERS = ['taskId', 'result', 'label', 'recording', 'q'] as const;

/** A day's calls, newest first, with filters and a cursor; the URL says which (shareable). */
export async function dayView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const date = params.get('date') ?? '';
  const form = el('form', { class: 'filters', role: 'search' });
  const field = (name: string, label: string, input: HTMLInputElement | HTMLSelectElement) => {
    input.name = name;
    input.id = `f-${name}`;
    input.value = params.get(name) ?? '';
    form.append(el('label', { for: input.id }, label, input));
  };
  field('date', 'Day', el('input', { type: 'date', required: '' }));
  field('taskId', 'Task', el('input', { inputmode: 'numeric', size: '10' }));
  field('result', 'Result', el('input', { size: '10' }));
  field('label', 'Label', el('input', { size: '8' }));
  const recording = el(
    'select',
    {},
    el('option', { value: '' }, 'any'),
    el('option', { value: 'yes' }, 'with'),
    el('option', { value: 'no' }, 'without'),
  );
  field('recording', 'Recording', recording);
  field('q', 'Callee ends in', el('input', { inputmode: 'numeric', maxlength: '4', size: '5' }));
  form.append(el('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) next.set(name, String(value));
    history.pushState(null, '', `/app?${next}`);
    void dayView(root, next);
  });

  const overview = el('div', { class: 'overview', 'aria-label': 'Day overview' });
  const body = el('tbody');
  const table = el(
    'table',
    {},
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...[
          'Time',
          'Task',
          'Callee',
          'Duration',
          'Result',
          'Labels',
          'Hung up by',
          'Recording',
        ].map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    body,
  );
  const more = el('button', { type: 'button', hidden: '' }, 'More calls');
  const status = el('p', { class: 'muted', role: 'status' });
  root.replaceChildren(el('h1', {}, `Calls of ${date}`), form, overview, status, table, more);

  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  const [day, first] = await Promise.all([
    getJson(`/archive/days/${date}`, parseOverview),
    getJson(`/archive/days/${date}/calls?${query}`, parseDayPage),
  ]);
  const reasons = Object.entries(day.parkedReasons)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  overview.replaceChildren(
    el('span', {}, `Archived ${day.archived}`),
    el('span', {}, `Without recording ${day.withoutRecording}`),
    el('span', {}, `Parked ${day.parked}${reasons ? ` (${reasons})` : ''}`),
    el(
      'span',
      {},
      day.reconcile
        ? `Reconcile: ${day.reconcile.callsListed} listed, ${day.reconcile.dispatched} dispatched, ${day.reconcile.failed} failed`
        : 'Reconcile: no run for this day',
    ),
  );
  const show = (page: DayPage) => {
    for (const call of page.calls) {
      const link = el(
        'a',
        { href: `/app?call=${encodeURIComponent(`${call.taskId}/${date}/${call.callId}`)}` },
        call.startedAt?.slice(11, 19) ?? '—',
      );
      body.append(
        el(
          'tr',
          {},
          el('td', {}, link),
          el('td', {}, call.taskId),
          el('td', {}, call.held ? `${call.callee} (held)` : call.callee),
          el('td', {}, call.durationSeconds === null ? '—' : `${call.durationSeconds} s`),
          el('td', {}, call.callResult ?? '—'),
          el('td', {}, call.labels.join(', ') || '—'),
          el('td', {}, call.hangupBy ?? '—'),
          el('td', {}, call.recording ? `${Math.round(call.recording.bytes / 1024)} KB` : 'none'),
        ),
      );
    }
    status.textContent = `${page.totals.matching} of ${page.totals.archived} calls`;
    more.hidden = page.cursor === null;
    more.onclick = async () => {
      query.set('cursor', page.cursor ?? '');
      show(await getJson(`/archive/days/${date}/calls?${query}`, parseDayPage));
    };
  };
  show(first);
}
