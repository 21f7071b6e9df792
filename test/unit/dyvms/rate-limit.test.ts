import { RateLimiter } from '../../../lib/dyvms/rate-limit';

describe('RateLimiter', () => {
  it('given 10 calls at once at 5 per second, then they are spaced just over 200 ms apart and never 6 in one second', async () => {
    let clock = 0;
    const starts: number[] = [];
    const limiter = new RateLimiter(
      5,
      () => clock,
      async (ms) => {
        clock += ms; // single caller at a time below, so advancing the clock is exact
      },
    );

    for (let i = 0; i < 10; i++) {
      await limiter.take();
      starts.push(clock);
    }

    expect(starts.map(Math.round)).toEqual([0, 204, 408, 612, 816, 1040, 1244, 1448, 1652, 1856]);
    for (const start of starts) {
      expect(starts.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(5);
    }
  });

  it('given concurrent callers, then each reserves its own later slot', async () => {
    const waits: number[] = [];
    const limiter = new RateLimiter(
      10,
      () => 0,
      async (ms) => {
        waits.push(ms);
      },
    );

    await Promise.all([limiter.take(), limiter.take(), limiter.take()]);

    expect(waits).toEqual([102, 204]);
  });

  it('given the event loop stalls and sleepers wake late together, then still never more than the rate in one second', async () => {
    // A simulated clock: timers due while the loop is "blocked" (100 to 1000 ms) fire at 1000.
    let clock = 0;
    const timers: { at: number; wake: () => void }[] = [];
    const limiter = new RateLimiter(
      5,
      () => clock,
      (ms) =>
        new Promise<void>((wake) => {
          const due = clock + ms;
          timers.push({ at: due >= 100 && due < 1000 ? 1000 : due, wake });
        }),
    );
    const sends: number[] = [];
    const callers = Array.from({ length: 15 }, async () => {
      await limiter.take();
      sends.push(clock);
    });
    while (sends.length < 15) {
      await new Promise((resolve) => setImmediate(resolve));
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) continue;
      clock = Math.max(clock, next.at);
      next.wake();
    }
    await Promise.all(callers);

    const inOneSecond = (start: number) => sends.filter((t) => t >= start && t < start + 1000);
    expect(Math.max(...sends.map((t) => inOneSecond(t).length))).toBeLessThanOrEqual(5);
    expect(sends.filter((t) => t === 1000).length).toBeGreaterThan(1); // the stall did bunch them
  });
});
