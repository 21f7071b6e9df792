import { ApiError, el } from '../api';
import { t } from '../i18n';
import { loadResult } from '../result';
import { freshView } from '../view-lifetime';

/**
 * What went wrong, in words, with a way back: to the result the reviewer came from, to the
 * call's day when the link names one, and to the search.
 */
export function problemView(root: HTMLElement, error: unknown, day?: string): void {
  freshView();
  const w = t().problems;
  const status = error instanceof ApiError ? error.status : undefined;
  const words =
    status === 404
      ? w.notFoundCall
      : status === 400
        ? w.badLink
        : status === 403
          ? w.forbidden
          : error instanceof TypeError
            ? w.network
            : w.failed;
  const detail =
    error instanceof ApiError && status !== undefined && status < 500 ? error.message : '';
  const ways = el('ul', { class: 'ways' });
  const result = loadResult();
  if (result)
    ways.append(el('li', {}, el('a', { href: `/app?${result.search}` }, t().call.backToResult)));
  if (day && /^\d{4}-\d{2}-\d{2}$/.test(day))
    ways.append(el('li', {}, el('a', { href: `/app?date=${day}` }, t().call.backToDay(day))));
  ways.append(el('li', {}, el('a', { href: '/app' }, w.backToSearch)));
  const retry = el('button', { type: 'button', class: 'secondary' }, w.retry);
  retry.addEventListener('click', () => location.reload());
  document.title = t().app.title(words);
  root.replaceChildren(
    el('h1', {}, words),
    detail ? el('p', { class: 'muted' }, detail) : '',
    ways,
    status && status < 500 ? '' : retry,
  );
}
