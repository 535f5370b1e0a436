import { icpDimensions, matchesIcp, type IcpDimension } from './conditions';
import type { IcpOverride, ScoringConfig } from './config';
import type { LeadProfile } from './lead';

/**
 * Score alone never makes an SQL: how well the company fits the ICP can overrule it. A strong-fit
 * lead ranks above a higher-scored poor-fit one (the brief's 55 at a 200-person ICP firm beats 75 at a
 * 10-person startup). The adjustment is used for ranking and recommending only, never shown as score.
 */

export type IcpFitLevel = 'strong' | 'partial' | 'poor' | 'unknown';

export interface IcpFit {
  level: IcpFitLevel;
  matched: IcpDimension[];
  /** Known, and not in the ICP. */
  missed: IcpDimension[];
  /** Nothing on the profile to judge by. */
  unknown: IcpDimension[];
}

function isKnown(lead: LeadProfile, d: IcpDimension): boolean {
  switch (d) {
    case 'industry':
      return !!lead.industry;
    case 'region':
      return !!lead.region;
    case 'companySize':
      return lead.companySize !== undefined;
    case 'techStack':
      return (lead.techStack?.length ?? 0) > 0;
  }
}

export function icpFit(lead: LeadProfile, scoring: ScoringConfig, override: IcpOverride): IcpFit {
  const matched: IcpDimension[] = [];
  const missed: IcpDimension[] = [];
  const unknown: IcpDimension[] = [];
  for (const d of icpDimensions) {
    if (!isKnown(lead, d)) unknown.push(d);
    else if (matchesIcp(lead, scoring.icp, d)) matched.push(d);
    else missed.push(d);
  }
  let level: IcpFitLevel;
  if (override.poorFitWhenMissing.some((d) => missed.includes(d))) level = 'poor';
  else if (override.strongFitRequires.every((d) => matched.includes(d))) level = 'strong';
  else if (matched.length === 0 && missed.length === 0) level = 'unknown';
  else level = 'partial';
  return { level, matched, missed, unknown };
}

export interface Priority {
  score: number;
  fit: IcpFit;
  adjustment: number;
  /**
   * The ICP dimensions that made the adjustment: for a strong fit, the required dimensions (all matched);
   * for a poor fit, the ones known and outside the ICP that trigger the penalty. Empty without adjustment.
   */
  adjustedFor: IcpDimension[];
  /** Score plus the ICP adjustment: what leads are ranked and recommended by. */
  value: number;
}

export function priorityOf(score: number, fit: IcpFit, override: IcpOverride): Priority {
  const adjustment = fit.level === 'strong' ? override.strongFitBonus : fit.level === 'poor' ? -override.poorFitPenalty : 0;
  const adjustedFor =
    adjustment === 0
      ? []
      : fit.level === 'strong'
        ? icpDimensions.filter((d) => override.strongFitRequires.includes(d))
        : icpDimensions.filter((d) => override.poorFitWhenMissing.includes(d) && fit.missed.includes(d));
  return { score, fit, adjustment, adjustedFor, value: score + adjustment };
}

/** Sort order for a rep's queue: higher priority first, then higher score, then a stable id order. */
export function compareByPriority<T extends { priority: Priority; recordId: string }>(a: T, b: T): number {
  return b.priority.value - a.priority.value || b.priority.score - a.priority.score || a.recordId.localeCompare(b.recordId);
}
