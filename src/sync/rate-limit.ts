/**
 * A sliding-window limiter: at most `requests` calls start in any `perMs` window. The sync loop wraps
 * each CRM's fetch with one, so batches stay under the CRM's documented limit instead of meeting 429s.
 */
export function createRateLimiter(limit: { requests: number; perMs: number }, clock: { now: () => number; sleep: (ms: number) => Promise<void> }) {
  // A 10 % margin: the CRM counts arrivals, we count departures, and the network jitters between them.
  const allowed = Math.max(1, Math.floor(limit.requests * 0.9));
  const starts: number[] = [];
  return {
    async take(): Promise<void> {
      for (;;) {
        const now = clock.now();
        while (starts.length && starts[0]! <= now - limit.perMs) starts.shift();
        if (starts.length < allowed) {
          starts.push(now);
          return;
        }
        await clock.sleep(starts[0]! + limit.perMs - now);
      }
    },
    /** Calls started in the current window (for tests and the bench). */
    inWindow: () => starts.filter((t) => t > clock.now() - limit.perMs).length,
  };
}
