/**
 * Client-side pacing of Dyvmsapi calls (DYVMS_MAX_RPS, default 80 under the API's 100
 * calls/s per account). Calls are spaced 1/rps apart, with no burst, so no one-second
 * window of this process ever holds more than rps (+1 at the window's edge) calls.
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
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Resolves when this call may go out. Each caller reserves its own slot. */
  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextFree);
    this.nextFree = at + this.intervalMs;
    if (at > now) await this.sleep(at - now);
  }
}
