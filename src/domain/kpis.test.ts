import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { benchmarks, compareToBenchmark, computeKpis, percentile, type KpiRow } from './kpis';

const sla = defaultConfig().sla; // 5 min contact requests, 240 min MQLs, 24 h disposition
const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const ago = (ms: number) => iso(NOW - ms);
let seq = 0;
const row = (r: Partial<KpiRow>): KpiRow => ({ leadId: `lead_${++seq}`, ...r });

/** Every number anywhere in the result, to prove no NaN or Infinity leaks out. */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbers);
  return [];
}

describe('percentile (nearest rank)', () => {
  it('is null without values', () => {
    expect(percentile([], 50)).toBeNull();
  });

  it('picks the value at rank ceil(p/100 × n), from unsorted input', () => {
    const values = [4, 1, 3, 2];
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 25)).toBe(1); // rank 1
    expect(percentile(values, 26)).toBe(2); // rank ceil(1.04) = 2
    expect(percentile(values, 50)).toBe(2); // rank 2: the lower middle, a real value
    expect(percentile(values, 90)).toBe(4); // rank ceil(3.6) = 4
    expect(percentile(values, 100)).toBe(4);
    expect(values).toEqual([4, 1, 3, 2]); // not sorted in place
  });

  it('returns the only value for a single one', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('rejects p outside 0–100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow('p must be between 0 and 100, got -1');
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('computeKpis: funnel, outcomes and reasons', () => {
  // a–i: see the counts below for which row falls where.
  const rows: KpiRow[] = [
    row({ mqlAt: ago(DAY), salAt: ago(DAY), outcome: 'accept' }), // a
    row({ mqlAt: ago(DAY), salAt: ago(DAY), outcome: 'reject', reasonCode: 'no_budget' }), // b
    row({ mqlAt: ago(DAY), outcome: 'reject', reasonCode: 'no_budget' }), // c
    row({ mqlAt: ago(DAY), outcome: 'recycle' }), // d
    row({ mqlAt: ago(DAY), salAt: ago(DAY) }), // e: SAL, undecided
    row({ mqlAt: ago(DAY) }), // f: undecided
    row({ salAt: ago(DAY), outcome: 'accept' }), // g: imported SAL without an MQL date
    row({ mqlAt: ago(DAY), outcome: 'reject', reasonCode: 'bad_timing' }), // h
    row({ mqlAt: ago(DAY), outcome: 'reject' }), // i: no reason code recorded
  ];
  const k = computeKpis(rows, sla, NOW);

  it('counts each stage and outcome', () => {
    expect(k.counts).toEqual({ mqls: 8, sals: 4, sqls: 2, decided: 7, accepted: 2, rejected: 4, recycled: 1 });
  });

  it('computes funnel rates over rows that were in the earlier stage', () => {
    expect(k.mqlToSal).toBe(3 / 8); // a, b, e of 8 MQLs (g has no mqlAt)
    expect(k.salToSql).toBe(2 / 4); // a, g of a, b, e, g
    expect(k.mqlToSql).toBe(1 / 8); // only a: g was never an MQL
  });

  it('computes outcome rates over decided rows', () => {
    expect(k.acceptanceRate).toBe(2 / 7);
    expect(k.rejectionRate).toBe(4 / 7);
    expect(k.recycleRate).toBe(1 / 7);
  });

  it('ranks rejection reasons by count, then by code, with a share of all rejections', () => {
    expect(k.rejectionReasons).toEqual([
      { code: 'no_budget', count: 2, share: 0.5 },
      { code: 'bad_timing', count: 1, share: 0.25 },
      { code: 'unspecified', count: 1, share: 0.25 },
    ]);
  });
});

describe('computeKpis: empty input', () => {
  const k = computeKpis([], sla, NOW);

  it('gives zeros and nulls, never NaN', () => {
    expect(k.counts).toEqual({ mqls: 0, sals: 0, sqls: 0, decided: 0, accepted: 0, rejected: 0, recycled: 0 });
    expect([k.mqlToSal, k.salToSql, k.mqlToSql, k.acceptanceRate, k.recycleRate, k.rejectionRate]).toEqual([null, null, null, null, null, null]);
    expect(k.rejectionReasons).toEqual([]);
    expect(k.speedToLead).toEqual({ medianMs: null, p90Ms: null, count: 0 });
    expect(k.slaBreaches).toEqual({ total: 0, speedToLead: 0, disposition: 0, byRep: [] });
    expect(k.sqlsDisqualifiedAfterFirstCall).toEqual({ count: 0, share: null });
    expect(k.leadVelocity).toEqual({ current: 0, previous: 0, rate: null });
    expect(k.acceptanceByBand).toEqual([
      { from: 0, to: 19, decided: 0, accepted: 0, rate: null },
      { from: 20, to: 39, decided: 0, accepted: 0, rate: null },
      { from: 40, to: 59, decided: 0, accepted: 0, rate: null },
      { from: 60, to: 79, decided: 0, accepted: 0, rate: null },
      { from: 80, to: 100, decided: 0, accepted: 0, rate: null },
    ]);
    expect(numbers(k).every(Number.isFinite)).toBe(true);
  });
});

describe('computeKpis: speed-to-lead', () => {
  const mql = NOW - 10 * DAY;
  const contactedAfter = (minutes: number) => row({ mqlAt: iso(mql), firstContactAt: iso(mql + minutes * MIN) });

  it('takes the nearest-rank median and p90 of MQL → first contact', () => {
    const rows = [
      contactedAfter(10),
      contactedAfter(2),
      contactedAfter(30),
      contactedAfter(5),
      contactedAfter(60),
      row({ mqlAt: iso(mql) }), // not contacted: no time yet
      row({ firstContactAt: iso(mql) }), // no MQL date: cannot be timed
    ];
    // Sorted 2, 5, 10, 30, 60: median rank ceil(2.5) = 3 → 10 min; p90 rank ceil(4.5) = 5 → 60 min.
    expect(computeKpis(rows, sla, NOW).speedToLead).toEqual({ medianMs: 10 * MIN, p90Ms: 60 * MIN, count: 5 });
  });

  it('counts contact logged before the MQL date as instant, and skips unparseable dates', () => {
    const rows = [
      contactedAfter(-3),
      contactedAfter(8),
      row({ mqlAt: 'not a date', firstContactAt: iso(mql) }),
    ];
    // Values 0 and 8 min: median rank 1 → 0; p90 rank 2 → 8 min.
    expect(computeKpis(rows, sla, NOW).speedToLead).toEqual({ medianMs: 0, p90Ms: 8 * MIN, count: 2 });
  });
});

describe('computeKpis: SLA breaches', () => {
  const rows: KpiRow[] = [
    // alice: a contact request left for 10 minutes (5-minute window): running and breached.
    row({ rep: 'alice', contactRequested: true, mqlAt: ago(10 * MIN) }),
    // alice: contacted exactly at the 4-hour deadline (met); disposition 1 h into 24 h: on track.
    row({ rep: 'alice', mqlAt: ago(5 * HOUR), firstContactAt: ago(1 * HOUR) }),
    // bob: contacted after 5 h (missed) and decided 25 h after contact (missed): two breaches.
    row({ rep: 'bob', mqlAt: ago(48 * HOUR), firstContactAt: ago(43 * HOUR), decidedAt: ago(18 * HOUR), outcome: 'accept' }),
    // no rep: MQL exactly 4 h ago, not contacted: at the deadline, not breached.
    row({ mqlAt: ago(4 * HOUR) }),
    // empty rep: contacted 24 h + 1 ms ago, no decision: running disposition timer breached.
    row({ rep: '', firstContactAt: ago(24 * HOUR + 1) }),
    // carol: MQL 4 h + 1 ms ago, not contacted: breached by one millisecond.
    row({ rep: 'carol', mqlAt: ago(4 * HOUR + 1) }),
    // dave: nothing to time.
    row({ rep: 'dave' }),
  ];
  const b = computeKpis(rows, sla, NOW).slaBreaches;

  it('counts breached timers, completed or still running, by kind', () => {
    expect(b.speedToLead).toBe(3); // alice, bob, carol
    expect(b.disposition).toBe(2); // bob, unassigned
    expect(b.total).toBe(5);
  });

  it('groups by rep, unassigned included, worst first then by name', () => {
    expect(b.byRep).toEqual([
      { rep: 'bob', speedToLead: 1, disposition: 1, total: 2 },
      { rep: 'alice', speedToLead: 1, disposition: 0, total: 1 },
      { rep: 'carol', speedToLead: 1, disposition: 0, total: 1 },
      { rep: 'unassigned', speedToLead: 0, disposition: 1, total: 1 },
      { rep: 'dave', speedToLead: 0, disposition: 0, total: 0 },
    ]);
  });

  it('uses the MQL window, not the contact-request one, when contactRequested is absent', () => {
    // 10 minutes without contact: breached only if it were a contact request.
    const k = computeKpis([row({ mqlAt: ago(10 * MIN) })], sla, NOW);
    expect(k.slaBreaches.speedToLead).toBe(0);
  });

  it('follows the configured windows', () => {
    const tight = { ...sla, mqlMinutes: 5 };
    expect(computeKpis([row({ mqlAt: ago(10 * MIN) })], tight, NOW).slaBreaches.speedToLead).toBe(1);
  });
});

describe('computeKpis: SQLs disqualified after the first call', () => {
  it('counts rejections of once-accepted leads, over every lead ever accepted', () => {
    const rows: KpiRow[] = [
      row({ outcome: 'reject', previousOutcomes: ['accept'] }), // counts
      row({ outcome: 'reject', previousOutcomes: ['recycle', 'accept'] }), // counts
      row({ outcome: 'accept', previousOutcomes: [] }), // accepted now
      row({ outcome: 'recycle', previousOutcomes: ['accept'] }), // accepted before, recycled: not counted
      row({ outcome: 'reject', previousOutcomes: ['recycle'] }), // never accepted
      row({ outcome: 'accept', previousOutcomes: ['reject'] }), // accepted now
      row({ outcome: 'reject' }), // never accepted
    ];
    expect(computeKpis(rows, sla, NOW).sqlsDisqualifiedAfterFirstCall).toEqual({ count: 2, share: 2 / 5 });
  });

  it('has no share when nothing was ever accepted', () => {
    const rows = [row({ outcome: 'reject' }), row({ outcome: 'recycle' })];
    expect(computeKpis(rows, sla, NOW).sqlsDisqualifiedAfterFirstCall).toEqual({ count: 0, share: null });
  });
});

describe('computeKpis: acceptance by score band', () => {
  it('puts each decided, scored row in one band; 19/20 split, 100 is in the last band', () => {
    const rows: KpiRow[] = [
      row({ score: 0, outcome: 'accept' }),
      row({ score: 19, outcome: 'reject' }),
      row({ score: 20, outcome: 'accept' }),
      row({ score: 39, outcome: 'accept' }),
      row({ score: 39.5, outcome: 'reject' }), // fractional: still below 40
      row({ score: 79, outcome: 'reject' }),
      row({ score: 80, outcome: 'accept' }),
      row({ score: 99, outcome: 'recycle' }),
      row({ score: 100, outcome: 'accept' }),
      row({ score: 50 }), // undecided: left out
      row({ outcome: 'accept' }), // no score: left out
      row({ score: 101, outcome: 'accept' }), // out of range: left out
      row({ score: -5, outcome: 'reject' }), // out of range: left out
    ];
    expect(computeKpis(rows, sla, NOW).acceptanceByBand).toEqual([
      { from: 0, to: 19, decided: 2, accepted: 1, rate: 0.5 },
      { from: 20, to: 39, decided: 3, accepted: 2, rate: 2 / 3 },
      { from: 40, to: 59, decided: 0, accepted: 0, rate: null },
      { from: 60, to: 79, decided: 1, accepted: 0, rate: 0 },
      { from: 80, to: 100, decided: 3, accepted: 2, rate: 2 / 3 },
    ]);
  });

  it('takes custom bands in any order', () => {
    const rows = [row({ score: 49, outcome: 'accept' }), row({ score: 50, outcome: 'reject' })];
    expect(computeKpis(rows, sla, NOW, { bands: [50, 0] }).acceptanceByBand).toEqual([
      { from: 0, to: 49, decided: 1, accepted: 1, rate: 1 },
      { from: 50, to: 100, decided: 1, accepted: 0, rate: 0 },
    ]);
  });

  it('rejects bands outside 0–100', () => {
    expect(() => computeKpis([], sla, NOW, { bands: [0, 120] })).toThrow('score bands must be between 0 and 100, got 120');
  });
});

describe('computeKpis: lead velocity', () => {
  it('compares MQLs in (now − 30 d, now] with the 30 days before, edges included on the right', () => {
    const rows = [
      row({ mqlAt: iso(NOW) }), // current (right edge included)
      row({ mqlAt: iso(NOW - 30 * DAY + 1) }), // current
      row({ mqlAt: iso(NOW - 30 * DAY) }), // previous (left edge of current excluded)
      row({ mqlAt: iso(NOW - 45 * DAY) }), // previous
      row({ mqlAt: iso(NOW - 60 * DAY + 1) }), // previous
      row({ mqlAt: iso(NOW - 60 * DAY) }), // too old
      row({ mqlAt: iso(NOW + 1) }), // in the future: not counted
      row({}), // no MQL date
    ];
    expect(computeKpis(rows, sla, NOW).leadVelocity).toEqual({ current: 2, previous: 3, rate: (2 - 3) / 3 });
  });

  it('uses a custom window and has no rate without a previous period', () => {
    const rows = [row({ mqlAt: iso(NOW - 6 * DAY) }), row({ mqlAt: iso(NOW - 8 * DAY) })];
    expect(computeKpis(rows, sla, NOW, { velocityDays: 7 }).leadVelocity).toEqual({ current: 1, previous: 1, rate: 0 });
    expect(computeKpis([row({ mqlAt: iso(NOW - DAY) })], sla, NOW).leadVelocity).toEqual({ current: 1, previous: 0, rate: null });
  });

  it('rejects a window that is not positive', () => {
    expect(() => computeKpis([], sla, NOW, { velocityDays: 0 })).toThrow('velocityDays must be a positive number, got 0');
  });
});

describe('benchmarks', () => {
  it('holds the guides’ ranges as data', () => {
    expect(benchmarks.mqlToSql).toMatchObject({ low: 0.13, high: 0.27 });
    expect(benchmarks.sqlToOpportunityMin).toBe(0.5);
    expect(benchmarks.sqlToClosedWon).toEqual({ low: 0.2, high: 0.3 });
    expect(benchmarks.sqlsDisqualifiedAfterFirstCallMax).toEqual({ low: 0.15, high: 0.2 });
  });

  it('compares a rate to a range, ends inclusive', () => {
    expect(compareToBenchmark(0.12, benchmarks.mqlToSql)).toBe('below');
    expect(compareToBenchmark(0.13, benchmarks.mqlToSql)).toBe('within');
    expect(compareToBenchmark(0.27, benchmarks.mqlToSql)).toBe('within');
    expect(compareToBenchmark(0.28, benchmarks.mqlToSql)).toBe('above');
  });

  it('is unknown without a rate or with a backwards range', () => {
    expect(compareToBenchmark(null, benchmarks.mqlToSql)).toBe('unknown');
    expect(compareToBenchmark(undefined, benchmarks.mqlToSql)).toBe('unknown');
    expect(compareToBenchmark(Number.NaN, benchmarks.mqlToSql)).toBe('unknown');
    expect(compareToBenchmark(0.3, { low: 0.5, high: 0.2 })).toBe('unknown');
  });
});
