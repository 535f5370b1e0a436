import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlaConfig } from './config';
import { defaultConfig } from './defaults';
import { computeKpis, UNASSIGNED_REP, UNSPECIFIED_REASON, type KpiOptions, type KpiRow, type Kpis, type RepBreaches, type ScoreBand } from './kpis';
import { DAY_MS } from './lead';
import { dispositionWindowMs, slaStateAt, speedToLeadWindowMs } from './sla';

/**
 * `computeKpis` is one pass over the rows, for speed at 100,000 rows. This is the straightforward
 * version it replaced (a filter per figure, timestamps parsed where used), kept as an oracle: on any
 * rows, bands and clock both must give the same KPIs.
 */

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}
function referencePercentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}
const everAccepted = (row: KpiRow) => row.outcome === 'accept' || (row.previousOutcomes ?? []).includes('accept');
const normaliseBands = (bands: readonly number[]) => [...new Set(bands)].sort((a, b) => a - b);
const DEFAULT_BANDS = [0, 20, 40, 60, 80];
const DEFAULT_VELOCITY_DAYS = 30;

function referenceKpis(rows: readonly KpiRow[], sla: SlaConfig, now: number, options: KpiOptions = {}): Kpis {
  const velocityDays = options.velocityDays ?? DEFAULT_VELOCITY_DAYS;
  if (!(Number.isFinite(velocityDays) && velocityDays > 0)) {
    throw new RangeError(`velocityDays must be a positive number, got ${velocityDays}`);
  }
  const bands = normaliseBands(options.bands ?? DEFAULT_BANDS);

  const mqlRows = rows.filter((r) => r.mqlAt);
  const salRows = rows.filter((r) => r.salAt);
  const decidedRows = rows.filter((r) => r.outcome !== undefined);
  const accepted = decidedRows.filter((r) => r.outcome === 'accept').length;
  const rejectedRows = decidedRows.filter((r) => r.outcome === 'reject');
  const recycled = decidedRows.filter((r) => r.outcome === 'recycle').length;

  // Funnel rates count only rows that were in the earlier stage, so a rate can never exceed 100 %
  // (a row imported with salAt but no mqlAt is counted as a SAL, not as an MQL that converted).
  const mqlsThatBecameSal = mqlRows.filter((r) => r.salAt).length;
  const salsThatBecameSql = salRows.filter((r) => r.outcome === 'accept').length;
  const mqlsThatBecameSql = mqlRows.filter((r) => r.outcome === 'accept').length;

  const reasonCounts = new Map<string, number>();
  for (const r of rejectedRows) {
    const code = r.reasonCode || UNSPECIFIED_REASON;
    reasonCounts.set(code, (reasonCounts.get(code) ?? 0) + 1);
  }
  const rejectionReasons = [...reasonCounts]
    .map(([code, count]) => ({ code, count, share: count / rejectedRows.length }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  // Speed-to-lead in wall-clock ms. Contact logged before the MQL date (a rep was faster than
  // marketing's stamp) counts as 0, not as a negative time that would drag the median below zero.
  const speeds: number[] = [];
  for (const r of rows) {
    const mql = time(r.mqlAt);
    const contact = time(r.firstContactAt);
    if (mql !== undefined && contact !== undefined) speeds.push(Math.max(0, contact - mql));
  }

  // SLA breaches reuse the panel's timers so the dashboard and the panel can never disagree.
  const byRep = new Map<string, RepBreaches>();
  let speedBreaches = 0;
  let dispositionBreaches = 0;
  for (const r of rows) {
    const rep = r.rep || UNASSIGNED_REP;
    const entry = byRep.get(rep) ?? { rep, speedToLead: 0, disposition: 0, total: 0 };
    byRep.set(rep, entry);
    // Numbers only (no timer objects): this runs for every row of the dashboard. An unparseable stop
    // time counts as missing (the clock still runs), never as NaN.
    const mql = time(r.mqlAt);
    const contact = time(r.firstContactAt);
    const decided = time(r.decidedAt);
    const speed = mql === undefined ? undefined : { state: slaStateAt(mql, speedToLeadWindowMs(sla, r.contactRequested ?? false), contact, sla.dueSoonShare, now) };
    const disp = contact === undefined ? undefined : { state: slaStateAt(contact, dispositionWindowMs(sla), decided, sla.dueSoonShare, now) };
    if (speed?.state === 'breached') {
      speedBreaches++;
      entry.speedToLead++;
      entry.total++;
    }
    if (disp?.state === 'breached') {
      dispositionBreaches++;
      entry.disposition++;
      entry.total++;
    }
  }

  const sqlsDisqualified = rows.filter((r) => r.outcome === 'reject' && (r.previousOutcomes ?? []).includes('accept')).length;
  const everAcceptedCount = rows.filter(everAccepted).length;

  const acceptanceByBand: ScoreBand[] = bands.map((from, i) => {
    const next = bands[i + 1];
    // Half-open [from, next) so a fractional score (19.5) still lands in exactly one band.
    const inBand = (s: number) => s >= from && (next === undefined ? s <= 100 : s < next);
    const banded = decidedRows.filter((r) => r.score !== undefined && inBand(r.score));
    const acc = banded.filter((r) => r.outcome === 'accept').length;
    return { from, to: next === undefined ? 100 : next - 1, decided: banded.length, accepted: acc, rate: ratio(acc, banded.length) };
  });

  // Lead velocity: MQLs in (now − D, now] against (now − 2D, now − D]. A future mqlAt is not counted.
  const windowMs = velocityDays * DAY_MS;
  let current = 0;
  let previous = 0;
  for (const r of mqlRows) {
    const t = time(r.mqlAt);
    if (t === undefined) continue;
    if (t > now - windowMs && t <= now) current++;
    else if (t > now - 2 * windowMs && t <= now - windowMs) previous++;
  }

  return {
    counts: {
      mqls: mqlRows.length,
      sals: salRows.length,
      sqls: accepted,
      decided: decidedRows.length,
      accepted,
      rejected: rejectedRows.length,
      recycled,
    },
    mqlToSal: ratio(mqlsThatBecameSal, mqlRows.length),
    salToSql: ratio(salsThatBecameSql, salRows.length),
    mqlToSql: ratio(mqlsThatBecameSql, mqlRows.length),
    acceptanceRate: ratio(accepted, decidedRows.length),
    recycleRate: ratio(recycled, decidedRows.length),
    rejectionRate: ratio(rejectedRows.length, decidedRows.length),
    rejectionReasons,
    speedToLead: { medianMs: referencePercentile(speeds, 50), p90Ms: referencePercentile(speeds, 90), count: speeds.length },
    slaBreaches: {
      total: speedBreaches + dispositionBreaches,
      speedToLead: speedBreaches,
      disposition: dispositionBreaches,
      // Every rep seen in the rows (clean ones too, with zeros), worst first, then by name.
      byRep: [...byRep.values()].sort((a, b) => b.total - a.total || (a.rep < b.rep ? -1 : a.rep > b.rep ? 1 : 0)),
    },
    sqlsDisqualifiedAfterFirstCall: { count: sqlsDisqualified, share: ratio(sqlsDisqualified, everAcceptedCount) },
    acceptanceByBand,
    leadVelocity: { current, previous, rate: ratio(current - previous, previous) },
  };
}


const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const outcomes = ['accept', 'reject', 'recycle'] as const;
const stamp = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: NOW - 90 * DAY_MS, max: NOW + DAY_MS }).map((ms) => new Date(ms).toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, '', 'not a date') },
);
const kpiRow: fc.Arbitrary<KpiRow> = fc.record(
  {
    leadId: fc.string({ minLength: 1, maxLength: 4 }),
    rep: fc.constantFrom(undefined, '', 'rep-a', 'rep-b', 'rep-c'),
    mqlAt: stamp,
    salAt: stamp,
    firstContactAt: stamp,
    decidedAt: stamp,
    outcome: fc.constantFrom(undefined, ...outcomes),
    previousOutcomes: fc.option(fc.array(fc.constantFrom(...outcomes), { maxLength: 3 }), { nil: undefined }),
    reasonCode: fc.constantFrom(undefined, '', 'not_icp', 'no_budget'),
    score: fc.option(fc.oneof(fc.integer({ min: -5, max: 105 }), fc.double({ min: 0, max: 100, noNaN: true })), { nil: undefined }),
    contactRequested: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: ['leadId'] },
);

describe('computeKpis agrees with the straightforward reference', () => {
  const sla = defaultConfig().sla;
  it('on any rows, bands and clock', () => {
    fc.assert(
      fc.property(
        fc.array(kpiRow, { maxLength: 60 }),
        fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }), { nil: undefined }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: -2 * DAY_MS, max: 2 * DAY_MS }),
        (rows, bands, velocityDays, shift) => {
          const options: KpiOptions = { bands, velocityDays };
          expect(computeKpis(rows, sla, NOW + shift, options)).toEqual(referenceKpis(rows, sla, NOW + shift, options));
        },
      ),
      { numRuns: 400 },
    );
  });
});
