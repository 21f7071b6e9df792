import { withRetry } from '../../../lib/common/retry';

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

describe('withRetry', () => {
  it('given failures that are retryable, then it sleeps with capped full jitter and returns the success', async () => {
    const delays: number[] = [];
    let calls = 0;

    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw new Error('transient');
        return 'ok';
      },
      () => true,
      policy,
      { sleep: async (ms) => void delays.push(ms), random: () => 0.999 },
    );

    expect(result).toBe('ok');
    // ceilings 100, 200, then capped at 250: full jitter stays below each
    expect(delays).toEqual([99, 199, 249]);
  });

  it('given a non-retryable failure, then it throws at once', async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw new Error('fatal');
      },
      () => false,
      policy,
      { sleep: async () => undefined },
    );

    await expect(failing).rejects.toThrow('fatal');
    expect(calls).toBe(1);
  });

  it('given failures on every attempt, then it stops after maxAttempts with the last error', async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw new Error(`attempt ${calls}`);
      },
      () => true,
      policy,
      { sleep: async () => undefined },
    );

    await expect(failing).rejects.toThrow('attempt 4');
    expect(calls).toBe(4);
  });
});
