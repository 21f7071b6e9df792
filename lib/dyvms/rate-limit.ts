/**
 * Client-side pacing of Dyvmsapi calls (DYVMS_MAX_RPS, default 80 under the API's 100
 * calls/s per account). Calls are spaced a little over 1/rps apart, with no burst, so no
 * one-second window of this process holds more than rps calls.
 */
export class RateLimiter {
  private nextFree = 0;
  private readonly intervalMs: number;
  /** When the last `ratePerSecond` calls actually went out, oldest first. */
  private readonly sent: number[] = [];

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    // 2 % slower than the exact pace: the upstream counts calls as they arrive, and
    // network jitter can otherwise land rps + 1 of them in one second.
    this.intervalMs = (1000 / ratePerSecond) * 1.02;
  }

  /** Resolves when this call may go out. Each caller reserves its own slot. */
  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextFree);
    this.nextFree = at + this.intervalMs;
    if (at > now) await this.sleep(at - now);
    // A busy event loop wakes sleepers late, and then the reserved slots fire together:
    // a load test saw 81 calls in one second at 80/s. So a call also waits until the one
    // `ratePerSecond` calls back is a window old; the window is 4 % over a second, for the
    // time between taking a slot and the request reaching the wire.
    const windowMs = 1000 * 1.04;
    for (;;) {
      const t = this.now();
      const oldest = this.sent.length >= this.ratePerSecond ? this.sent[0] : undefined;
      if (oldest === undefined || t - oldest >= windowMs) {
        this.sent.push(t);
        if (this.sent.length > this.ratePerSecond) this.sent.shift();
        return;
      }
      await this.sleep(oldest + windowMs - t);
    }
  }
}

const PROCESS_LIMITERS = Symbol.for('vms-call-archive.dyvms-rate-limiters');

/**
 * The one pacer of this process for `ratePerSecond`. DYVMS_MAX_RPS is per process, not per
 * client: a client rebuilt for rotated FC credentials, or a second function bundle loaded
 * into the same process (serverless offline runs lookup and reports in one), shares it.
 */
export function processRateLimiter(ratePerSecond: number): RateLimiter {
  const scope = globalThis as { [PROCESS_LIMITERS]?: Map<number, RateLimiter> };
  scope[PROCESS_LIMITERS] ??= new Map();
  const limiters = scope[PROCESS_LIMITERS];
  let limiter = limiters.get(ratePerSecond);
  if (!limiter) {
    limiter = new RateLimiter(ratePerSecond);
    limiters.set(ratePerSecond, limiter);
  }
  return limiter;
}
