import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScoringConfig } from './config';
import { defaultConfig } from './defaults';
import { DAY_MS, leadProfileSchema, type LeadProfile } from './lead';
import { scoreLead } from './scoring';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const base = defaultConfig().scoring;
const activityTypes = [...base.engagementRules.map((r) => r.activity), 'unknown_thing'];

const leadArb: fc.Arbitrary<LeadProfile> = fc
  .record(
    {
      title: fc.constantFrom('VP Sales', 'Director of IT', 'Intern', 'Student', 'Engineer', 'Chief of Staff', ''),
      industry: fc.constantFrom('Software', 'Retail', 'Healthcare', ''),
      region: fc.constantFrom('Europe', 'Asia', ''),
      companySize: fc.integer({ min: 0, max: 20000 }),
      techStack: fc.array(fc.constantFrom('Salesforce', 'HubSpot', 'Excel'), { maxLength: 3 }),
      activities: fc.array(
        fc.record({
          type: fc.constantFrom(...activityTypes),
          at: fc.integer({ min: -5, max: 500 }).map((d) => new Date(NOW - d * DAY_MS).toISOString()),
        }),
        { maxLength: 40 },
      ),
    },
    { requiredKeys: ['activities'] },
  )
  .map((f) => leadProfileSchema.parse({ crm: 'demo', recordId: 'x', ...f }));

/** Rule weights and caps a team might set, including extreme ones. */
const scoringArb: fc.Arbitrary<ScoringConfig> = fc
  .record({
    fitMax: fc.integer({ min: 0, max: 100 }),
    fitPoints: fc.array(fc.integer({ min: -100, max: 100 }), { minLength: base.fitRules.length, maxLength: base.fitRules.length }),
    engagementPoints: fc.array(fc.integer({ min: -100, max: 100 }), { minLength: base.engagementRules.length, maxLength: base.engagementRules.length }),
    maxCount: fc.integer({ min: 1, max: 5 }),
    decay: fc.record({ afterDays: fc.integer({ min: 0, max: 90 }), stepDays: fc.integer({ min: 1, max: 60 }), percentPerStep: fc.integer({ min: 0, max: 100 }) }),
  })
  .map((g) => ({
    ...base,
    fitMax: g.fitMax,
    engagementMax: 100 - g.fitMax,
    fitRules: base.fitRules.map((r, i) => ({ ...r, points: g.fitPoints[i]! })),
    engagementRules: base.engagementRules.map((r, i) => ({ ...r, points: g.engagementPoints[i]!, maxCount: g.maxCount })),
    decay: g.decay,
  }));

describe('lead score properties', () => {
  it('is always an integer from 0 to 100, each half within its bounds', () => {
    fc.assert(
      fc.property(leadArb, scoringArb, (lead, scoring) => {
        const r = scoreLead(lead, scoring, NOW);
        expect(Number.isInteger(r.total)).toBe(true);
        expect(r.total).toBeGreaterThanOrEqual(0);
        expect(r.total).toBeLessThanOrEqual(100);
        expect(r.fit).toBeGreaterThanOrEqual(0);
        expect(r.fit).toBeLessThanOrEqual(scoring.fitMax);
        expect(r.engagement).toBeGreaterThanOrEqual(0);
        expect(r.engagement).toBeLessThanOrEqual(scoring.engagementMax);
      }),
      { numRuns: 300 },
    );
  });

  it('has a breakdown that sums to the total, per half and overall', () => {
    fc.assert(
      fc.property(leadArb, scoringArb, (lead, scoring) => {
        const r = scoreLead(lead, scoring, NOW);
        const of = (half: string) => r.lines.filter((l) => l.half === half).reduce((s, l) => s + l.points, 0);
        expect(of('fit')).toBe(r.fit);
        expect(of('engagement')).toBe(r.engagement);
        expect(r.fit + r.engagement).toBe(r.total);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic, and does not depend on the order activities arrive in', () => {
    fc.assert(
      fc.property(leadArb, (lead) => {
        const a = scoreLead(lead, base, NOW);
        expect(scoreLead(lead, base, NOW)).toEqual(a);
        const reversed = { ...lead, activities: [...lead.activities].reverse() };
        expect(scoreLead(reversed, base, NOW).total).toBe(a.total);
      }),
      { numRuns: 200 },
    );
  });

  it('never rises as time passes without new activity (decay only takes away)', () => {
    const positive = { ...base, engagementRules: base.engagementRules.filter((r) => r.points > 0) };
    fc.assert(
      fc.property(leadArb, fc.integer({ min: 1, max: 400 }), (lead, laterDays) => {
        const now = scoreLead(lead, positive, NOW).engagement;
        const later = scoreLead(lead, positive, NOW + laterDays * DAY_MS).engagement;
        expect(later).toBeLessThanOrEqual(now);
      }),
      { numRuns: 200 },
    );
  });
});
