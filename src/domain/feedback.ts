import type { QualificationConfig } from './config';
import type { Outcome } from './dispositions';
import type { ScoreHalf, ScoreLine } from './scoring';
import { insightsStrings } from '../i18n/insights';

const m = insightsStrings.feedback;

/**
 * The feedback loop from sales to marketing: where rejections cluster by lead source and campaign, and
 * what to change in the scoring so fewer such leads reach the reps. Pure: the dashboard passes the rows
 * (and, for proposals, the score lines frozen in each decision's snapshot) and the team's config.
 *
 * A proposal is an estimate to discuss, not an automatic change: it says what lowering one rule would
 * have done to the leads already decided, including accepted leads it would have kept away too.
 */

export type FeedbackDimension = 'source' | 'campaign';
export const feedbackDimensions: readonly FeedbackDimension[] = ['source', 'campaign'];

export interface FeedbackRow {
  dispositionId: string;
  source?: string;
  campaign?: string;
  outcome: Outcome;
  /** When rejected. */
  reasonCode?: string;
  score?: number;
}

export interface ReasonShare {
  code: string;
  count: number;
  /** Of the group's decided leads ("rejected as Not ICP 45 % of the time"). */
  share: number;
}

export interface GroupStats {
  dimension: FeedbackDimension;
  /** '' for leads with no source / campaign. */
  value: string;
  decided: number;
  accepted: number;
  rejected: number;
  recycled: number;
  /** Most frequent first. */
  reasons: ReasonShare[];
}

/** Counted under this code when a rejection has no reason (legacy or imported data). */
export const UNSPECIFIED = 'unspecified';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Decisions and rejection reasons per source or campaign, biggest group first. */
export function rejectionStats(rows: readonly FeedbackRow[], dimension: FeedbackDimension): GroupStats[] {
  const groups = new Map<string, { decided: number; accepted: number; rejected: number; recycled: number; reasons: Map<string, number> }>();
  for (const row of rows) {
    const value = row[dimension] ?? '';
    let g = groups.get(value);
    if (!g) groups.set(value, (g = { decided: 0, accepted: 0, rejected: 0, recycled: 0, reasons: new Map() }));
    g.decided++;
    if (row.outcome === 'accept') g.accepted++;
    else if (row.outcome === 'recycle') g.recycled++;
    else {
      g.rejected++;
      const code = row.reasonCode || UNSPECIFIED;
      g.reasons.set(code, (g.reasons.get(code) ?? 0) + 1);
    }
  }
  return [...groups]
    .map(([value, g]) => ({
      dimension,
      value,
      decided: g.decided,
      accepted: g.accepted,
      rejected: g.rejected,
      recycled: g.recycled,
      reasons: [...g.reasons]
        .map(([code, count]) => ({ code, count, share: count / g.decided }))
        .sort((a, b) => b.count - a.count || byText(a.code, b.code)),
    }))
    .sort((a, b) => b.decided - a.decided || byText(a.value, b.value));
}

export interface FindingOptions {
  /** Groups with fewer decided leads say too little; default 20. */
  minDecided?: number;
  /** A reason must cover at least this share of the group's decided leads; default 0.25. */
  minShare?: number;
  /** And at least this many leads; default 10. */
  minCount?: number;
}

/** A reason that stands out for one source or campaign. */
export interface Finding {
  dimension: FeedbackDimension;
  value: string;
  reasonCode: string;
  count: number;
  decided: number;
  share: number;
  /** The same reason's share over every decided lead, for comparison. */
  overallShare: number;
}

export const DEFAULT_FINDING_OPTIONS: Required<FindingOptions> = { minDecided: 20, minShare: 0.25, minCount: 10 };

/** Reasons that cover a large share of a source's or campaign's decisions, largest share first. */
export function findings(rows: readonly FeedbackRow[], options: FindingOptions = {}): Finding[] {
  const { minDecided, minShare, minCount } = { ...DEFAULT_FINDING_OPTIONS, ...options };
  const overall = new Map<string, number>();
  for (const r of rows) {
    if (r.outcome === 'reject') {
      const code = r.reasonCode || UNSPECIFIED;
      overall.set(code, (overall.get(code) ?? 0) + 1);
    }
  }
  const out: Finding[] = [];
  for (const dimension of feedbackDimensions) {
    for (const g of rejectionStats(rows, dimension)) {
      if (g.decided < minDecided) continue;
      for (const r of g.reasons) {
        if (r.code === UNSPECIFIED || r.share < minShare || r.count < minCount) continue;
        out.push({ dimension, value: g.value, reasonCode: r.code, count: r.count, decided: g.decided, share: r.share, overallShare: (overall.get(r.code) ?? 0) / rows.length });
      }
    }
  }
  return out.sort((a, b) => b.share - a.share || b.count - a.count || byText(a.dimension, b.dimension) || byText(a.value, b.value));
}

/** A decided lead with the score lines frozen in its snapshot. */
export interface ScoredLead extends FeedbackRow {
  score: number;
  lines: readonly Pick<ScoreLine, 'half' | 'kind' | 'ruleId' | 'points'>[];
}

/**
 * Which decided leads a proposal needs the score lines of: per finding, the most recent `perFinding`
 * rejections for that reason and accepted leads from the same group (rows in decision order, oldest first).
 * Reading every snapshot at 100,000 decisions would be slow; a recent sample answers the question.
 */
export function leadsToSample(fs: readonly Finding[], rows: readonly FeedbackRow[], perFinding = 200): string[] {
  const ids = new Set<string>();
  for (const f of fs) {
    let rejected = 0;
    let accepted = 0;
    for (let i = rows.length - 1; i >= 0 && (rejected < perFinding || accepted < perFinding); i--) {
      const r = rows[i]!;
      if ((r[f.dimension] ?? '') !== f.value) continue;
      if (r.outcome === 'reject' && (r.reasonCode || UNSPECIFIED) === f.reasonCode && rejected < perFinding) {
        rejected++;
        ids.add(r.dispositionId);
      } else if (r.outcome === 'accept' && accepted < perFinding) {
        accepted++;
        ids.add(r.dispositionId);
      }
    }
  }
  return [...ids];
}

export interface LowerRuleProposal {
  kind: 'lower_rule';
  finding: Finding;
  ruleId: string;
  ruleLabel: string;
  half: ScoreHalf;
  currentPoints: number;
  lowerBy: number;
  newPoints: number;
  /** The MQL threshold the estimate is against. */
  mqlThreshold: number;
  evidence: {
    /** Rejections (for this reason, from this group) whose score lines were read. */
    sampledRejections: number;
    /** Of those, at or above the MQL threshold and scored by the rule: the ones the change aims at. */
    targeted: number;
    /** Of the targeted, how many would have scored below the MQL threshold. */
    wouldDrop: number;
    sampledAccepted: number;
    /** Accepted leads of the same group that would have dropped below it too (the cost). */
    acceptedWouldDrop: number;
  };
  text: string;
}

export interface ReviewProposal {
  kind: 'review';
  finding: Finding;
  /** `data_quality`: the reason is about the lead's data, not its score; `no_rule`: no single rule explains it. */
  why: 'data_quality' | 'no_rule';
  text: string;
}

export type Proposal = LowerRuleProposal | ReviewProposal;

export interface ProposalOptions {
  /** Reasons about the lead's data rather than its fit: the fix is in how the source captures leads. */
  dataQualityReasons?: readonly string[];
}

export const DEFAULT_DATA_QUALITY_REASONS: readonly string[] = ['invalid_data', 'duplicate'];

type ProposalConfig = Pick<QualificationConfig, 'reasonCodes' | 'scoring' | 'thresholds'>;

const percent = (share: number) => `${Math.round(share * 100)}%`;

function groupPhrase(f: Finding): string {
  if (f.value === '') return m.noValue(f.dimension);
  return m.group(f.dimension, f.value);
}

function findingPhrase(f: Finding, config: ProposalConfig): string {
  const label = config.reasonCodes.find((r) => r.code === f.reasonCode)?.label ?? f.reasonCode;
  return m.finding(groupPhrase(f), label, percent(f.share), f.count, f.decided);
}

/** Net points a rule gave one lead: its rule lines plus their decay. */
function contribution(lead: ScoredLead, ruleId: string): number {
  let sum = 0;
  for (const l of lead.lines) if (l.ruleId === ruleId && (l.kind === 'rule' || l.kind === 'decay')) sum += l.points;
  return sum;
}

/**
 * How much lowering a rule by `by` (of `points`) would lower one lead's total. Decay and repeats scale
 * with the rule's points, so the contribution shrinks in proportion; a half held at its cap loses nothing
 * until the excess is used up, and a half held at 0 cannot go lower.
 */
function reduction(lead: ScoredLead, ruleId: string, half: ScoreHalf, points: number, by: number): number {
  const c = contribution(lead, ruleId);
  if (c <= 0) return 0;
  const raw = (c * by) / points;
  let capExcess = 0;
  for (const l of lead.lines) {
    if (l.half !== half || l.kind !== 'cap') continue;
    if (l.points > 0) return 0; // the floor: the half is already 0
    capExcess += -l.points;
  }
  return Math.max(0, raw - capExcess);
}

function ruleOf(config: ProposalConfig, ruleId: string): { label: string; points: number; half: ScoreHalf } | undefined {
  const fit = config.scoring.fitRules.find((r) => r.id === ruleId);
  if (fit) return { label: fit.label, points: fit.points, half: 'fit' };
  const eng = config.scoring.engagementRules.find((r) => r.id === ruleId);
  if (eng) return { label: eng.label, points: eng.points, half: 'engagement' };
  return undefined;
}

/**
 * One proposal per finding: lower the scoring rule that most of those rejected leads scored on, by the
 * least amount that keeps at least half of them below the MQL threshold; or, when the reason is about data
 * quality or no rule explains it, a review of the source or campaign itself.
 */
export function proposeChanges(
  fs: readonly Finding[],
  leads: readonly ScoredLead[],
  config: ProposalConfig,
  options: ProposalOptions = {},
): Proposal[] {
  const dataReasons = new Set(options.dataQualityReasons ?? DEFAULT_DATA_QUALITY_REASONS);
  const mql = config.thresholds.mql;
  return fs.map((f): Proposal => {
    const intro = findingPhrase(f, config);
    if (dataReasons.has(f.reasonCode)) {
      return { kind: 'review', finding: f, why: 'data_quality', text: m.dataQuality(intro, f.dimension) };
    }
    const inGroup = leads.filter((l) => (l[f.dimension] ?? '') === f.value);
    const rejected = inGroup.filter((l) => l.outcome === 'reject' && (l.reasonCode || UNSPECIFIED) === f.reasonCode);
    const accepted = inGroup.filter((l) => l.outcome === 'accept');

    // The rule most of these rejections scored on (ties: the one that gave them more points).
    const tally = new Map<string, { leads: number; points: number }>();
    for (const lead of rejected) {
      const seen = new Set<string>();
      for (const l of lead.lines) {
        if (l.kind !== 'rule' || l.points <= 0 || seen.has(l.ruleId)) continue;
        seen.add(l.ruleId);
        const t = tally.get(l.ruleId) ?? { leads: 0, points: 0 };
        t.leads++;
        t.points += contribution(lead, l.ruleId);
        tally.set(l.ruleId, t);
      }
    }
    const ranked = [...tally]
      .filter(([id]) => (ruleOf(config, id)?.points ?? 0) > 0)
      .sort((a, b) => b[1].leads - a[1].leads || b[1].points - a[1].points || byText(a[0], b[0]));
    const noRule = (): ReviewProposal => ({
      kind: 'review',
      finding: f,
      why: 'no_rule',
      text: m.noRule(intro, f.dimension),
    });
    if (ranked.length === 0) return noRule();
    const ruleId = ranked[0]![0];
    const rule = ruleOf(config, ruleId)!;

    const targeted = rejected.filter((l) => l.score >= mql && contribution(l, ruleId) > 0);
    const drops = (group: readonly ScoredLead[], by: number) => group.filter((l) => l.score >= mql && l.score - reduction(l, ruleId, rule.half, rule.points, by) < mql).length;
    const goal = Math.ceil(targeted.length / 2);
    let by = rule.points;
    for (let candidate = 1; candidate <= rule.points; candidate++) {
      if (drops(targeted, candidate) >= goal) {
        by = candidate;
        break;
      }
    }
    const wouldDrop = drops(targeted, by);
    if (targeted.length === 0 || wouldDrop === 0) return noRule();
    const acceptedWouldDrop = drops(accepted, by);
    const newPoints = rule.points - by;
    return {
      kind: 'lower_rule',
      finding: f,
      ruleId,
      ruleLabel: rule.label,
      half: rule.half,
      currentPoints: rule.points,
      lowerBy: by,
      newPoints,
      mqlThreshold: mql,
      evidence: { sampledRejections: rejected.length, targeted: targeted.length, wouldDrop, sampledAccepted: accepted.length, acceptedWouldDrop },
      text: m.lowerRule({
        intro,
        rule: rule.label,
        by,
        from: rule.points,
        to: newPoints,
        wouldDrop,
        targeted: targeted.length,
        mql,
        acceptedWouldDrop,
        accepted: accepted.length,
        dimension: f.dimension,
      }),
    };
  });
}
