import { findFramework, type Framework, type QualificationConfig } from './config';
import { progress, type Checklist, type Progress } from './frameworks';
import { findKnockouts, findNoSalesTask, type KnockoutHit, type RoutingHit } from './knockouts';
import { DAY_MS, type LeadProfile } from './lead';
import { icpFit, priorityOf, type Priority } from './priority';
import { askedCriteria, nextQuestions, type SuggestedQuestion } from './questions';
import { advise, type CallGuidance, type Recommendation, type SalesRequestSignal } from './recommendation';
import { scoreLead, type ScoreResult } from './scoring';
import { earliestContact } from './calls';
import { dispositionDeadline, speedToLead, type SlaTimer } from './sla';

/**
 * Everything the panel shows about a lead, computed in one pass from the profile, the rep's checklist,
 * the team's config and the clock. Pure: the background calls it, the UI renders it, a disposition
 * freezes parts of it (the recommendation, not the call-time guidance).
 */
export interface Qualification {
  framework: Framework;
  score: ScoreResult;
  knockouts: KnockoutHit[];
  priority: Priority;
  progress: Progress;
  recommendation: Recommendation;
  /** Call-time guidance beside the recommendation (ADR 0018): phase, next step on the call, adjustments. */
  call: CallGuidance;
  questions: SuggestedQuestion[];
  /** A live sales request: asked to talk within `thresholds.salesRequestLiveDays`. */
  salesRequest: boolean;
  /** The latest sales request, live or old. */
  request?: SalesRequestSignal;
  /** `routing.noSalesTask` rules the lead matches (interns, trainees, students by default). */
  noSalesTask: RoutingHit[];
  sla: { speedToLead?: SlaTimer; disposition?: SlaTimer };
}

export interface QualifyOptions {
  /** Question ids the rep marked asked: their criteria count as asked, not "not asked yet". */
  askedQuestions?: readonly string[];
  /** When the decision was recorded: stops the disposition clock, and the recommendation is decision-time. */
  decidedAt?: string;
  /**
   * `decision` while the rep is deciding (the disposition form is open, the call is over): the guides'
   * decision-time rules apply. Default: `decision` when `decidedAt` is given, else `call`.
   */
  phase?: 'call' | 'decision';
  /**
   * The first logged call on this lead that counts as contact (`PanelState.call.firstContactAt`, ADR 19):
   * first contact is the earlier of it and the CRM's `firstContactAt`, so logging a call stops the
   * speed-to-lead clock and starts the disposition deadline.
   */
  loggedFirstContactAt?: string;
}

/** The most recent sales request (demo, contact) and whether it is still live. */
export function latestSalesRequest(lead: LeadProfile, config: Pick<QualificationConfig, 'thresholds' | 'scoring'>, now: number): SalesRequestSignal | undefined {
  const types = config.thresholds.salesRequestActivities;
  let latest: LeadProfile['activities'][number] | undefined;
  for (const a of lead.activities) if (types.includes(a.type) && (!latest || Date.parse(a.at) > Date.parse(latest.at))) latest = a;
  if (!latest) return undefined;
  const ageMs = now - Date.parse(latest.at);
  const label = config.scoring.engagementRules.find((r) => r.activity === latest.type)?.label ?? latest.type;
  return { type: latest.type, label, at: latest.at, live: ageMs <= config.thresholds.salesRequestLiveDays * DAY_MS, ageMs };
}

export function qualify(lead: LeadProfile, checklist: Checklist, config: QualificationConfig, now: number, options: QualifyOptions = {}): Qualification {
  // A checklist saved under a framework the team has since removed falls back to the default one.
  const framework = findFramework(config, checklist.frameworkId) ?? findFramework(config, config.defaultFrameworkId)!;
  const score = scoreLead(lead, config.scoring, now);
  const knockouts = findKnockouts(lead, config);
  const noSalesTask = findNoSalesTask(lead, config);
  const priority = priorityOf(score.total, icpFit(lead, config.scoring, config.icpOverride), config.icpOverride);
  const request = latestSalesRequest(lead, config, now);
  const salesRequest = request?.live ?? false;
  const firstContactAt = earliestContact(lead.firstContactAt, options.loggedFirstContactAt);
  // The clock runs from a live request's time (5 minutes), otherwise from the MQL time (4 hours).
  const speed = speedToLead(
    { mqlAt: lead.mqlAt, firstContactAt, contactRequested: salesRequest, requestedAt: salesRequest ? request!.at : undefined },
    config.sla,
    now,
  );
  const disposition = dispositionDeadline({ firstContactAt, decidedAt: options.decidedAt }, config.sla, now);
  const { recommendation, call } = advise({
    framework,
    checklist,
    score,
    priority,
    knockouts,
    salesRequest,
    request,
    noSalesTask,
    asked: askedCriteria(config.questions, framework, options.askedQuestions),
    phase: options.phase ?? (options.decidedAt ? 'decision' : 'call'),
    contactDeadline: speed && !speed.completedAt ? speed.deadline : undefined,
    config,
    now,
  });
  return {
    framework,
    score,
    knockouts,
    priority,
    progress: progress(framework, checklist),
    recommendation,
    call,
    questions: nextQuestions(config.questions, framework, checklist, { asked: options.askedQuestions }),
    salesRequest,
    ...(request ? { request } : {}),
    noSalesTask,
    sla: { speedToLead: speed, disposition },
  };
}
