import type { DyvmsClient, DyvmsClientDeps, UpstreamHttpAnswer } from './client';
import { QueryRobotTaskListRequest } from './models';

/** One cheap call's outcome, failed or not, with the clocks on either side of it. */
export interface UpstreamPing {
  /** Where it went (`dyvmsapi.aliyuncs.com`). */
  host: string;
  /** This machine's clock when the request left and when the answer came. */
  sentAtMs: number;
  answeredAtMs: number;
  /** The upstream's `Date` header, when it answered at all (an error answer has one too). */
  date?: string;
  requestId?: string;
  /** What the call failed with; undefined when it answered `Code: OK`. */
  error?: unknown;
}

/**
 * One QueryRobotTaskList of one row: the cheapest signed call the archive's key makes (it
 * reads no call, counts one against the account's 100/s), to show the key works and to read
 * the upstream's clock. Never throws: a failure is in `error`.
 */
export async function pingDyvms(
  open: (deps: Pick<DyvmsClientDeps, 'onAnswer'>) => DyvmsClient,
  host: string,
  now: () => number = Date.now,
): Promise<UpstreamPing> {
  let answer: UpstreamHttpAnswer = {};
  const client = open({ onAnswer: (seen) => (answer = { ...seen }) });
  const sentAtMs = now();
  try {
    const body = await client.queryRobotTaskList(
      new QueryRobotTaskListRequest({ pageNo: 1, pageSize: 1 }),
    );
    return { host, sentAtMs, answeredAtMs: now(), date: answer.date, requestId: body.requestId };
  } catch (error: unknown) {
    return { host, sentAtMs, answeredAtMs: now(), date: answer.date, error };
  }
}
