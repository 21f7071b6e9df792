export interface RetryPolicy {
  maxAttempts: number;
  /** First backoff ceiling; doubles each attempt (exponential backoff, full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryDeps {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` up to `maxAttempts` times while `isRetryable` says so, sleeping a random
 * time in [0, min(maxDelay, base * 2^n)) between tries ("full jitter", which spreads a
 * fleet's retries instead of synchronising them against a throttled API).
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: RetryPolicy,
  deps: RetryDeps = {},
): Promise<T> {
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error: unknown) {
      if (n >= policy.maxAttempts || !isRetryable(error)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      const delayMs = Math.floor(random() * ceiling);
      deps.onRetry?.(error, n, delayMs);
      await sleep(delayMs);
    }
  }
}
