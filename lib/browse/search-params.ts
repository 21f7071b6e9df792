import { canonicalTaskId, isCallDay, TASK_ID } from '../call-detail/identity';
import { type CallFilters, normalizedCallee } from '../call-index/call-filters';
import { BadRequestError } from '../errors';
import { CALL_SORTS, type CallSearch, type CallSort } from './find-calls';

/** The widest search: 92 days, a quarter, inclusive. */
export const MAX_DAYS = 92;
const DAY_MS = 86_400_000;

type Query = Record<string, string | undefined>;

const given = (query: Query, name: string): string | undefined => {
  const value = query[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

function day(value: string, name: string): string {
  if (!isCallDay(value))
    throw new BadRequestError(
      `${name}: a day, YYYY-MM-DD (got ${JSON.stringify(value.slice(0, 40))})`,
    );
  return value;
}

function part(query: Query, name: string, max = 64): string | undefined {
  const value = given(query, name);
  if (value !== undefined && value.length > max)
    throw new BadRequestError(`${name}: at most ${max} characters`);
  return value;
}

/**
 * `callee` (or the day list's `q`): exactly 4 digits match the last four; 5 to 32 the whole
 * number once `+86`, `-` and spaces are removed. Anything else is a 400 naming it, never a
 * silent cut.
 */
function callee(query: Query, name: string): string | undefined {
  const value = given(query, name);
  if (value === undefined) return undefined;
  const digits = normalizedCallee(value);
  if (!/^\d{4,32}$/.test(digits) || value.length > 40)
    throw new BadRequestError(
      `${name}: 4 digits (the last four) or a whole number of 5 to 32 digits (+86, - and spaces allowed)`,
    );
  return digits;
}

/** The filters every list takes (docs/design.md "Finding calls"), but the days. */
function commonFilters(query: Query, calleeName: string): Omit<CallFilters, 'from' | 'to'> {
  const taskId = given(query, 'taskId');
  if (taskId !== undefined && !TASK_ID.test(taskId))
    throw new BadRequestError('taskId: 1 to 20 digits');
  const recording = given(query, 'recording');
  if (recording !== undefined && recording !== 'yes' && recording !== 'no')
    throw new BadRequestError('recording: yes or no');
  return {
    taskId: taskId === undefined ? undefined : canonicalTaskId(taskId),
    result: part(query, 'result'),
    label: part(query, 'label'),
    recording,
    callee: callee(query, calleeName),
    text: part(query, 'text', 200),
  };
}

/** Which parameter names the callee: `callee`, or its alias `q` (never both). */
function calleeParameter(query: Query): 'callee' | 'q' {
  const q = given(query, 'q') !== undefined;
  if (q && given(query, 'callee') !== undefined)
    throw new BadRequestError('q: give callee or q, not both');
  return q ? 'q' : 'callee';
}

function sortOf(query: Query): CallSort {
  const sort = given(query, 'sort') ?? '-time';
  if (!(CALL_SORTS as readonly string[]).includes(sort))
    throw new BadRequestError(`sort: one of ${CALL_SORTS.join(', ')}`);
  return sort as CallSort;
}

function cursorOf(query: Query): string | undefined {
  const cursor = given(query, 'cursor');
  if (cursor !== undefined && !/^[A-Za-z0-9_-]{1,600}$/.test(cursor))
    throw new BadRequestError('cursor: not one of ours');
  return cursor;
}

/** `GET /archive/calls` and the export: `from` required, `to` defaulting to it, 92 days at most. */
export function searchOf(query: Query): CallSearch {
  const fromValue = given(query, 'from');
  if (fromValue === undefined) throw new BadRequestError('from: required, a day YYYY-MM-DD');
  const from = day(fromValue, 'from');
  const to = day(given(query, 'to') ?? from, 'to');
  if (from > to) throw new BadRequestError(`from, to: from ${from} is after to ${to}`);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days > MAX_DAYS)
    throw new BadRequestError(`from, to: at most ${MAX_DAYS} days at once (asked ${days})`);
  return {
    filters: { from, to, ...commonFilters(query, calleeParameter(query)) },
    sort: sortOf(query),
    cursor: cursorOf(query),
  };
}

/** `GET /archive/days/{date}/calls`: the same filters for one day; `q` is `callee`'s alias. */
export function daySearchOf(date: string, query: Query): CallSearch {
  const filters = commonFilters(query, calleeParameter(query));
  return {
    filters: { from: date, to: date, ...filters },
    sort: sortOf(query),
    cursor: cursorOf(query),
  };
}
