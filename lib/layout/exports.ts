import { PREFIXES } from './prefixes';

/**
 * Browse's CSV exports (docs/design.md "Finding calls"): `_exports/date={D}/{id}.csv`, `D`
 * the export's day in Asia/Shanghai. An export lives a day: the URL that fetches it, five
 * minutes.
 */
export const EXPORTS_PREFIX = PREFIXES.exports;

export const EXPORT_ID = /^[0-9]{13}-[0-9a-f]{12}$/;

export const exportKey = (date: string, id: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !EXPORT_ID.test(id))
    throw new TypeError(`not an export: ${date}/${id}`);
  return `${EXPORTS_PREFIX}date=${date}/${id}.csv`;
};

/** `date=2019-06-14` (a folder under `_exports/`) → `2019-06-14`; undefined for anything else. */
export const exportDayOfFolder = (folder: string): string | undefined =>
  /^(?:_exports\/)?date=(\d{4}-\d{2}-\d{2})\/?$/.exec(folder)?.[1];

/** Whether `key` is an export (served as CSV by browse's signed route). */
export const isExportKey = (key: string): boolean =>
  /^_exports\/date=\d{4}-\d{2}-\d{2}\/[0-9]{13}-[0-9a-f]{12}\.csv$/.test(key);

export const CSV_TYPE = 'text/csv; charset=utf-8';
