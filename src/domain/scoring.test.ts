import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { DAY_MS, leadProfileSchema, type LeadProfileInput } from './lead';
import { decayFactor, scoreLead, type ScoreResult } from './scoring';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * DAY_MS).toISOString();
const config = defaultConfig();
const lead = (fields: Partial<LeadProfileInput> = {}) => leadProfileSchema.parse({ crm: 'demo', recordId: 'L1', ...fields });
const score = (fields: Partial<LeadProfileInput> = {}) => scoreLead(lead(fields), config.scoring, NOW);
const sum = (r: ScoreResult) => r.lines.reduce((s, l) => s + l.points, 0);
const pointsOf = (r: ScoreResult, ruleId: string) => r.lines.filter((l) => l.ruleId === ruleId).map((l) => l.points);

describe('lead score', () => {
  it("reproduces the brief's worked example: pricing page + director + ideal industry = 40", () => {
    const r = score({
      title: 'Director of Operations',
      industry: 'Software',
      activities: [{ type: 'pricing_page_visit', at: daysAgo(2), detail: '/pricing' }],
    });
    expect(r.total).toBe(40);
    expect(r.fit).toBe(25);
    expect(r.engagement).toBe(15);
    expect(r.lines.map((l) => [l.ruleId, l.points])).toEqual([
      ['title_director', 15],
      ['icp_industry', 10],
      ['pricing_page', 15],
    ]);
  });

  it('explains every line: rule, points, source, date', () => {
    const r = score({ title: 'VP Sales', activities: [{ type: 'demo_request', at: daysAgo(1) }] });
    const demo = r.lines.find((l) => l.ruleId === 'demo_request')!;
    expect(demo).toMatchObject({ half: 'engagement', kind: 'rule', points: 30, source: 'activity:demo_request', label: 'Requested a demo', at: daysAgo(1) });
    const title = r.lines.find((l) => l.ruleId === 'title_c_level_vp')!;
    expect(title).toMatchObject({ half: 'fit', source: 'title', detail: 'VP Sales', at: new Date(NOW).toISOString() });
  });

  it('scores an empty profile as 0 with no lines', () => {
    const r = score();
    expect(r).toMatchObject({ total: 0, fit: 0, engagement: 0, lines: [], unscored: [] });
  });

  it('keeps activities no rule knows visible as unscored, without points', () => {
    const r = score({ activities: [{ type: 'podcast_listen', at: daysAgo(1) }] });
    expect(r.total).toBe(0);
    expect(r.unscored.map((a) => a.type)).toEqual(['podcast_listen']);
  });

  it('applies only the first matching rule of a group (a "VP, Director" title is C-level/VP, not both)', () => {
    const r = score({ title: 'VP and Director of Marketing' });
    expect(pointsOf(r, 'title_c_level_vp')).toEqual([20]);
    expect(pointsOf(r, 'title_director')).toEqual([]);
  });

  it('matches title keywords as whole words: "MVP" is not "VP"', () => {
    expect(pointsOf(score({ title: 'MVP award winner' }), 'title_c_level_vp')).toEqual([]);
  });

  it('subtracts points for negative fit and negative engagement signals', () => {
    const r = score({
      title: 'Marketing Intern',
      industry: 'Software',
      companySize: 200,
      activities: [
        { type: 'demo_request', at: daysAgo(1) },
        { type: 'unsubscribe', at: daysAgo(3) },
      ],
    });
    expect(pointsOf(r, 'title_intern_student')).toEqual([-10]);
    expect(pointsOf(r, 'unsubscribe')).toEqual([-10]);
    expect(r.fit).toBe(10); // -10 + 10 + 10
    expect(r.engagement).toBe(20);
    expect(r.total).toBe(30);
  });

  it('counts an activity at most maxCount times, the most recent ones', () => {
    const r = score({
      activities: [
        { type: 'case_study_download', at: daysAgo(1) },
        { type: 'case_study_download', at: daysAgo(5) },
        { type: 'case_study_download', at: daysAgo(40) },
      ],
    });
    const lines = r.lines.filter((l) => l.ruleId === 'case_study' && l.kind === 'rule');
    expect(lines.map((l) => l.at)).toEqual([daysAgo(1), daysAgo(5)]);
    expect(r.engagement).toBe(20);
  });

  describe('decay with age (defaults: full points to day 30, then half per started 30 days)', () => {
    const pricingAt = (age: number) => score({ activities: [{ type: 'pricing_page_visit', at: daysAgo(age) }] });

    it('keeps full points on day 29 and day 30', () => {
      for (const age of [29, 30]) {
        const r = pricingAt(age);
        expect(r.total).toBe(15);
        expect(r.lines.some((l) => l.kind === 'decay')).toBe(false);
      }
    });

    it('shows decay as its own line from day 31', () => {
      const r = pricingAt(31);
      const decay = r.lines.find((l) => l.kind === 'decay')!;
      // 15 halves to 7.5; 8 points are kept (rounded half away from zero), so the decay line is -7.
      expect(decay).toMatchObject({ ruleId: 'pricing_page', points: -7, label: 'Decay: visited the pricing page 31 days ago', at: daysAgo(31) });
      expect(r.total).toBe(8);
    });

    it('fades further with each started step', () => {
      expect(pricingAt(60).total).toBe(pricingAt(31).total);
      expect(pricingAt(61).total).toBe(4); // 15 × 0.25 = 3.75 → 4
      expect(pricingAt(400).total).toBe(0);
    });

    it('never decays signals marked not to (a hard bounce stays)', () => {
      const r = score({ activities: [{ type: 'hard_bounce', at: daysAgo(200) }, { type: 'demo_request', at: daysAgo(1) }] });
      expect(pointsOf(r, 'hard_bounce')).toEqual([-20]);
      expect(r.engagement).toBe(10);
    });

    it('treats a future-dated activity (clock skew) as fresh', () => {
      expect(score({ activities: [{ type: 'pricing_page_visit', at: daysAgo(-2) }] }).total).toBe(15);
    });

    it('computes the factor from the config', () => {
      const d = { afterDays: 10, stepDays: 5, percentPerStep: 20 };
      expect(decayFactor(10, d)).toBe(1);
      expect(decayFactor(11, d)).toBeCloseTo(0.8);
      expect(decayFactor(15, d)).toBeCloseTo(0.8);
      expect(decayFactor(16, d)).toBeCloseTo(0.64);
    });
  });

  describe('bounds', () => {
    it('caps each half with an explicit line, so the lines still add up', () => {
      const r = score({
        activities: ['demo_request', 'contact_request', 'pricing_page_visit'].map((type) => ({ type, at: daysAgo(1) })),
      });
      expect(r.engagement).toBe(50);
      expect(r.lines.at(-1)).toMatchObject({ kind: 'cap', ruleId: 'engagement_cap', points: -25, label: 'Engagement is capped at 50' });
      expect(sum(r)).toBe(r.total);
    });

    it('floors a negative half at 0 with an explicit line', () => {
      const r = score({ title: 'Student intern', activities: [{ type: 'hard_bounce', at: daysAgo(1) }] });
      expect(r.fit).toBe(0);
      expect(r.engagement).toBe(0);
      expect(r.total).toBe(0);
      expect(r.lines.filter((l) => l.kind === 'cap').map((l) => l.points)).toEqual([10, 20]);
    });

    it('reaches 100 at most', () => {
      const r = score({
        title: 'Chief Revenue Officer',
        industry: 'Software',
        companySize: 300,
        region: 'Europe',
        techStack: ['Salesforce'],
        activities: ['demo_request', 'pricing_page_visit', 'webinar_attended'].map((type) => ({ type, at: daysAgo(1) })),
      });
      expect(r.fit).toBe(50);
      expect(r.total).toBe(100);
    });
  });

  it('is deterministic for the same input and clock', () => {
    const input = { title: 'Head of IT', activities: [{ type: 'webinar_attended', at: daysAgo(45) }] };
    expect(score(input)).toEqual(score(input));
  });
});
