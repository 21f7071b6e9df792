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
      const release = await limiter.take();
      starts.push(clock);
      release();
    }

    expect(starts.map(Math.round)).toEqual([0, 204, 408, 612, 816, 1020, 1224, 1428, 1632, 1836]);
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
      const release = await limiter.take();
      sends.push(clock);
      release();
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

  it('given requests that reach the upstream late (a busy loop between pacing and the wire), then no 1-second window of arrivals holds more than the rate', async () => {
    // A simulated clock and timer queue. Call i reaches the upstream `wire(i)` ms after it
    // was let go and is answered 5 ms later; the upstream counts arrivals.
    let clock = 0;
    const timers: { at: number; run: () => void }[] = [];
    const later = (ms: number, run: () => void) => timers.push({ at: clock + ms, run });
    const limiter = new RateLimiter(
      5,
      () => clock,
      (ms) => new Promise<void>((wake) => later(ms, wake)),
    );
    const wire = (i: number) => (i % 10 === 0 ? 150 : 0);
    const arrivals: number[] = [];
    const callers = Array.from({ length: 20 }, (_, i) =>
      limiter.take().then(
        (release) =>
          new Promise<void>((done) =>
            later(wire(i), () => {
              arrivals.push(clock);
              later(5, () => {
                if (typeof release === 'function') release();
                done();
              });
            }),
          ),
      ),
    );
    while (arrivals.length < 20 || timers.length > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) continue;
      clock = Math.max(clock, next.at);
      next.run();
    }
    await Promise.all(callers);

    const inOneSecond = (start: number) => arrivals.filter((t) => t >= start && t < start + 1000);
    expect(Math.max(...arrivals.map((t) => inOneSecond(t).length))).toBeLessThanOrEqual(5);
  });
});
