import { parseSession } from '../answers';
import { el, getJson } from '../api';
import { t } from '../i18n';
import { apiQuery } from '../result';

/** The link to the search's CSV (`GET /archive/export.csv?…`, the same filters). */
export function exportLinkOf(search: URLSearchParams): HTMLAnchorElement {
  const w = t().search;
  const link = el(
    'a',
    {
      href: `/archive/export.csv?${apiQuery(search.toString())}`,
      class: 'button secondary export',
    },
    w.export,
  );
  link.setAttribute('title', w.exportHint);
  return link;
}

/** A key outside API_KEYS_EXPORT would get a 403 page: offer it no export. */
export function offerExportToWhoMay(link: HTMLElement): void {
  getJson('/app/session', parseSession).then(
    (me) => {
      if (me.mayExport === false) link.hidden = true;
    },
    () => undefined,
  );
}
