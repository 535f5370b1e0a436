import type { SlaConfig } from './config';
import type { Outcome } from './dispositions';
import { DAY_MS } from './lead';
import { dispositionWindowMs, slaStateAt, speedToLeadWindowMs } from './sla';

/**
 * Manager KPIs over a list of rows, one row per MQL (its latest disposition revision, if any). Pure:
 * the dashboard builds the rows from storage and passes the clock in. Every rate is a fraction 0–1, or
 * `null` when its denominator is 0, so the UI can print "—" instead of "NaN %".
 */

export type { Outcome };

export interface KpiRow {
  /** Undefined = MQL not yet decided. */
  dispositionId?: string;
  leadId: string;
  /** Rep id. */
  rep?: string;
  /** ISO timestamps. */
  mqlAt?: string;
  /** When a rep accepted to work it (SAL stage); undefined = never (or the team skips SAL). */
  salAt?: string;
  firstContactAt?: string;
  decidedAt?: string;
  /** Current (latest revision) outcome. */
  outcome?: Outcome;
  /** Earlier revisions' outcomes, oldest first. */
  previousOutcomes?: Outcome[];
  /** When rejected. */
  reasonCode?: string;
  /** Score at decision time, 0–100. */
  score?: number;
  contactRequested?: boolean;
  source?: string;
  campaign?: string;
}

export interface KpiOptions {
  /** Band lower bounds for acceptance by score; default [0, 20, 40, 60, 80]. */
  bands?: number[];
  /** Length of each lead-velocity window in days; default 30. */
  velocityDays?: number;
}

export interface RejectionReasonShare {
  code: string;
  count: number;
  /** Of all rejected rows. */
  share: number;
}

export interface RepBreaches {
  rep: string;
  speedToLead: number;
  disposition: number;
  total: number;
}

export interface ScoreBand {
  /** Inclusive lower bound. */
  from: number;
  /** Inclusive upper bound for display (next band's `from` − 1); the last band ends at 100. */
  to: number;
  decided: number;
  accepted: number;
  rate: number | null;
}

export interface Kpis {
  counts: { mqls: number; sals: number; sqls: number; decided: number; accepted: number; rejected: number; recycled: number };
  mqlToSal: number | null;
  salToSql: number | null;
  mqlToSql: number | null;
  acceptanceRate: number | null;
  recycleRate: number | null;
  rejectionRate: number | null;
  rejectionReasons: RejectionReasonShare[];
  speedToLead: { medianMs: number | null; p90Ms: number | null; count: number };
  slaBreaches: { total: number; speedToLead: number; disposition: number; byRep: RepBreaches[] };
  sqlsDisqualifiedAfterFirstCall: { count: number; share: number | null };
  acceptanceByBand: ScoreBand[];
  leadVelocity: { current: number; previous: number; rate: number | null };
}

/** Rows without a rep are grouped under this name in the breach table. */
export const UNASSIGNED_REP = 'unassigned';
/** A rejection recorded without a reason code (legacy or imported data) is counted under this code. */
export const UNSPECIFIED_REASON = 'unspecified';

export const DEFAULT_BANDS: readonly number[] = [0, 20, 40, 60, 80];
export const DEFAULT_VELOCITY_DAYS = 30;

/** `null` instead of NaN/Infinity when there is nothing to divide by. */
function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Epoch ms, or undefined for a missing or unparseable timestamp (bad data must not poison a median). */
function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Nearest-rank percentile: the smallest value such that at least p % of the values are at or below it.
 * Always one of the inputs (no interpolation), so "p90 = 12 min" is a real lead's time. p is 0–100;
 * p = 0 gives the minimum. `null` for no values. The input is not modified.
 */
export function percentile(values: readonly number[], p: number): number | null {
  return percentiles(values, [p])[0]!;
}

/** Several nearest-rank percentiles of the same values, sorting them once (a typed, numeric sort). */
export function percentiles(values: readonly number[], ps: readonly number[]): (number | null)[] {
  for (const p of ps) if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be between 0 and 100, got ${p}`);
  if (values.length === 0) return ps.map(() => null);
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!);
}

function normaliseBands(bands: readonly number[]): number[] {
  for (const b of bands) {
    if (!Number.isFinite(b) || b < 0 || b > 100) throw new RangeError(`score bands must be between 0 and 100, got ${b}`);
  }
  // Order and duplicates are forgiven: the bands are lower bounds, so only the set of them matters.
  return [...new Set(bands)].sort((a, b) => a - b);
}

export function computeKpis(rows: readonly KpiRow[], sla: SlaConfig, now: number, options: KpiOptions = {}): Kpis {
  const velocityDays = options.velocityDays ?? DEFAULT_VELOCITY_DAYS;
  if (!(Number.isFinite(velocityDays) && velocityDays > 0)) {
    throw new RangeError(`velocityDays must be a positive number, got ${velocityDays}`);
  }
  const bands = normaliseBands(options.bands ?? DEFAULT_BANDS);
  const bandDecided = bands.map(() => 0);
  const bandAccepted = bands.map(() => 0);
  const bandOf = (score: number): number => {
    // Half-open [from, next) so a fractional score (19.5) still lands in exactly one band; the last ends at 100.
    if (!(score <= 100)) return -1;
    for (let i = bands.length - 1; i >= 0; i--) if (score >= bands[i]!) return i;
    return -1;
  };

  // One pass over the rows (the dashboard passes 100,000 of them): each timestamp is parsed once.
  let mqls = 0;
  let sals = 0;
  let decided = 0;
  let accepted = 0;
  let rejected = 0;
  let recycled = 0;
  // Funnel rates count only rows that were in the earlier stage, so a rate can never exceed 100 %
  // (a row imported with salAt but no mqlAt is counted as a SAL, not as an MQL that converted).
  let mqlsThatBecameSal = 0;
  let salsThatBecameSql = 0;
  let mqlsThatBecameSql = 0;
  let sqlsDisqualified = 0;
  let everAcceptedCount = 0;
  const reasonCounts = new Map<string, number>();
  // Speed-to-lead in wall-clock ms. Contact logged before the MQL date (a rep was faster than
  // marketing's stamp) counts as 0, not as a negative time that would drag the median below zero.
  const speeds: number[] = [];
  const byRep = new Map<string, RepBreaches>();
  let speedBreaches = 0;
  let dispositionBreaches = 0;
  // Lead velocity: MQLs in (now − D, now] against (now − 2D, now − D]. A future mqlAt is not counted.
  const windowMs = velocityDays * DAY_MS;
  let current = 0;
  let previous = 0;
  const dispositionWindow = dispositionWindowMs(sla);

  for (const r of rows) {
    const isAccept = r.outcome === 'accept';
    if (r.mqlAt) {
      mqls++;
      if (r.salAt) mqlsThatBecameSal++;
      if (isAccept) mqlsThatBecameSql++;
    }
    if (r.salAt) {
      sals++;
      if (isAccept) salsThatBecameSql++;
    }
    const wasAccepted = isAccept || (r.previousOutcomes !== undefined && r.previousOutcomes.includes('accept'));
    if (wasAccepted) everAcceptedCount++;
    if (r.outcome !== undefined) {
      decided++;
      if (isAccept) accepted++;
      else if (r.outcome === 'reject') {
        rejected++;
        const code = r.reasonCode || UNSPECIFIED_REASON;
        reasonCounts.set(code, (reasonCounts.get(code) ?? 0) + 1);
        if (wasAccepted) sqlsDisqualified++;
      } else if (r.outcome === 'recycle') recycled++;
      if (r.score !== undefined) {
        const band = bandOf(r.score);
        if (band >= 0) {
          bandDecided[band]!++;
          if (isAccept) bandAccepted[band]!++;
        }
      }
    }

    const mql = time(r.mqlAt);
    const contact = time(r.firstContactAt);
    if (mql !== undefined && contact !== undefined) speeds.push(Math.max(0, contact - mql));
    if (mql !== undefined) {
      if (mql > now - windowMs && mql <= now) current++;
      else if (mql > now - 2 * windowMs && mql <= now - windowMs) previous++;
    }

    // SLA breaches reuse the panel's timers so the dashboard and the panel can never disagree. Numbers
    // only (no timer objects); an unparseable stop time counts as missing (the clock still runs).
    const rep = r.rep || UNASSIGNED_REP;
    let entry = byRep.get(rep);
    if (!entry) {
      entry = { rep, speedToLead: 0, disposition: 0, total: 0 };
      byRep.set(rep, entry);
    }
    if (mql !== undefined && slaStateAt(mql, speedToLeadWindowMs(sla, r.contactRequested ?? false), contact, sla.dueSoonShare, now) === 'breached') {
      speedBreaches++;
      entry.speedToLead++;
      entry.total++;
    }
    if (contact !== undefined && slaStateAt(contact, dispositionWindow, time(r.decidedAt), sla.dueSoonShare, now) === 'breached') {
      dispositionBreaches++;
      entry.disposition++;
      entry.total++;
    }
  }

  const rejectionReasons = [...reasonCounts]
    .map(([code, count]) => ({ code, count, share: count / rejected }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const acceptanceByBand: ScoreBand[] = bands.map((from, i) => {
    const next = bands[i + 1];
    const acc = bandAccepted[i]!;
    return { from, to: next === undefined ? 100 : next - 1, decided: bandDecided[i]!, accepted: acc, rate: ratio(acc, bandDecided[i]!) };
  });
  const [medianMs, p90Ms] = percentiles(speeds, [50, 90]);

  return {
    counts: { mqls, sals, sqls: accepted, decided, accepted, rejected, recycled },
    mqlToSal: ratio(mqlsThatBecameSal, mqls),
    salToSql: ratio(salsThatBecameSql, sals),
    mqlToSql: ratio(mqlsThatBecameSql, mqls),
    acceptanceRate: ratio(accepted, decided),
    recycleRate: ratio(recycled, decided),
    rejectionRate: ratio(rejected, decided),
    rejectionReasons,
    speedToLead: { medianMs: medianMs!, p90Ms: p90Ms!, count: speeds.length },
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

export interface BenchmarkRange {
  low: number;
  high: number;
  note?: string;
}

/**
 * Typical ranges from the industry guides (domain brief), as data so a screen can show "your 31 %
 * vs 13–27 % typical". They describe other companies, not targets; none of the code enforces them.
 */
export const benchmarks = {
  mqlToSql: { low: 0.13, high: 0.27, note: 'B2B tech typical; aligned teams 40–60%' },
  mqlToSqlAligned: { low: 0.4, high: 0.6, note: 'Well-aligned marketing and sales teams' },
  /** Below this, too many unqualified leads are passed to sales. */
  sqlToOpportunityMin: 0.5,
  sqlToClosedWon: { low: 0.2, high: 0.3 },
  /** Above 15–20 % the qualification criteria need tightening. */
  sqlsDisqualifiedAfterFirstCallMax: { low: 0.15, high: 0.2 },
} as const satisfies Record<string, BenchmarkRange | number>;

export type BenchmarkComparison = 'below' | 'within' | 'above' | 'unknown';

/**
 * Where a rate sits against a range; both ends inclusive. `unknown` for a missing rate (no data yet)
 * or a range that makes no sense (low above high), so the UI never shows a verdict it cannot back.
 */
export function compareToBenchmark(value: number | null | undefined, range: Pick<BenchmarkRange, 'low' | 'high'>): BenchmarkComparison {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'unknown';
  if (!(range.low <= range.high)) return 'unknown';
  if (value < range.low) return 'below';
  if (value > range.high) return 'above';
  return 'within';
}
