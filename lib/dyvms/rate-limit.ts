/**
 * Client-side pacing of Dyvmsapi calls (DYVMS_MAX_RPS, default 80 under the API's 100
 * calls/s per account). Calls are spaced a little over 1/rps apart, with no burst, so no
 * one-second window of this process holds more than rps calls.
 */
export class RateLimiter {
  private nextFree = 0;
  private readonly intervalMs: number;

  constructor(
    ratePerSecond: number,
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
  }
}
