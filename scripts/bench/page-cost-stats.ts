/** Statistics for the page-cost figures and its log lines. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
export const median = (xs: readonly number[]) => percentile(xs, 50);
export const fmtMs = (xs: readonly number[]) => xs.map((x) => x.toFixed(1)).join(' ');
