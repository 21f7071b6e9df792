import { el } from '../api';
import { t } from '../i18n';
import { callLink, extendResult, loadResult, type StoredResult } from '../result';

/** Where this call sits in the stored result, and the links to its neighbours. */
export async function neighbours(
  ref: string,
): Promise<{ result: StoredResult; index: number } | undefined> {
  let result = loadResult();
  if (!result) return undefined;
  let index = result.refs.indexOf(ref);
  if (index < 0) return undefined;
  if (index === result.refs.length - 1 && result.cursor) {
    try {
      result = await extendResult(result);
      index = result.refs.indexOf(ref);
    } catch {
      // the rest of the result stays out of reach; the listed calls still link
    }
  }
  return { result, index };
}

/** The way back (to the result, else the call's day) and the previous / next call of the result. */
export function navOf(date: string, place: { result: StoredResult; index: number } | undefined) {
  const nav = el('nav', { class: 'call-nav', 'aria-label': t().call.details });
  nav.append(
    place
      ? el('a', { href: `/app?${place.result.search}` }, t().call.backToResult)
      : el('a', { href: `/app?date=${date}` }, t().call.backToDay(date)),
  );
  let previous: string | undefined;
  let next: string | undefined;
  if (place) {
    const { refs, matching } = place.result;
    previous = refs[place.index - 1];
    next = refs[place.index + 1];
    const step = el('span', { class: 'step' });
    step.append(
      previous
        ? el('a', { href: callLink(previous), rel: 'prev' }, t().call.previous)
        : el('span', { class: 'muted' }, t().call.previous),
      el(
        'span',
        { class: 'muted' },
        t().call.inResult(place.index + 1, Math.max(matching, refs.length)),
      ),
      next
        ? el('a', { href: callLink(next), rel: 'next' }, t().call.next)
        : el('span', { class: 'muted' }, t().call.next),
    );
    nav.append(step);
  }
  return { nav, previous, next };
}
