import { ForbiddenError } from '../errors';
import type { AccessAudit } from '../layout/access-audit';
import { filtersTarget } from '../layout/access-audit';
import { CSV_TYPE } from '../layout/exports';
import { loadHoldSet } from '../layout/hold-set';
import { recordingCounts } from './archive-view';
import type { BrowseDeps } from './browse-deps';
import type { BrowseCaller } from './caller';
import { writeExport } from './export-calls';
import { findCalls, type ListView } from './find-calls';
import { daySearchOf, searchOf } from './search-params';
import { signedFilePath } from './session';

/** What a finding route knows of its request. */
export interface SearchContext {
  caller: BrowseCaller;
  audit: AccessAudit;
  now: number;
  query: Record<string, string | undefined>;
}

/** Full numbers for the keys allowed, and the holds in force (one listing of `_holds/`). */
async function viewOf(deps: BrowseDeps, caller: BrowseCaller): Promise<ListView> {
  return { fullNumbers: caller.seesNumbers, holds: await loadHoldSet(deps.store, deps.hashSecret) };
}

/** `GET /archive/days/{date}/calls`: one day's search, with the day's totals; audited `search`. */
export async function dayCalls(deps: BrowseDeps, date: string, context: SearchContext) {
  const search = daySearchOf(date, context.query);
  const { from: _from, to: _to, ...filters } = search.filters;
  context.audit.record(context.caller.name, 'search', filtersTarget({ date, ...filters }));
  const { days, ...page } = await findCalls(
    deps.store,
    search,
    await viewOf(deps, context.caller),
    {
      scope: `day:${date}`,
      columns: ['recording_bytes'],
    },
  );
  return {
    ...page,
    totals: { ...recordingCounts(days[0]?.rows ?? []), matching: page.totals.matching },
  };
}

/** `GET /archive/calls`: a search across days; audited `search`. */
export async function searchCalls(deps: BrowseDeps, context: SearchContext) {
  const search = searchOf(context.query);
  context.audit.record(
    context.caller.name,
    'search',
    filtersTarget({ ...search.filters, sort: search.sort }),
  );
  const { days: _days, ...page } = await findCalls(
    deps.store,
    search,
    await viewOf(deps, context.caller),
  );
  return page;
}

/**
 * `GET /archive/export.csv`: writes the search's calls to `_exports/` and answers the URL
 * that fetches it for 5 minutes (presigned, or browse's signed route); audited `export`.
 */
export async function exportSearch(deps: BrowseDeps, context: SearchContext): Promise<string> {
  const { caller, now } = context;
  const { filters } = searchOf({ ...context.query, cursor: undefined });
  if (!caller.mayExport)
    throw new ForbiddenError('This key may not export (API_KEYS_EXPORT names the keys that may)');
  const written = await writeExport(deps.store, filters, { fullNumbers: caller.seesNumbers, now });
  context.audit.record(
    caller.name,
    'export',
    filtersTarget({
      ...filters,
      rows: written.rows,
      fullNumbers: caller.seesNumbers ? 'yes' : undefined,
    }),
  );
  const name = `calls-${filters.from}${filters.to === filters.from ? '' : `-${filters.to}`}.csv`;
  return (
    (await deps.store.readUrl(written.key, 300, { contentType: CSV_TYPE, attachment: name })) ??
    signedFilePath(deps.sessionSecret, written.key, now, 300, true)
  );
}
