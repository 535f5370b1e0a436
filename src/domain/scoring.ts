import { evaluate } from './conditions';
import type { Decay, EngagementRule, ScoringConfig } from './config';
import { ageInDays, type Activity, type LeadProfile } from './lead';
import { qualifyStrings } from '../i18n/qualify';

const m = qualifyStrings.scoring;

/**
 * The lead score: 0–100, fit (who they are, against the ICP) plus engagement (what they did).
 * Every point is a line a rep can read: rule, points, where it came from, and when. Decay and caps are
 * lines too, so the lines always add up to the total. The clock is passed in: same input, same score.
 */

export type ScoreHalf = 'fit' | 'engagement';

export interface ScoreLine {
  half: ScoreHalf;
  /** `rule`: a rule matched; `decay`: an older activity's points fading; `cap`: the half kept within its bounds. */
  kind: 'rule' | 'decay' | 'cap';
  ruleId: string;
  label: string;
  points: number;
  /** The profile field (`title`, `companySize`…) or `activity:<type>` the points came from. */
  source: string;
  /** The value that matched, in the CRM's words (a title, "200 employees", a page). */
  detail: string;
  /** When: the activity's date, or when the profile was scored for field rules. */
  at: string;
}

export interface ScoreResult {
  total: number;
  fit: number;
  engagement: number;
  fitMax: number;
  engagementMax: number;
  lines: ScoreLine[];
  /** Activities no rule knows: kept visible ("not scored") rather than silently dropped. */
  unscored: Activity[];
  scoredAt: string;
}

/** Rounds half away from zero, so +7.5 and −7.5 fade alike. */
const roundAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/**
 * How much of an activity's points remain at a given age. Up to `afterDays` old: all of them; then each
 * started step of `stepDays` removes `percentPerStep` of what was left. Day 30 keeps all, day 31 halves
 * (with the defaults), day 61 quarters.
 */
export function decayFactor(ageDays: number, decay: Decay): number {
  if (ageDays <= decay.afterDays) return 1;
  const steps = Math.ceil((ageDays - decay.afterDays) / decay.stepDays);
  return Math.pow(1 - decay.percentPerStep / 100, steps);
}

function capLine(half: ScoreHalf, raw: number, max: number, at: string): ScoreLine | undefined {
  const name = m.halves[half];
  if (raw > max) {
    return { half, kind: 'cap', ruleId: `${half}_cap`, label: m.capped(name, max), points: max - raw, source: half, detail: m.beforeCap(raw), at };
  }
  if (raw < 0) {
    return { half, kind: 'cap', ruleId: `${half}_floor`, label: m.floored(name), points: -raw, source: half, detail: m.beforeFloor(raw), at };
  }
  return undefined;
}

function engagementLines(rule: EngagementRule, activities: readonly Activity[], decay: Decay, now: number): ScoreLine[] {
  const recentFirst = activities
    .filter((a) => a.type === rule.activity)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, rule.maxCount);
  const lines: ScoreLine[] = [];
  for (const a of recentFirst) {
    const source = `activity:${a.type}`;
    const detail = a.detail ?? rule.label;
    lines.push({ half: 'engagement', kind: 'rule', ruleId: rule.id, label: rule.label, points: rule.points, source, detail, at: a.at });
    if (!rule.decays) continue;
    const age = Math.max(0, ageInDays(a.at, now));
    const kept = roundAway(rule.points * decayFactor(age, decay));
    if (kept !== rule.points) {
      lines.push({
        half: 'engagement',
        kind: 'decay',
        ruleId: rule.id,
        label: m.decay(rule.label, age),
        points: kept - rule.points,
        source,
        detail: m.olderThan(decay.afterDays),
        at: a.at,
      });
    }
  }
  return lines;
}

export function scoreLead(lead: LeadProfile, scoring: ScoringConfig, now: number): ScoreResult {
  const scoredAt = new Date(now).toISOString();
  const lines: ScoreLine[] = [];

  const groupsTaken = new Set<string>();
  for (const rule of scoring.fitRules) {
    if (rule.group && groupsTaken.has(rule.group)) continue;
    const match = evaluate(rule.when, lead, scoring.icp);
    if (!match) continue;
    if (rule.group) groupsTaken.add(rule.group);
    lines.push({ half: 'fit', kind: 'rule', ruleId: rule.id, label: rule.label, points: rule.points, source: match.source, detail: match.detail, at: match.at ?? scoredAt });
  }
  const fitRaw = lines.reduce((s, l) => s + l.points, 0);
  const fitCap = capLine('fit', fitRaw, scoring.fitMax, scoredAt);
  if (fitCap) lines.push(fitCap);

  const engagementStart = lines.length;
  for (const rule of scoring.engagementRules) lines.push(...engagementLines(rule, lead.activities, scoring.decay, now));
  const engagementRaw = lines.slice(engagementStart).reduce((s, l) => s + l.points, 0);
  const engagementCap = capLine('engagement', engagementRaw, scoring.engagementMax, scoredAt);
  if (engagementCap) lines.push(engagementCap);

  const known = new Set(scoring.engagementRules.map((r) => r.activity));
  const fit = fitRaw + (fitCap?.points ?? 0);
  const engagement = engagementRaw + (engagementCap?.points ?? 0);
  return {
    total: fit + engagement,
    fit,
    engagement,
    fitMax: scoring.fitMax,
    engagementMax: scoring.engagementMax,
    lines,
    unscored: lead.activities.filter((a) => !known.has(a.type)),
    scoredAt,
  };
}
