import * as z from 'zod';
import { reasonOf } from '../../errors';
import { type CheckResult, fail, ok, skip } from './check-result';

/** The Voice Service waits 700 ms for the push's answer (docs/design.md "HTTP contracts"). */
const PUSH_DEADLINE_MS = 700;

/** The push URL answers an empty push `[]` with `{"code":0,…}`, as the Voice Service wants. */
export async function checkPush(
  pushUrl: string | undefined,
  post: typeof fetch,
  now: () => number,
): Promise<CheckResult> {
  const check = 'push';
  if (!pushUrl)
    return skip(
      check,
      'no --push-url given (the URL the Voice Service pushes to, /reports/{token})',
    );
  const shown = maskToken(pushUrl);
  const started = now();
  let answer: { status: number; text: string };
  try {
    answer = await postEmptyPush(pushUrl, post);
  } catch (error: unknown) {
    return fail(
      check,
      `${shown}: no answer (${reasonOf(error instanceof Error && error.cause ? error.cause : error)})`,
      'the URL is not reachable from here: check its host, the stage and that the stack is deployed',
    );
  }
  return judgePush(shown, answer, now() - started);
}

/** POST `[]` as the Voice Service would; the answer's status and its first 300 characters. */
async function postEmptyPush(
  pushUrl: string,
  post: typeof fetch,
): Promise<{ status: number; text: string }> {
  const response = await post(pushUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '[]',
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, text: (await response.text()).slice(0, 300) };
}

/** What the push receiver's answer to `[]` says about the URL, `ms` after it was sent. */
function judgePush(
  shown: string,
  { status, text }: { status: number; text: string },
  ms: number,
): CheckResult {
  const check = 'push';
  if (status === 404)
    return fail(
      check,
      `${shown} answered 404`,
      'the last path segment is not REPORTS_TOKEN: use …/reports/{the REPORTS_TOKEN of this deployment}',
    );
  const code = codeOf(text);
  if (status !== 200 || code !== 0)
    return fail(
      check,
      `${shown} answered ${status}: ${text}`,
      status === 503
        ? 'the push receiver cannot dispatch: see the dispatch check and its log'
        : 'this is not the reports function: the URL must be POST {the stack’s HTTP API}/reports/{REPORTS_TOKEN}',
    );
  const slow =
    ms > PUSH_DEADLINE_MS
      ? ` (over the ${PUSH_DEADLINE_MS} ms the Voice Service waits: a cold start? run again)`
      : '';
  return ok(check, `${shown} answered {"code":0} in ${ms} ms${slow}`);
}

/** The push receiver's answer, as far as the doctor reads it. */
const PushAnswerSchema = z.object({ code: z.unknown().optional() });

/** The `code` field of a JSON answer; undefined when the answer is not a JSON object. */
function codeOf(text: string): unknown {
  try {
    const answer = PushAnswerSchema.safeParse(JSON.parse(text));
    return answer.success ? answer.data.code : undefined;
  } catch {
    return undefined;
  }
}

/** The token is a secret: shown as `/reports/****`. */
const maskToken = (url: string): string => url.replace(/\/reports\/[^/?#]+/, '/reports/****');
