/**
 * What one doctor check answers: ok, FAIL with the one-line fix, or skip (nothing to check
 * here).
 */
export type CheckStatus = 'ok' | 'FAIL' | 'skip';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** One line: what to change. Only on FAIL. */
  fix?: string;
}

export const ok = (check: string, detail: string): CheckResult => ({
  check,
  status: 'ok',
  detail,
});
export const skip = (check: string, detail: string): CheckResult => ({
  check,
  status: 'skip',
  detail,
});
export const fail = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'FAIL',
  detail,
  fix,
});
