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
});
