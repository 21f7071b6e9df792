/**
 * Bookkeeping of one call: when it was over (answered, failed or given up on). The
 * upstream has seen a call by the time its answer is back, whatever the path in between.
 */
class Slot {
  doneAt: number | undefined;
  readonly done: Promise<void>;
  private resolve!: () => void;

  constructor() {
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  finish(at: number): void {
    if (this.doneAt !== undefined) return;
    this.doneAt = at;
    this.resolve();
  }
}

/**
 * Between our clock and the upstream's (milliseconds floored, wall clock against monotonic
 * clock): what a window of exactly one second could lose.
 */
const WINDOW_MS = 1000 + 5;

/**
 * Client-side pacing of Dyvmsapi calls (DYVMS_MAX_RPS, default 80 under the API's 100
 * calls/s per account), as the upstream counts them: calls *arriving* in any one-second
 * window. Calls are spaced a little over 1/rps apart (no burst), and a call goes out only
 * once the call `rps` calls before it is over and a second has passed since: that call
 * arrived before it was over, and this one arrives after it goes out, so the two are
 * always more than a second apart at the upstream, however late a busy event loop or the
 * network delivers either. The price is the calls' own latency: at 80/s with answers in
 * 20 ms, about 78/s.
 */
export class RateLimiter {
  private nextFree = 0;
  private readonly intervalMs: number;
  /** The last `ratePerSecond` calls that went out, oldest first. */
  private readonly recent: Slot[] = [];

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    // 2 % slower than the exact pace, so the spacing alone rarely meets the window.
    this.intervalMs = (1000 / ratePerSecond) * 1.02;
  }

  /**
   * Resolves when this call may go out, with the function to call once it is over
   * (answered or failed): until then it holds its place in the window. Each caller
   * reserves its own slot.
   */
  async take(): Promise<() => void> {
    const now = this.now();
    const at = Math.max(now, this.nextFree);
    this.nextFree = at + this.intervalMs;
    if (at > now) await this.sleep(at - now);
    for (;;) {
      const oldest = this.recent.length >= this.ratePerSecond ? this.recent[0] : undefined;
      if (oldest === undefined) break;
      if (oldest.doneAt === undefined) {
        await oldest.done;
        continue;
      }
      const wait = oldest.doneAt + WINDOW_MS - this.now();
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    // Checked and taken in one turn of the event loop: no other caller can come between.
    const slot = new Slot();
    this.recent.push(slot);
    if (this.recent.length > this.ratePerSecond) this.recent.shift();
    return () => slot.finish(this.now());
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
