import type { Framework, QualificationConfig } from './config';
import { progress, type Checklist } from './frameworks';
import type { KnockoutHit } from './knockouts';
import { DAY_MS } from './lead';
import type { Priority } from './priority';
import type { ScoreResult } from './scoring';

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
const quote = (evidence: string) => (evidence.trim() ? `: “${evidence.trim()}”` : '');
const list = (labels: string[]) => labels.join(', ');

export function recommend(input: RecommendationInput): Recommendation {
  const { framework, checklist, score, priority, knockouts, config, now } = input;
  const t = config.thresholds;
  const p = progress(framework, checklist);
  const scoreReason = `Score ${score.total} (fit ${score.fit}, engagement ${score.engagement})`;
  const fitNote =
    priority.adjustment > 0
      ? `Strong ICP fit adds ${priority.adjustment} to priority (${priority.value})`
      : priority.adjustment < 0
        ? `Poor ICP fit (${list(priority.fit.missed)}) takes ${-priority.adjustment} off priority (${priority.value})`
        : undefined;

  if (knockouts.length > 0) {
    const first = knockouts[0]!;
    return {
      outcome: 'disqualify',
      rule: 'knockout',
      headline: `Disqualify: ${first.knockout.label.toLowerCase()}`,
      reasons: knockouts.map((k) => `${k.knockout.label} (${k.match.source}: ${k.match.detail})`),
      cautions: score.total >= t.sqlReady ? [`${scoreReason} would otherwise be SQL-ready; a knock-out overrules the score`] : [],
      nextAction: { kind: 'close_out', label: 'Reject with the suggested reason code' },
      suggestedReasonCode: first.knockout.reasonCode,
    };
  }

  const answer = (id: string) => checklist.answers[id];
  const ruledOut = p.byState.disconfirmed.filter((c) => c.onDisconfirmed === 'disqualify');
  if (ruledOut.length > 0) {
    return {
      outcome: 'disqualify',
      rule: 'disconfirmed_disqualify',
      headline: `Disqualify: ${ruledOut[0]!.label.toLowerCase()} disconfirmed`,
      reasons: ruledOut.map((c) => `${c.label} disconfirmed${quote(answer(c.id)?.evidence ?? '')}`),
      cautions: [],
      nextAction: { kind: 'close_out', label: 'Reject with the suggested reason code' },
      suggestedReasonCode: ruledOut[0]!.disconfirmedReason,
    };
  }

  if (p.confirmed >= framework.sqlAt) {
    const cautions: string[] = [];
    if (score.total < t.sqlReady) cautions.push(`${scoreReason} is below the SQL-ready ${t.sqlReady}; the conversation confirmed intent`);
    if (priority.fit.level === 'poor') cautions.push(`Company is outside the ICP (${list(priority.fit.missed)})`);
    return {
      outcome: 'sql',
      rule: 'criteria_confirmed',
      headline: `SQL: ${p.summary}`,
      reasons: [p.summary, scoreReason, ...(fitNote ? [fitNote] : [])],
      cautions,
      nextAction: { kind: 'book_next_step', label: 'Accept as SQL and book the next step today' },
    };
  }

  const notNow = p.byState.disconfirmed.filter((c) => c.onDisconfirmed === 'nurture');
  if (notNow.length > 0) {
    return {
      outcome: 'nurture',
      rule: 'disconfirmed_not_now',
      headline: `Nurture: ${notNow.map((c) => c.label.toLowerCase()).join(' and ')} not there yet`,
      reasons: [...notNow.map((c) => `${c.label} disconfirmed${quote(answer(c.id)?.evidence ?? '')}`), p.summary],
      cautions: [],
      nextAction: { kind: 'nurture_sequence', label: `Recycle to nurture; re-check in ${t.nurtureRecheckDays} days`, dueAt: inDays(now, t.nurtureRecheckDays) },
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
        headline: `Nurture with a follow-up: ${p.summary}`,
        reasons: [p.summary, `Still open: ${list(openLabels)}`, scoreReason],
        cautions: [],
        nextAction: { kind: 'follow_up_task', label: `Follow-up task in ${t.followUpDays} days to confirm ${list(openLabels)}`, dueAt: inDays(now, t.followUpDays) },
      };
    }
    const missing = p.total - p.confirmed;
    return {
      outcome: 'nurture',
      rule: 'marketing_development',
      headline: `Not ready: ${missing} of ${p.total} ${framework.label} signals missing`,
      reasons: [`${missing} signals missing (${list(openLabels)}): more marketing development, not a closing pitch`, p.summary, scoreReason],
      cautions: [],
      nextAction: { kind: 'nurture_sequence', label: `Back to marketing nurture; re-check in ${t.nurtureRecheckDays} days`, dueAt: inDays(now, t.nurtureRecheckDays) },
    };
  }

  // Before the call: nothing answered yet, so only the score, the ICP fit and the lead's own request speak.
  const priorityReason = fitNote ?? `Priority ${priority.value}`;
  if (input.salesRequest) {
    const ready = priority.value >= t.sqlReady;
    return {
      outcome: ready ? 'sql' : 'nurture',
      rule: ready ? 'sales_request_ready' : 'sales_request_low_priority',
      headline: ready ? 'SQL-ready: they asked to talk. Call now and confirm' : 'They asked to talk: call and qualify before any pitch',
      reasons: ['Direct sales request', scoreReason, priorityReason],
      cautions: ready ? [] : [`Priority ${priority.value} is below the SQL-ready ${t.sqlReady}`],
      nextAction: { kind: 'call_now', label: 'Call now (speed-to-lead)', dueAt: input.contactDeadline },
    };
  }
  if (priority.value >= t.mql) {
    return {
      outcome: 'nurture',
      rule: 'hot_mql',
      headline: 'Hot MQL without a sales request: nurture and follow up',
      reasons: [scoreReason, priorityReason, 'No direct sales request yet'],
      cautions: [],
      nextAction: { kind: 'follow_up_task', label: `Nurture sequence plus a follow-up task in ${t.followUpDays} days`, dueAt: inDays(now, t.followUpDays) },
    };
  }
  return {
    outcome: 'nurture',
    rule: 'cold',
    headline: 'Not ready: keep in marketing nurture',
    reasons: [scoreReason, `Below the MQL follow-up threshold ${t.mql}`],
    cautions: [],
    nextAction: { kind: 'nurture_sequence', label: `Marketing nurture; re-check in ${t.nurtureRecheckDays} days`, dueAt: inDays(now, t.nurtureRecheckDays) },
  };
}
