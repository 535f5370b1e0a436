import type { IcpDimension } from './conditions';
import type { Criterion, Framework, QualificationConfig } from './config';
import { progress, type Checklist, type Progress } from './frameworks';
import type { KnockoutHit, RoutingHit } from './knockouts';
import { DAY_MS } from './lead';
import type { Priority } from './priority';
import { discoveryStatus, type DiscoveryStatus } from './questions';
import type { ScoreResult } from './scoring';
import { formatDuration } from './sla';
import { qualifyStrings } from '../i18n/qualify';

/**
 * What the rep should do with this lead, and why (ADR 0003, ADR 0018). Three inputs decide:
 *
 * - the **standing** of the lead before any conversation (S): a live sales request, the priority (score
 *   adjusted for ICP fit) against the thresholds, routing rules (no sales task for interns…);
 * - the **decision-time rules** of the guides applied to the checklist (D): a criterion disconfirmed that
 *   rules the lead out → disqualify; enough confirmed → SQL; a "not now" → recycle; one gap → nurture with a
 *   follow-up; two or more missing → more marketing development, not a closing pitch. At decision time a
 *   criterion not confirmed is missing, asked or not;
 * - the **best the call can still reach** (B): D with every open criterion confirmed.
 *
 * At decision time (`phase: 'decision'`: the disposition form, a recorded decision) the recommendation is D.
 * During the call (the default) it is max(D, min(S, B)): what the conversation has established, and no
 * less than the lead's standing while the call can still reach it. So a criterion not asked yet never
 * counts as failed mid-call, and a disconfirmation that puts SQL out of reach shows at once. Knock-outs
 * disqualify in every phase.
 *
 * Invariant (property-tested): with the lead and phase fixed, confirming a criterion never makes the
 * recommendation worse and disconfirming one never makes it better, in the order `compareRecommendations`.
 */

export type RecommendationOutcome = 'sql' | 'nurture' | 'disqualify';

export type RecommendationRule =
  | 'knockout'
  | 'disconfirmed_disqualify'
  | 'criteria_confirmed'
  | 'disconfirmed_not_now'
  | 'one_gap'
  | 'marketing_development'
  | 'sql_out_of_reach'
  | 'sales_request_ready'
  | 'sales_request_low_priority'
  | 'hot_mql'
  | 'no_sales_task'
  | 'cold';

export type NextActionKind = 'book_next_step' | 'call_now' | 'follow_up_task' | 'nurture_sequence' | 'close_out';

export interface NextAction {
  kind: NextActionKind;
  label: string;
  /** When it should be done by, if the rule sets a date. */
  dueAt?: string;
}

/**
 * The recommendation as it is frozen into a disposition's snapshot (and hashed there): its shape is the one
 * `revision-schema.ts` reads back, so call-time guidance lives in `CallGuidance`, beside it.
 */
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

/** `before_call`: nothing asked or answered yet; `on_call`: discovery under way; `decision`: deciding now. */
export type RecommendationPhase = 'before_call' | 'on_call' | 'decision';

/** The latest sales request (demo, contact) on the lead, live or not. */
export interface SalesRequestSignal {
  /** The activity type, e.g. `demo_request`. */
  type: string;
  /** How a rep reads it: the engagement rule's label ("Requested a demo"), or the type. */
  label: string;
  at: string;
  /** Within `thresholds.salesRequestLiveDays`: they asked to talk, call now. Otherwise an old signal. */
  live: boolean;
  ageMs: number;
}

/** A change between the score and the value the thresholds are compared with, as its own line. */
export interface Adjustment {
  kind: 'icp_fit';
  /** Signed: +15 for a strong fit, −15 for a poor one (defaults). */
  points: number;
  from: number;
  to: number;
  /** "Outside ICP on company size: −15 → priority 25". Also one of the recommendation's reasons. */
  text: string;
}

export interface CriterionProgress {
  id: string;
  label: string;
  status: DiscoveryStatus;
}

/** What to do next in this conversation. */
export interface NextOnCall {
  /** `ask`: criteria not asked yet; `follow_up`: asked, not confirmed; `wrap_up`: nothing open; `book`: SQL reached. */
  kind: 'ask' | 'follow_up' | 'wrap_up' | 'book';
  /** Criterion ids not asked yet, in the framework's order. */
  ask: string[];
  /** Criterion ids asked but not confirmed (partly, or unknown after a question). */
  followUp: string[];
  /** "2 of 4 BANT confirmed — ask about Authority and Timeline". */
  text: string;
}

/** Call-time guidance next to the recommendation (not frozen into a disposition). */
export interface CallGuidance {
  phase: RecommendationPhase;
  /** Before and during the call; absent at decision time and for a disqualified lead. */
  nextOnCall?: NextOnCall;
  /** What changed the score into the value that decided; each also a line in the reasons. */
  adjustments: Adjustment[];
  /** The number the thresholds were compared with: the priority. */
  decidingValue: number;
  criteria: CriterionProgress[];
  request?: SalesRequestSignal;
  /** During the call: what the guides' decision-time rules say if the rep decides now, when it differs. */
  ifDecidedNow?: { outcome: RecommendationOutcome; rule: RecommendationRule; headline: string; text: string };
}

export interface RecommendationInput {
  framework: Framework;
  checklist: Checklist;
  score: ScoreResult;
  priority: Priority;
  knockouts: readonly KnockoutHit[];
  /** True when the lead has a live sales request (ignored when `request` is given: its `live` decides). */
  salesRequest: boolean;
  /** The latest sales request, live or old, to name it in the reasons. */
  request?: SalesRequestSignal;
  /** `routing.noSalesTask` rules the lead matches: no "call now", no rep follow-up task. */
  noSalesTask?: readonly RoutingHit[];
  /** Criterion ids a question marked asked was about (`askedCriteria`). */
  asked?: readonly string[];
  /** `decision` when the rep is deciding (disposition form, recorded decision); default `call`. */
  phase?: 'call' | 'decision';
  /** When the speed-to-lead window ends, if the lead has not been contacted yet. */
  contactDeadline?: string;
  config: Pick<QualificationConfig, 'thresholds'>;
  now: number;
}

// --- The order -----------------------------------------------------------------------------------------

const outcomeRank: Record<RecommendationOutcome, number> = { disqualify: 0, nurture: 1, sql: 2 };
/** How far towards a sale the next action takes the lead. */
const actionRank: Record<NextActionKind, number> = { close_out: 0, nurture_sequence: 1, follow_up_task: 2, call_now: 3, book_next_step: 4 };

/**
 * The order the invariant is stated in: outcome first (disqualify < nurture < sql), then the next action
 * (close out < nurture sequence < follow-up task < call now < book the next step). Negative when `a` is
 * worse than `b`, 0 when they rank the same.
 */
export function compareRecommendations(a: Pick<Recommendation, 'outcome' | 'nextAction'>, b: Pick<Recommendation, 'outcome' | 'nextAction'>): number {
  return outcomeRank[a.outcome] - outcomeRank[b.outcome] || actionRank[a.nextAction.kind] - actionRank[b.nextAction.kind];
}

// --- Building blocks -----------------------------------------------------------------------------------

const inDays = (now: number, days: number) => new Date(now + days * DAY_MS).toISOString();
const m = qualifyStrings.recommendation;
const quote = (evidence: string) => (evidence.trim() ? m.quote(evidence.trim()) : '');
const labels = (criteria: readonly Criterion[]) => criteria.map((c) => c.label);

interface Context {
  input: RecommendationInput;
  framework: Framework;
  t: QualificationConfig['thresholds'];
  now: number;
  scoreReason: string;
  /** The adjustment lines (empty without adjustment). */
  adjustmentLines: string[];
  priority: number;
  holds: readonly RoutingHit[];
  live: boolean;
  request?: SalesRequestSignal;
}

/** The guides' decision-time rules on one checklist (D). Open criteria count as missing. */
function decide(ctx: Context, checklist: Checklist, asked: ReadonlySet<string>): Recommendation {
  const { framework, t, now } = ctx;
  const p = progress(framework, checklist);
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
    if (ctx.priority < t.sqlReady) cautions.push(m.belowSqlReady(ctx.priority, t.sqlReady));
    const input = ctx.input;
    if (input.priority.fit.level === 'poor') cautions.push(m.outsideIcp(dimensionList(adjustedFor(input.priority))));
    for (const h of ctx.holds) cautions.push(m.noSalesTaskCaution(h.rule.label));
    return {
      outcome: 'sql',
      rule: 'criteria_confirmed',
      headline: m.sqlHeadline(p.summary),
      reasons: [p.summary, ctx.scoreReason, ...ctx.adjustmentLines],
      cautions,
      nextAction: { kind: 'book_next_step', label: m.bookNextStep },
    };
  }

  const notNow = p.byState.disconfirmed.filter((c) => c.onDisconfirmed === 'nurture');
  if (notNow.length > 0) {
    return {
      outcome: 'nurture',
      rule: 'disconfirmed_not_now',
      headline: m.notNowHeadline(labels(notNow)),
      reasons: [...notNow.map((c) => m.disconfirmed(c.label, quote(answer(c.id)?.evidence ?? ''))), p.summary],
      cautions: [],
      nextAction: { kind: 'nurture_sequence', label: m.recycleRecheck(t.nurtureRecheckDays), dueAt: inDays(now, t.nurtureRecheckDays) },
      suggestedReasonCode: notNow[0]!.disconfirmedReason,
    };
  }

  const open = framework.criteria.filter((c) => checklist.answers[c.id]?.state !== 'confirmed');
  const notAsked = open.filter((c) => discoveryStatus(checklist, c.id, asked) === 'not_asked');
  const askedOpen = open.filter((c) => !notAsked.includes(c));
  const breakdown = [
    ...(askedOpen.length ? [m.askedNotConfirmed(m.list(labels(askedOpen)))] : []),
    ...(notAsked.length ? [m.notAsked(m.list(labels(notAsked)))] : []),
  ];
  const openList = m.list(labels(open));
  if (p.confirmed >= framework.followUpAt) {
    const held = ctx.holds.length > 0;
    return {
      outcome: 'nurture',
      rule: 'one_gap',
      headline: m.oneGapHeadline(p.summary),
      reasons: [p.summary, m.stillOpen(openList), ...breakdown, ctx.scoreReason, ...ctx.holds.map(holdReason)],
      cautions: [],
      nextAction: held
        ? { kind: 'nurture_sequence', label: m.nurtureToConfirm(t.nurtureRecheckDays, openList), dueAt: inDays(now, t.nurtureRecheckDays) }
        : { kind: 'follow_up_task', label: m.followUpToConfirm(t.followUpDays, openList), dueAt: inDays(now, t.followUpDays) },
    };
  }
  const missing = p.total - p.confirmed;
  const untouched = notAsked.length === p.total;
  return {
    outcome: 'nurture',
    rule: 'marketing_development',
    headline: m.notReadyHeadline(missing, p.total, framework.label),
    reasons: [m.signalsMissing(missing, openList), ...breakdown, p.summary, ctx.scoreReason],
    cautions: untouched && ctx.live && ctx.request ? [m.decidedWithoutDiscovery(requestLine(ctx.request, ctx.now))] : [],
    nextAction: { kind: 'nurture_sequence', label: m.backToNurture(t.nurtureRecheckDays), dueAt: inDays(now, t.nurtureRecheckDays) },
  };
}

/** The lead's standing before any conversation (S): request, priority, routing. */
function standing(ctx: Context): Recommendation {
  const { t, now, priority } = ctx;
  const numbers = [ctx.scoreReason, ...ctx.adjustmentLines];
  const oldRequest = ctx.request && !ctx.request.live ? [m.staleSalesRequest(ctx.request.label, ago(ctx.request, now), t.salesRequestLiveDays)] : [];
  const liveRequest = ctx.live ? [ctx.request ? requestLine(ctx.request, now) : m.directSalesRequestPlain] : [];
  if (ctx.holds.length > 0) {
    return {
      outcome: 'nurture',
      rule: 'no_sales_task',
      headline: m.noSalesTaskHeadline(ctx.holds[0]!.rule.label),
      reasons: [...ctx.holds.map(holdReason), ...numbers, ...liveRequest, ...oldRequest],
      cautions: [],
      nextAction: { kind: 'nurture_sequence', label: m.marketingNurture(t.nurtureRecheckDays), dueAt: inDays(now, t.nurtureRecheckDays) },
    };
  }
  if (ctx.live) {
    const ready = priority >= t.sqlReady;
    return {
      outcome: ready ? 'sql' : 'nurture',
      rule: ready ? 'sales_request_ready' : 'sales_request_low_priority',
      headline: ready ? m.salesRequestReadyHeadline : m.salesRequestHeadline,
      reasons: [...liveRequest, ...numbers, ...(ready ? [m.priorityAtLeastSqlReady(priority, t.sqlReady)] : [])],
      cautions: ready ? [] : [m.priorityBelowSqlReady(priority, t.sqlReady)],
      nextAction: { kind: 'call_now', label: m.callNow, dueAt: ctx.input.contactDeadline },
    };
  }
  if (priority >= t.mql) {
    return {
      outcome: 'nurture',
      rule: 'hot_mql',
      headline: m.hotMqlHeadline,
      reasons: [...numbers, m.priorityAtLeastMql(priority, t.mql), ...(oldRequest.length ? oldRequest : [m.noSalesRequest])],
      cautions: [],
      nextAction: { kind: 'follow_up_task', label: m.nurtureAndFollowUp(t.followUpDays), dueAt: inDays(now, t.followUpDays) },
    };
  }
  return {
    outcome: 'nurture',
    rule: 'cold',
    headline: m.coldHeadline,
    reasons: [...numbers, m.priorityBelowMql(priority, t.mql), ...oldRequest],
    cautions: [],
    nextAction: { kind: 'nurture_sequence', label: m.marketingNurture(t.nurtureRecheckDays), dueAt: inDays(now, t.nurtureRecheckDays) },
  };
}

function ago(request: SalesRequestSignal, now: number): string {
  return m.ago(formatDuration(Math.max(0, now - Date.parse(request.at))));
}

function requestLine(request: SalesRequestSignal, now: number): string {
  return m.directSalesRequest(request.label, ago(request, now));
}

function holdReason(h: RoutingHit): string {
  return m.noSalesTask(h.rule.label, h.match.source, h.match.detail);
}

/** The dimensions behind the adjustment (all matched or missed ones, for a priority built by hand). */
function adjustedFor(priority: Priority): IcpDimension[] {
  if (priority.adjustedFor?.length) return priority.adjustedFor;
  return priority.adjustment > 0 ? priority.fit.matched : priority.fit.missed;
}

function dimensionList(dimensions: readonly IcpDimension[]): string {
  return m.and(dimensions.map((d) => m.dimension[d]));
}

/** The checklist with every open criterion confirmed: the best the call can still reach. */
function optimistic(framework: Framework, checklist: Checklist): Checklist {
  const answers = { ...checklist.answers };
  for (const c of framework.criteria) {
    const a = answers[c.id];
    if (a?.state === 'confirmed' || a?.state === 'disconfirmed') continue;
    answers[c.id] = { state: 'confirmed', evidence: a?.evidence ?? '', by: a?.by ?? '-', at: a?.at ?? new Date(0).toISOString() };
  }
  return { ...checklist, answers };
}

/** Decision-time rules that the conversation itself settled: on a tie with the standing, they explain it. */
const settledByConversation = new Set<RecommendationRule>(['disconfirmed_disqualify', 'criteria_confirmed', 'disconfirmed_not_now']);

// --- The recommendation --------------------------------------------------------------------------------

export function recommend(input: RecommendationInput): Recommendation {
  return advise(input).recommendation;
}

/** The recommendation and the call-time guidance beside it. */
export function advise(input: RecommendationInput): { recommendation: Recommendation; call: CallGuidance } {
  const { framework, checklist, score, priority, knockouts, config, now } = input;
  const t = config.thresholds;
  const p = progress(framework, checklist);
  const asked = new Set(input.asked ?? []);
  const criteria = framework.criteria.map((c) => ({ id: c.id, label: c.label, status: discoveryStatus(checklist, c.id, asked) }));
  const touched = criteria.some((c) => c.status !== 'not_asked');
  const phase: RecommendationPhase = input.phase === 'decision' ? 'decision' : touched ? 'on_call' : 'before_call';

  const adjustments: Adjustment[] =
    priority.adjustment === 0
      ? []
      : [
          {
            kind: 'icp_fit',
            points: priority.adjustment,
            from: priority.score,
            to: priority.value,
            text:
              priority.adjustment > 0
                ? m.strongFitLine(dimensionList(adjustedFor(priority)), priority.adjustment, priority.value)
                : m.poorFitLine(dimensionList(adjustedFor(priority)), -priority.adjustment, priority.value),
          },
        ];
  const ctx: Context = {
    input,
    framework,
    t,
    now,
    scoreReason: m.scoreReason(score.total, score.fit, score.engagement),
    adjustmentLines: adjustments.map((a) => a.text),
    priority: priority.value,
    holds: input.noSalesTask ?? [],
    live: input.request ? input.request.live : input.salesRequest,
    request: input.request,
  };
  const guidance = (recommendation: Recommendation, extra: Partial<CallGuidance> = {}): { recommendation: Recommendation; call: CallGuidance } => ({
    recommendation,
    call: { phase, adjustments, decidingValue: priority.value, criteria, ...(input.request ? { request: input.request } : {}), ...extra },
  });

  if (knockouts.length > 0) {
    const first = knockouts[0]!;
    return guidance({
      outcome: 'disqualify',
      rule: 'knockout',
      headline: m.knockoutHeadline(first.knockout.label),
      reasons: knockouts.map((k) => m.knockoutReason(k.knockout.label, k.match.source, k.match.detail)),
      cautions: priority.value >= t.sqlReady ? [...ctx.adjustmentLines, m.knockoutOverrules(priority.value, t.sqlReady)] : [],
      nextAction: { kind: 'close_out', label: m.rejectWithReason },
      suggestedReasonCode: first.knockout.reasonCode,
    });
  }

  const atDecision = decide(ctx, checklist, asked);
  if (phase === 'decision') return guidance(atDecision);

  // During the call: max(D, min(S, B)).
  const s = standing(ctx);
  const best = decide(ctx, optimistic(framework, checklist), asked);
  let cap = s;
  let capIsBest = false;
  if (compareRecommendations(best, s) < 0) {
    cap = outOfReach(ctx, best, p, criteria);
    capIsBest = true;
  }
  const c = compareRecommendations(atDecision, cap);
  const chosen = c > 0 || (c === 0 && (capIsBest || settledByConversation.has(atDecision.rule))) ? atDecision : cap;

  if (chosen.outcome === 'disqualify') return guidance(chosen);
  const nextOnCall = onCall(chosen, p, criteria);
  let recommendation = chosen;
  if (phase === 'on_call') {
    const keepsHeadline = settledByConversation.has(chosen.rule) || chosen.rule === 'sql_out_of_reach';
    recommendation = {
      ...chosen,
      headline: keepsHeadline ? chosen.headline : nextOnCall.text,
      nextAction: chosen.nextAction.kind === 'call_now' ? { ...chosen.nextAction, label: m.onTheCall } : chosen.nextAction,
    };
  }
  const ifDecidedNow =
    phase === 'on_call' && compareRecommendations(atDecision, chosen) !== 0
      ? { outcome: atDecision.outcome, rule: atDecision.rule, headline: atDecision.headline, text: m.ifDecidedNow(m.outcome[atDecision.outcome], atDecision.headline) }
      : undefined;
  return guidance(recommendation, { nextOnCall, ...(ifDecidedNow ? { ifDecidedNow } : {}) });
}

/** SQL no longer reachable on this call (a criterion disconfirmed): the best that is left (B). */
function outOfReach(ctx: Context, best: Recommendation, p: Progress, criteria: readonly CriterionProgress[]): Recommendation {
  const { t, now, framework } = ctx;
  const disconfirmed = labels(p.byState.disconfirmed);
  const open = criteria.filter((c) => c.status !== 'confirmed' && c.status !== 'disconfirmed').map((c) => c.label);
  const reachable = p.confirmed + open.length;
  const nextAction: NextAction =
    best.nextAction.kind === 'follow_up_task'
      ? { kind: 'follow_up_task', label: m.followUpToConfirm(t.followUpDays, m.list(open)), dueAt: inDays(now, t.followUpDays) }
      : best.nextAction;
  return {
    outcome: best.outcome,
    rule: 'sql_out_of_reach',
    headline: m.outOfReachHeadline(m.and(disconfirmed)),
    reasons: [m.outOfReach(m.and(disconfirmed), reachable, p.total, framework.label), p.summary, ctx.scoreReason, ...ctx.adjustmentLines],
    cautions: [],
    nextAction,
  };
}

function onCall(chosen: Recommendation, p: Progress, criteria: readonly CriterionProgress[]): NextOnCall {
  const ask = criteria.filter((c) => c.status === 'not_asked');
  const followUp = criteria.filter((c) => c.status === 'asked' || c.status === 'partly');
  const ids = { ask: ask.map((c) => c.id), followUp: followUp.map((c) => c.id) };
  const and = (cs: readonly CriterionProgress[]) => m.and(cs.map((c) => c.label));
  if (chosen.rule === 'criteria_confirmed') return { kind: 'book', ...ids, text: m.onCallBook(p.summary) };
  if (ask.length && followUp.length) return { kind: 'ask', ...ids, text: m.onCallAskAndFollowUp(p.summary, and(ask), and(followUp)) };
  if (ask.length) return { kind: 'ask', ...ids, text: m.onCallAsk(p.summary, and(ask)) };
  if (followUp.length) return { kind: 'follow_up', ...ids, text: m.onCallFollowUp(p.summary, and(followUp)) };
  return { kind: 'wrap_up', ...ids, text: m.onCallWrapUp(p.summary) };
}
