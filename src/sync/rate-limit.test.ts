import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

describe('rate limiter', () => {
  it('starts at most 90 % of the limit in any window, waiting instead of failing', async () => {
    let t = 0;
    const starts: number[] = [];
    const limiter = createRateLimiter({ requests: 10, perMs: 1_000 }, { now: () => t, sleep: async (ms) => void (t += ms) });
    for (let i = 0; i < 30; i++) {
      await limiter.take();
      starts.push(t);
    }
    for (const s of starts) expect(starts.filter((x) => x >= s && x < s + 1_000).length).toBeLessThanOrEqual(9);
    expect(starts.at(-1)).toBe(3_000); // 30 calls at 9 per second: the 28th–30th start in the fourth second
  });
});
