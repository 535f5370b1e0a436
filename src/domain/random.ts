/**
 * A tiny seeded pseudo-random generator for generated data (seeded dispositions, benches): the same seed
 * always gives the same sequence, so a test or a bench run can be reproduced. Not for anything secret.
 * `scripts/demo-crm/seed.ts` keeps its own copy because `src` must not import from `scripts`.
 */

/** A function returning numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: 32 bits of state, fast, good enough for test data. */
export function mulberry32(seed: number): Random {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element, uniformly. The list must not be empty. */
export function pick<T>(rnd: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick: empty list');
  return items[Math.floor(rnd() * items.length)]!;
}

/** One element, with the given relative weights (non-negative, not all zero). */
export function pickWeighted<T>(rnd: Random, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
  if (!(total > 0)) throw new RangeError('pickWeighted: weights must add up to more than 0');
  let roll = rnd() * total;
  for (const [item, w] of entries) {
    roll -= Math.max(0, w);
    if (roll < 0) return item;
  }
  return entries.at(-1)![0];
}

/** A whole number from min to max, both inclusive. */
export function intBetween(rnd: Random, min: number, max: number): number {
  return min + Math.floor(rnd() * (max - min + 1));
}

/** True with probability p. */
export function chance(rnd: Random, p: number): boolean {
  return rnd() < p;
}
