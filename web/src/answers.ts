import * as z from 'zod/mini';
import type { CallSummary } from '../../lib/browse/call-summary';
import type { CallDetail, DialogTurn } from '../../lib/call-detail/schema';
import type { ArchivedDetail, StoredRecording } from '../../lib/layout/call-folder';

/**
 * The API's answers as the page reads them, one validator each, so a malformed answer is an
 * error naming its field, not a crash deep in a view. zod/mini, not zod: these validators add
 * 5.8 KB to the page's gzipped script (32.3 → 38.1 KB, gzip -9), where zod's chained API
 * would cost more. Maps are `catchall(object({}), …)`, not `record(…)`: the same check, and
 * zod's record code (~0.3 KB gzipped) stays out of the page. Each checks only the fields the
 * views use; other fields pass through untouched (loose objects), so the detail.json download
 * is the answer as it came. The calls and the archived call are typed by the server's own
 * types (lib's, narrowed to those fields), so those cannot drift; the overview, a page's
 * totals and the session are written here, from the routes the design page lists.
 */

/** A call as a list shows it (`GET /archive/calls` names each call's day). */
export type ListedCall = Omit<CallSummary, 'recording'> & {
  recording: Pick<NonNullable<CallSummary['recording']>, 'bytes'> | null;
};

/** `GET /archive/calls?…` (docs/design.md "Finding calls"). */
export interface CallsPage {
  calls: ListedCall[];
  cursor: string | null;
  totals: { matching: number };
}

/** `GET /archive/days/{date}`: the day at a glance. */
export interface Overview {
  archived: number;
  withoutRecording: number;
  parked: number;
  parkedReasons: Record<string, number>;
  reconcile: { callsListed: number; dispatched: number; failed: number } | null;
  latestDay?: string | null;
}

/** The call as its page shows it: the stored CallDetail less what the page never reads. */
type ShownDetail = Omit<CallDetail, 'dialogCount' | 'raw' | 'recording' | 'counts'> & {
  counts: Record<string, number | null>;
  recording: Pick<CallDetail['recording'], 'status'>;
};

/** `GET /archive/calls/{taskId}/{date}/{callId}`: the stored `detail.json` and URLs to play and download. */
export type ArchivedCall = Pick<ArchivedDetail, 'archivedAt'> & {
  call: ShownDetail;
  recording: Pick<StoredRecording, 'sha256' | 'bytes' | 'contentType' | 'storeTag'> | null;
  recordingUrl: string | null;
  /** The same recording as an attachment (Content-Disposition: attachment). */
  recordingDownloadUrl?: string | null;
  /** Kept by a hold (docs/design.md "Letting data go"), when browse says so. */
  held?: boolean;
};

/** `GET /app/session`: who is signed in; the page reads whether the key may export. */
export interface Session {
  mayExport?: boolean;
}

/** An answer that does not have the shape the page reads: names the first wrong field. */
export class MalformedAnswerError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`The answer's ${field} ${problem}`);
  }
}

const text = z.string();
const number = z.number();

const listedCall: z.ZodMiniType<ListedCall> = z.looseObject({
  date: text,
  taskId: text,
  callId: text,
  callee: text,
  startedAt: z.nullable(text),
  durationSeconds: z.nullable(number),
  callResult: z.nullable(text),
  labels: z.array(text),
  hangupBy: z.nullable(text),
  recording: z.nullable(z.looseObject({ bytes: number })),
  held: z.boolean(),
});

const callsPage: z.ZodMiniType<CallsPage> = z.looseObject({
  calls: z.array(listedCall),
  cursor: z.nullable(text),
  totals: z.looseObject({ matching: number }),
});

const overview: z.ZodMiniType<Overview> = z.looseObject({
  archived: number,
  withoutRecording: number,
  parked: number,
  parkedReasons: z.catchall(z.object({}), number),
  reconcile: z.nullable(z.looseObject({ callsListed: number, dispatched: number, failed: number })),
  latestDay: z.optional(z.nullable(text)),
});

const dialogTurn: z.ZodMiniType<DialogTurn> = z.looseObject({
  role: text,
  content: text,
  spokenAt: z.nullable(text),
});

const shownDetail: z.ZodMiniType<ShownDetail> = z.looseObject({
  taskId: text,
  callId: text,
  caller: z.nullable(text),
  callee: z.nullable(text),
  durationSeconds: z.nullable(number),
  labels: z.array(text),
  callResult: z.nullable(text),
  hangupBy: z.nullable(text),
  transfer: z.looseObject({
    status: z.nullable(text),
    number: z.nullable(text),
    failReason: z.nullable(text),
  }),
  recallCount: z.nullable(number),
  startedAt: z.nullable(text),
  endedAt: z.nullable(text),
  counts: z.catchall(z.object({}), z.nullable(number)),
  recording: z.looseObject({ status: text }),
  dialog: z.array(dialogTurn),
});

const archivedCall: z.ZodMiniType<ArchivedCall> = z.looseObject({
  archivedAt: text,
  call: shownDetail,
  recording: z.nullable(
    z.looseObject({ sha256: text, bytes: number, contentType: text, storeTag: z.optional(text) }),
  ),
  recordingUrl: z.nullable(text),
  recordingDownloadUrl: z.optional(z.nullable(text)),
  held: z.optional(z.boolean()),
});

const session: z.ZodMiniType<Session> = z.looseObject({ mayExport: z.optional(z.boolean()) });

/** What a failed check says: the field's path (`calls[0].taskId`) and what it should have been. */
function refusal(issue: z.core.$ZodIssue): MalformedAnswerError {
  const field = issue.path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i ? `.${String(key)}` : String(key)))
    .join('');
  const problem =
    issue.code === 'invalid_type'
      ? `should be ${issue.expected === 'nullable' ? 'null or a value' : issue.expected}`
      : `is not valid (${issue.code})`;
  return new MalformedAnswerError(field || 'body', problem);
}

/** A parser of one answer: the value with its type, or a MalformedAnswerError. */
export type AnswerParser<T> = (body: unknown) => T;

const parserOf =
  <T>(schema: z.ZodMiniType<T>): AnswerParser<T> =>
  (body) => {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const [issue] = parsed.error.issues;
    throw issue ? refusal(issue) : new MalformedAnswerError('body', 'is not valid');
  };

export const parseCallsPage = parserOf(callsPage);
export const parseOverview = parserOf(overview);
export const parseArchivedCall = parserOf(archivedCall);
export const parseSession = parserOf(session);

const errorBody = z.looseObject({ error: z.looseObject({ message: text }) });

/** The message of an error answer (`{"error":{"message":…}}`), when it has one. */
export function errorMessageOf(body: unknown): string | undefined {
  const parsed = errorBody.safeParse(body);
  return parsed.success ? parsed.data.error.message : undefined;
}
