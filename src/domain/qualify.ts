import { findFramework, type Framework, type QualificationConfig } from './config';
import { progress, type Checklist, type Progress } from './frameworks';
import { findKnockouts, type KnockoutHit } from './knockouts';
import type { LeadProfile } from './lead';
import { icpFit, priorityOf, type Priority } from './priority';
import { nextQuestions, type SuggestedQuestion } from './questions';
import { recommend, type Recommendation } from './recommendation';
import { scoreLead, type ScoreResult } from './scoring';
import { dispositionDeadline, speedToLead, type SlaTimer } from './sla';

/**
 * Everything the panel shows about a lead, computed in one pass from the profile, the rep's checklist,
 * the team's config and the clock. Pure: the background calls it, the UI renders it, a disposition
 * freezes parts of it.
 */
export interface Qualification {
  framework: Framework;
  score: ScoreResult;
  knockouts: KnockoutHit[];
  priority: Priority;
  progress: Progress;
  recommendation: Recommendation;
  questions: SuggestedQuestion[];
  salesRequest: boolean;
  sla: { speedToLead?: SlaTimer; disposition?: SlaTimer };
}

export function qualify(
  lead: LeadProfile,
  checklist: Checklist,
  config: QualificationConfig,
  now: number,
  options: { askedQuestions?: readonly string[]; decidedAt?: string } = {},
): Qualification {
  // A checklist saved under a framework the team has since removed falls back to the default one.
  const framework = findFramework(config, checklist.frameworkId) ?? findFramework(config, config.defaultFrameworkId)!;
  const score = scoreLead(lead, config.scoring, now);
  const knockouts = findKnockouts(lead, config);
  const priority = priorityOf(score.total, icpFit(lead, config.scoring, config.icpOverride), config.icpOverride);
  const salesRequest = lead.activities.some((a) => config.thresholds.salesRequestActivities.includes(a.type));
  const speed = speedToLead({ mqlAt: lead.mqlAt, firstContactAt: lead.firstContactAt, contactRequested: salesRequest }, config.sla, now);
  const disposition = dispositionDeadline({ firstContactAt: lead.firstContactAt, decidedAt: options.decidedAt }, config.sla, now);
  const recommendation = recommend({
    framework,
    checklist,
    score,
    priority,
    knockouts,
    salesRequest,
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
    questions: nextQuestions(config.questions, framework, checklist, { asked: options.askedQuestions }),
    salesRequest,
    sla: { speedToLead: speed, disposition },
  };
}
