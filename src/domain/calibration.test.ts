import { describe, expect, it } from 'vitest';
import { suggestSqlThreshold, thresholdEffect } from './calibration';

const repeat = (score: number, times: number) => Array.from({ length: times }, () => score);

describe('suggestSqlThreshold', () => {
  it('drops to the minimum when the team has spare capacity', () => {
    // Capacity 2 × 5 = 10 a week; at 40 all 4 leads pass over 2 weeks = 2 a week.
    const s = suggestSqlThreshold({ scores: [45, 50, 70, 90], periodWeeks: 2, reps: 2, leadsPerRepPerWeek: 5 });
    expect(s).toMatchObject({ threshold: 40, passedPerWeek: 2, capacityPerWeek: 10 });
    expect(s.reason).toBe("Spare capacity: even at the minimum of 40, 2 leads a week would pass, within the team's capacity of 10.");
  });

  it('takes the minimum with no leads at all', () => {
    expect(suggestSqlThreshold({ scores: [], periodWeeks: 1, reps: 1, leadsPerRepPerWeek: 1 })).toMatchObject({ threshold: 40, passedPerWeek: 0 });
  });

  it('rises with heavy volume to the lowest threshold that fits', () => {
    // Capacity 1 × 2 = 2 a week over 1 week. ≥80 passes 95, 90, 80 = 3 (too many); ≥81 passes 95, 90 = 2.
    const s = suggestSqlThreshold({ scores: [95, 90, 80, 70, 65, 64, 50, 41], periodWeeks: 1, reps: 1, leadsPerRepPerWeek: 2 });
    expect(s).toMatchObject({ threshold: 81, passedPerWeek: 2, capacityPerWeek: 2 });
    expect(s.reason).toBe('81 is the lowest threshold that fits capacity: 2 leads a week would pass against a capacity of 2 (at 80, 3).');
  });

  it('accepts a volume exactly at capacity', () => {
    // Capacity 2 a week over 4 weeks = 8 leads. At 59: 9 leads (2.25 a week, over); at 60: 8 (2 a week, fits).
    const s = suggestSqlThreshold({ scores: [...repeat(60, 8), 59], periodWeeks: 4, reps: 2, leadsPerRepPerWeek: 1 });
    expect(s).toMatchObject({ threshold: 60, passedPerWeek: 2, capacityPerWeek: 2 });
    expect(s.reason).toContain('(at 59, 2.3)'); // 2.25 shown with one decimal
  });

  it('is not fooled by float noise at the exact-capacity boundary', () => {
    // 3 × 3.3 = 9.899999999999999 in floating point; 99 leads over 10 weeks = 9.9 a week must still fit.
    const s = suggestSqlThreshold({ scores: [...repeat(70, 99), 50], periodWeeks: 10, reps: 3, leadsPerRepPerWeek: 3.3 });
    expect(s.threshold).toBe(51);
    expect(s.passedPerWeek).toBe(9.9);
  });

  it('returns the maximum and says so when even that overflows capacity', () => {
    const s = suggestSqlThreshold({ scores: [95, 95, 95], periodWeeks: 1, reps: 1, leadsPerRepPerWeek: 2 });
    expect(s).toMatchObject({ threshold: 90, passedPerWeek: 3, capacityPerWeek: 2 });
    expect(s.reason).toBe(
      "Over capacity: even at the maximum of 90, 3 leads a week would pass, more than the team's capacity of 2. " +
        'Add reps or capacity, or allow a higher maximum.',
    );
  });

  it('respects a custom range, including a single value', () => {
    const scores = [30, 50, 65, 75];
    // Capacity 1: ≥60 passes 65, 75 (2); ≥66 passes 75 (1).
    expect(suggestSqlThreshold({ scores, periodWeeks: 1, reps: 1, leadsPerRepPerWeek: 1, min: 60, max: 70 }).threshold).toBe(66);
    // Spare capacity: the custom minimum, not the default 40.
    expect(suggestSqlThreshold({ scores, periodWeeks: 1, reps: 1, leadsPerRepPerWeek: 10, min: 20, max: 70 }).threshold).toBe(20);
    expect(suggestSqlThreshold({ scores, periodWeeks: 1, reps: 1, leadsPerRepPerWeek: 1, min: 55, max: 55 })).toMatchObject({ threshold: 55, passedPerWeek: 2 });
  });

  it('rejects invalid input with a message naming the field', () => {
    const ok = { scores: [50], periodWeeks: 1, reps: 1, leadsPerRepPerWeek: 1 };
    const cases: [Partial<typeof ok> & { min?: number; max?: number }, string][] = [
      [{ periodWeeks: 0 }, 'periodWeeks must be a positive number, got 0'],
      [{ reps: -1 }, 'reps must be a positive number, got -1'],
      [{ leadsPerRepPerWeek: Number.NaN }, 'leadsPerRepPerWeek must be a positive number, got NaN'],
      [{ periodWeeks: Number.POSITIVE_INFINITY }, 'periodWeeks must be a positive number, got Infinity'],
      [{ scores: [50, Number.NaN] }, 'scores[1] must be a finite number, got NaN'],
      [{ min: 40.5 }, 'min must be a whole number from 0 to 100, got 40.5'],
      [{ max: 101 }, 'max must be a whole number from 0 to 100, got 101'],
      [{ min: 70, max: 60 }, 'min (70) must not be above max (60)'],
    ];
    for (const [patch, message] of cases) {
      const call = () => suggestSqlThreshold({ ...ok, ...patch });
      expect(call).toThrow(RangeError);
      expect(call).toThrow(message);
    }
  });
});

describe('thresholdEffect', () => {
  const scores = [10, 59, 60, 64, 65, 90];

  it('counts leads passed at each threshold (at or above)', () => {
    // ≥60: 60, 64, 65, 90 = 4; ≥65: 65, 90 = 2.
    expect(thresholdEffect(scores, 60, 65)).toEqual({ passedAtFrom: 4, passedAtTo: 2, difference: -2 });
    expect(thresholdEffect(scores, 65, 60)).toEqual({ passedAtFrom: 2, passedAtTo: 4, difference: 2 });
    expect(thresholdEffect(scores, 60, 60)).toEqual({ passedAtFrom: 4, passedAtTo: 4, difference: 0 });
  });

  it('handles no scores and rejects bad thresholds', () => {
    expect(thresholdEffect([], 40, 90)).toEqual({ passedAtFrom: 0, passedAtTo: 0, difference: 0 });
    expect(() => thresholdEffect(scores, Number.NaN, 60)).toThrow('from must be a finite number, got NaN');
    expect(() => thresholdEffect([Number.NaN], 50, 60)).toThrow(RangeError);
  });
});
