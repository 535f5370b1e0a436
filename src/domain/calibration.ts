import { insightsStrings } from '../i18n/insights';

const m = insightsStrings.calibration;

/**
 * Tie the SQL-ready threshold to sales capacity (domain brief: "low volume and spare capacity → lower
 * threshold; high volume → higher"). Pure arithmetic over the scores of leads that arrived in a past
 * period: the manager sees what a threshold would have passed to the reps, and why it was suggested.
 */

export interface SqlThresholdInput {
  /** Scores (0–100) of the leads that arrived over the period. */
  scores: readonly number[];
  periodWeeks: number;
  reps: number;
  leadsPerRepPerWeek: number;
  /** Lowest threshold to suggest; default 40 (below that a lead is not SQL material whatever the capacity). */
  min?: number;
  /** Highest threshold to suggest; default 90. */
  max?: number;
}

export interface SqlThresholdSuggestion {
  threshold: number;
  /** Leads a week at or above the threshold over the period (may be fractional). */
  passedPerWeek: number;
  /** reps × leadsPerRepPerWeek. */
  capacityPerWeek: number;
  reason: string;
}

export const DEFAULT_MIN_THRESHOLD = 40;
export const DEFAULT_MAX_THRESHOLD = 90;

/** Absorbs float noise such as 3 × 3.3 = 9.899999999999999 at the exact-capacity boundary. */
const EPSILON = 1e-9;

function positive(name: string, value: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  }
}

function thresholdBound(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= 100)) {
    throw new RangeError(`${name} must be a whole number from 0 to 100, got ${String(value)}`);
  }
}

function checkScores(scores: readonly number[]): void {
  if (!Array.isArray(scores)) throw new RangeError('scores must be a list of numbers');
  const bad = scores.findIndex((s) => typeof s !== 'number' || !Number.isFinite(s));
  if (bad >= 0) throw new RangeError(`scores[${bad}] must be a finite number, got ${String(scores[bad])}`);
}

/** Leads at or above a threshold ("passed" = would have gone to sales as SQL-ready). */
function countPassed(scores: readonly number[], threshold: number): number {
  let n = 0;
  for (const s of scores) if (s >= threshold) n++;
  return n;
}

/** One decimal at most, no trailing ".0": "12.5", "20". Keeps the reason readable. */
function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * The lowest whole-number threshold in [min, max] whose weekly pass volume fits the team's capacity
 * (at or below it). Lowest, because every lead the reps have time for should reach them. If even `max`
 * passes more than the team can work, `max` is returned and the reason says capacity is short.
 * Throws a RangeError naming the field for invalid input.
 */
export function suggestSqlThreshold(input: SqlThresholdInput): SqlThresholdSuggestion {
  const { scores, periodWeeks, reps, leadsPerRepPerWeek } = input;
  const min = input.min ?? DEFAULT_MIN_THRESHOLD;
  const max = input.max ?? DEFAULT_MAX_THRESHOLD;
  checkScores(scores);
  positive('periodWeeks', periodWeeks);
  positive('reps', reps);
  positive('leadsPerRepPerWeek', leadsPerRepPerWeek);
  thresholdBound('min', min);
  thresholdBound('max', max);
  if (min > max) throw new RangeError(`min (${min}) must not be above max (${max})`);

  const capacityPerWeek = reps * leadsPerRepPerWeek;
  const perWeek = (threshold: number) => countPassed(scores, threshold) / periodWeeks;
  const fits = (threshold: number) => perWeek(threshold) <= capacityPerWeek + EPSILON;

  for (let threshold = min; threshold <= max; threshold++) {
    if (!fits(threshold)) continue;
    const passedPerWeek = perWeek(threshold);
    const reason =
      threshold === min
        ? m.spareCapacity(min, num(passedPerWeek), num(capacityPerWeek))
        : m.fitsCapacity(threshold, num(passedPerWeek), num(capacityPerWeek), threshold - 1, num(perWeek(threshold - 1)));
    return { threshold, passedPerWeek, capacityPerWeek, reason };
  }

  const passedPerWeek = perWeek(max);
  return {
    threshold: max,
    passedPerWeek,
    capacityPerWeek,
    reason: m.overCapacity(max, num(passedPerWeek), num(capacityPerWeek)),
  };
}

/**
 * How many of the given leads would have been passed at each threshold. `difference` is
 * passedAtTo − passedAtFrom: negative when raising the threshold (fewer leads reach sales).
 */
export function thresholdEffect(
  scores: readonly number[],
  from: number,
  to: number,
): { passedAtFrom: number; passedAtTo: number; difference: number } {
  checkScores(scores);
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${String(value)}`);
  }
  const passedAtFrom = countPassed(scores, from);
  const passedAtTo = countPassed(scores, to);
  return { passedAtFrom, passedAtTo, difference: passedAtTo - passedAtFrom };
}
