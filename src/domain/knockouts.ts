import { evaluate, type Match } from './conditions';
import type { Knockout, QualificationConfig } from './config';
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
