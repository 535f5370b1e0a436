import { evaluate, type Match } from './conditions';
import type { Knockout, QualificationConfig, RoutingRule } from './config';
import type { LeadProfile } from './lead';

/** A knock-out recommends disqualifying whatever the score: competitor, student, existing customer… */
export interface KnockoutHit {
  knockout: Knockout;
  match: Match;
}

export function findKnockouts(lead: LeadProfile, config: Pick<QualificationConfig, 'knockouts' | 'scoring'>): KnockoutHit[] {
  const hits: KnockoutHit[] = [];
  for (const knockout of config.knockouts) {
    const match = evaluate(knockout.when, lead, config.scoring.icp);
    if (match) hits.push({ knockout, match });
  }
  return hits;
}

/** A routing rule that keeps a lead away from sales tasks (intern, trainee, student titles by default). */
export interface RoutingHit {
  rule: RoutingRule;
  match: Match;
}

/** The `routing.noSalesTask` rules the lead matches (ADR 0018): never "call now" or a rep follow-up task. */
export function findNoSalesTask(lead: LeadProfile, config: Pick<QualificationConfig, 'routing' | 'scoring'>): RoutingHit[] {
  const hits: RoutingHit[] = [];
  for (const rule of config.routing.noSalesTask) {
    const match = evaluate(rule.when, lead, config.scoring.icp);
    if (match) hits.push({ rule, match });
  }
  return hits;
}
