import type { Overview } from '../answers';
import { el } from '../api';
import { t } from '../i18n';

/** One day at a glance: archived, without recording, parked (by reason), the last reconcile. */
export function overviewOf(day: Overview): HTMLElement {
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

/**
 * What an empty result says: a day without calls links the latest day that has some (or says
 * the archive is empty); a filtered search says nothing matched and how to widen it.
 */
export function emptyOf(search: URLSearchParams, oneDay: boolean, day?: Overview): HTMLElement[] {
  const w = t().search;
  const from = search.get('from') ?? '';
  const filtered = [...search.keys()].some(
    (name) => name !== 'from' && name !== 'to' && name !== 'sort',
  );
  if (!oneDay || filtered)
    return [el('p', {}, w.noMatch), el('p', { class: 'muted' }, w.noMatchHint)];
  const said = [el('p', {}, w.noCallsOnDay(from))];
  const latest = day?.latestDay;
  if (latest && latest !== from)
    said.push(el('p', {}, el('a', { href: `/app?date=${latest}` }, w.latestDay(latest))));
  else if (!latest) said.push(el('p', { class: 'muted' }, w.archiveEmpty));
  return said;
}
