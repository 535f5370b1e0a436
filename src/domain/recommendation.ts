import type { Framework, QualificationConfig } from './config';
import { progress, type Checklist } from './frameworks';
import type { KnockoutHit } from './knockouts';
import { DAY_MS } from './lead';
import type { Priority } from './priority';
import type { ScoreResult } from './scoring';
import { qualifyStrings } from '../i18n/qualify';

/**
 * What the rep should do with this lead, and why. Rules, first match wins:
 * 1. a knock-out (competitor, student, existing customer…) → disqualify, whatever the score;
 * 2. a criterion disconfirmed that rules the lead out (e.g. no need) → disqualify;
 * 3. enough criteria confirmed in conversation (all of BANT, all five characteristics) → SQL;
 * 4. a criterion disconfirmed that means "not now" (no budget, bad timing) → nurture, re-check later;
 * 5. after some answers: one gap left (3–4 of five) → nurture with a follow-up task; two or more BANT
 *    signals missing → more marketing development, not a closing pitch;
 * 6. before any answer, by priority (score adjusted for ICP fit): a direct sales request from a lead at or
 *    above the SQL-ready threshold → SQL-ready, call now; a hot MQL without a sales request → nurture plus
 *    a follow-up task (the brief's 40-point example); otherwise nurture.
 */

export type RecommendationOutcome = 'sql' | 'nurture' | 'disqualify';

export type RecommendationRule =
  | 'knockout'
  | 'disconfirmed_disqualify'
  | 'criteria_confirmed'
  | 'disconfirmed_not_now'
  | 'one_gap'
  | 'marketing_development'
  | 'sales_request_ready'
  | 'sales_request_low_priority'
  | 'hot_mql'
  | 'cold';

export type NextActionKind = 'book_next_step' | 'call_now' | 'follow_up_task' | 'nurture_sequence' | 'close_out';

export interface NextAction {
  kind: NextActionKind;
  label: string;
  /** When it should be done by, if the rule sets a date. */
  dueAt?: string;
}

export interface Recommendation {
  outcome: RecommendationOutcome;
  rule: RecommendationRule;
  headline: string;
  /** Why, most important first. */
  reasons: string[];
  /** Things that argue the other way, shown so the rep can overrule knowingly. */
  cautions: string[];
  nextAction: NextAction;
  /** The reject reason that fits, when the recommendation is to disqualify. */
  suggestedReasonCode?: string;
}

export interface RecommendationInput {
  framework: Framework;
  checklist: Checklist;
  score: ScoreResult;
  priority: Priority;
  knockouts: readonly KnockoutHit[];
  /** True when the lead asked to talk to sales (demo or contact request). */
  salesRequest: boolean;
  /** When the speed-to-lead window ends, if the lead is an MQL not yet contacted. */
  contactDeadline?: string;
  config: Pick<QualificationConfig, 'thresholds'>;
  now: number;
}

const inDays = (now: number, days: number) => new Date(now + days * DAY_MS).toISOString();
const m = qualifyStrings.recommendation;
const quote = (evidence: string) => (evidence.trim() ? m.quote(evidence.trim()) : '');
const list = (labels: string[]) => m.list(labels);

export function recommend(input: RecommendationInput): Recommendation {
  const { framework, checklist, score, priority, knockouts, config, now } = input;
  const t = config.thresholds;
  const p = progress(framework, checklist);
  const scoreReason = m.scoreReason(score.total, score.fit, score.engagement);
  const fitNote =
    priority.adjustment > 0
      ? m.strongFit(priority.adjustment, priority.value)
      : priority.adjustment < 0
        ? m.poorFit(list(priority.fit.missed), -priority.adjustment, priority.value)
        : undefined;

  if (knockouts.length > 0) {
    const first = knockouts[0]!;
    return {
      outcome: 'disqualify',
      rule: 'knockout',
      headline: m.knockoutHeadline(first.knockout.label),
      reasons: knockouts.map((k) => m.knockoutReason(k.knockout.label, k.match.source, k.match.detail)),
      cautions: score.total >= t.sqlReady ? [m.knockoutOverrules(scoreReason)] : [],
      nextAction: { kind: 'close_out', label: m.rejectWithReason },
      suggestedReasonCode: first.knockout.reasonCode,
    };
  }

  const answer = (id: string) => checklist.answers[id];
  const ruledOut = p.byState.disconfirmed.filter((c) => c.onDisconfirmed === 'disqualify');
  if (ruledOut.length > 0) {
    return {
      outcome: 'disqualify',
      rule: 'disconfirmed_disqualify',
      headline: m.disconfirmedHeadline(ruledOut[0]!.label),
      reasons: ruledOut.map((c) => m.disconfirmed(c.label, quote(answer(c.id)?.evidence ?? ''))),
      cautions: [],
      nextAction: { kind: 'close_out', label: m.rejectWithReason },
      suggestedReasonCode: ruledOut[0]!.disconfirmedReason,
    };
  }

  if (p.confirmed >= framework.sqlAt) {
    const cautions: string[] = [];
    if (score.total < t.sqlReady) cautions.push(m.belowSqlReady(scoreReason, t.sqlReady));
    if (priority.fit.level === 'poor') cautions.push(m.outsideIcp(list(priority.fit.missed)));
    return {
      outcome: 'sql',
      rule: 'criteria_confirmed',
      headline: m.sqlHeadline(p.summary),
      reasons: [p.summary, scoreReason, ...(fitNote ? [fitNote] : [])],
      cautions,
      nextAction: { kind: 'book_next_step', label: m.bookNextStep },
    };
  }

  const notNow = p.byState.disconfirmed.filter((c) => c.onDisconfirmed === 'nurture');
  if (notNow.length > 0) {
    return {
      outcome: 'nurture',
      rule: 'disconfirmed_not_now',
      headline: m.notNowHeadline(notNow.map((c) => c.label)),
      reasons: [...notNow.map((c) => m.disconfirmed(c.label, quote(answer(c.id)?.evidence ?? ''))), p.summary],
      cautions: [],
      nextAction: { kind: 'nurture_sequence', label: m.recycleRecheck(t.nurtureRecheckDays), dueAt: inDays(now, t.nurtureRecheckDays) },
      suggestedReasonCode: notNow[0]!.disconfirmedReason,
    };
  }

  const open = [...p.byState.unknown, ...p.byState.partly, ...p.byState.disconfirmed];
  const openLabels = framework.criteria.filter((c) => open.includes(c)).map((c) => c.label);
  if (p.unknown < p.total) {
    if (p.confirmed >= framework.followUpAt) {
      return {
        outcome: 'nurture',
        rule: 'one_gap',
        headline: m.oneGapHeadline(p.summary),
        reasons: [p.summary, m.stillOpen(list(openLabels)), scoreReason],
        cautions: [],
        nextAction: { kind: 'follow_up_task', label: m.followUpToConfirm(t.followUpDays, list(openLabels)), dueAt: inDays(now, t.followUpDays) },
      };
    }
    const missing = p.total - p.confirmed;
    return {
      outcome: 'nurture',
      rule: 'marketing_development',
      headline: m.notReadyHeadline(missing, p.total, framework.label),
      reasons: [m.signalsMissing(missing, list(openLabels)), p.summary, scoreReason],
      cautions: [],
      nextAction: { kind: 'nurture_sequence', label: m.backToNurture(t.nurtureRecheckDays), dueAt: inDays(now, t.nurtureRecheckDays) },
    };
  }

  // Before the call: nothing answered yet, so only the score, the ICP fit and the lead's own request speak.
  const priorityReason = fitNote ?? m.priority(priority.value);
  if (input.salesRequest) {
    const ready = priority.value >= t.sqlReady;
    return {
      outcome: ready ? 'sql' : 'nurture',
      rule: ready ? 'sales_request_ready' : 'sales_request_low_priority',
      headline: ready ? m.salesRequestReadyHeadline : m.salesRequestHeadline,
      reasons: [m.directSalesRequest, scoreReason, priorityReason],
      cautions: ready ? [] : [m.priorityBelowSqlReady(priority.value, t.sqlReady)],
      nextAction: { kind: 'call_now', label: m.callNow, dueAt: input.contactDeadline },
    };
  }
  if (priority.value >= t.mql) {
    return {
      outcome: 'nurture',
      rule: 'hot_mql',
      headline: m.hotMqlHeadline,
      reasons: [scoreReason, priorityReason, m.noSalesRequest],
      cautions: [],
      nextAction: { kind: 'follow_up_task', label: m.nurtureAndFollowUp(t.followUpDays), dueAt: inDays(now, t.followUpDays) },
    };
  }
  return {
    outcome: 'nurture',
    rule: 'cold',
    headline: m.coldHeadline,
    reasons: [scoreReason, m.belowMql(t.mql)],
    cautions: [],
    nextAction: { kind: 'nurture_sequence', label: m.marketingNurture(t.nurtureRecheckDays), dueAt: inDays(now, t.nurtureRecheckDays) },
  };
}
