import { describe, expect, it } from 'vitest';
import type { CriterionState } from './config';
import { defaultConfig } from './defaults';
import { emptyChecklist, setAnswer, type Checklist } from './frameworks';
import { findKnockouts } from './knockouts';
import { DAY_MS, leadProfileSchema, type LeadProfileInput } from './lead';
import { compareByPriority, icpFit, priorityOf } from './priority';
import { recommend } from './recommendation';
import { scoreLead } from './scoring';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * DAY_MS).toISOString();
const config = defaultConfig();

function checklist(frameworkId: string, states: Record<string, CriterionState>, evidence: Record<string, string> = {}): Checklist {
  let c = emptyChecklist(frameworkId);
  for (const [id, state] of Object.entries(states)) c = setAnswer(c, id, { state, evidence: evidence[id] ?? '', by: 'rep-1', at: daysAgo(0) });
  return c;
}

function run(fields: Partial<LeadProfileInput>, frameworkId = 'bant', states: Record<string, CriterionState> = {}, evidence: Record<string, string> = {}) {
  const lead = leadProfileSchema.parse({ crm: 'demo', recordId: 'L1', ...fields });
  const framework = config.frameworks.find((f) => f.id === frameworkId)!;
  const score = scoreLead(lead, config.scoring, NOW);
  const priority = priorityOf(score.total, icpFit(lead, config.scoring, config.icpOverride), config.icpOverride);
  return recommend({
    framework,
    checklist: checklist(frameworkId, states, evidence),
    score,
    priority,
    knockouts: findKnockouts(lead, config),
    salesRequest: lead.activities.some((a) => config.thresholds.salesRequestActivities.includes(a.type)),
    config,
    now: NOW,
  });
}

const hotMql = {
  title: 'Director of Operations',
  industry: 'Software',
  activities: [{ type: 'pricing_page_visit', at: daysAgo(2) }],
};
const all = (ids: string[], state: CriterionState) => Object.fromEntries(ids.map((id) => [id, state]));
const bant = ['budget', 'authority', 'need', 'timeline'];
const five = [...bant, 'engagement'];

describe('recommendation', () => {
  it("reproduces the brief's worked example: 40 points, no sales request → nurture plus a follow-up task in two days", () => {
    const r = run(hotMql);
    expect(r.outcome).toBe('nurture');
    expect(r.rule).toBe('hot_mql');
    expect(r.nextAction.kind).toBe('follow_up_task');
    expect(r.nextAction.dueAt).toBe(new Date(NOW + 2 * DAY_MS).toISOString());
    expect(r.reasons).toContain('Score 40 (fit 25, engagement 15)');
  });

  describe('five characteristics', () => {
    it('all five confirmed → SQL', () => {
      const r = run(hotMql, 'five_characteristics', all(five, 'confirmed'));
      expect(r.outcome).toBe('sql');
      expect(r.headline).toBe('SQL: 5 of 5 Five characteristics confirmed');
      expect(r.nextAction.kind).toBe('book_next_step');
    });

    it.each([4, 3])('%i confirmed → nurture with a follow-up', (n) => {
      const r = run(hotMql, 'five_characteristics', { ...all(five, 'unknown'), ...all(five.slice(0, n), 'confirmed') });
      expect(r.outcome).toBe('nurture');
      expect(r.rule).toBe('one_gap');
      expect(r.nextAction.kind).toBe('follow_up_task');
    });

    it.each([2, 1, 0])('%i confirmed (after the call) → not ready, marketing development', (n) => {
      const states = { ...all(five, 'partly'), ...all(five.slice(0, n), 'confirmed') };
      const r = run(hotMql, 'five_characteristics', states);
      expect(r.outcome).toBe('nurture');
      expect(r.rule).toBe('marketing_development');
      expect(r.headline).toBe(`Not ready: ${5 - n} of 5 Five characteristics signals missing`);
    });
  });

  describe('BANT', () => {
    it('all four confirmed → SQL, even below the score threshold, with a caution', () => {
      const r = run({ title: 'Engineer' }, 'bant', all(bant, 'confirmed'));
      expect(r.outcome).toBe('sql');
      expect(r.cautions[0]).toMatch(/below the SQL-ready 65/);
    });

    it('one signal missing → nurture with a follow-up to close it', () => {
      const r = run(hotMql, 'bant', { budget: 'confirmed', authority: 'confirmed', need: 'confirmed', timeline: 'partly' });
      expect(r.rule).toBe('one_gap');
      expect(r.reasons).toContain('Still open: Timeline');
    });

    it('two or more BANT signals missing → nurture, not a pitch', () => {
      const r = run(hotMql, 'bant', { budget: 'confirmed', authority: 'confirmed', need: 'partly' });
      expect(r.outcome).toBe('nurture');
      expect(r.rule).toBe('marketing_development');
      expect(r.reasons[0]).toBe('2 signals missing (Need, Timeline): more marketing development, not a closing pitch');
    });

    it('need disconfirmed → disqualify with "no need" and the prospect’s words', () => {
      const r = run(hotMql, 'bant', { need: 'disconfirmed' }, { need: 'We built this in-house last year.' });
      expect(r.outcome).toBe('disqualify');
      expect(r.suggestedReasonCode).toBe('no_need');
      expect(r.reasons[0]).toBe('Need disconfirmed: “We built this in-house last year.”');
    });

    it('timeline disconfirmed → nurture with a re-check date and "bad timing"', () => {
      const r = run(hotMql, 'bant', { budget: 'confirmed', need: 'confirmed', authority: 'confirmed', timeline: 'disconfirmed' });
      expect(r.outcome).toBe('nurture');
      expect(r.rule).toBe('disconfirmed_not_now');
      expect(r.suggestedReasonCode).toBe('bad_timing');
      expect(r.nextAction.dueAt).toBe(new Date(NOW + 30 * DAY_MS).toISOString());
    });
  });

  describe('knock-outs overrule the score', () => {
    const strong = {
      title: 'VP Engineering',
      industry: 'Software',
      companySize: 400,
      activities: ['demo_request', 'pricing_page_visit'].map((type) => ({ type, at: daysAgo(1) })),
    };

    it.each([
      ['competitor domain', { email: 'jane@rivalcrm.example' }, 'competitor'],
      ['student title', { title: 'Student' }, 'student_job_seeker'],
      ['existing customer', { existingCustomer: true }, 'existing_customer'],
    ])('%s → disqualify whatever the score', (_name, extra, reason) => {
      const r = run({ ...strong, ...extra }, 'bant', all(bant, 'confirmed'));
      expect(r.outcome).toBe('disqualify');
      expect(r.rule).toBe('knockout');
      expect(r.suggestedReasonCode).toBe(reason);
    });

    it('a subdomain of a competitor counts, a look-alike domain does not', () => {
      expect(run({ email: 'a@eu.rivalcrm.example' }).rule).toBe('knockout');
      expect(run({ email: 'a@notrivalcrm.example' }).rule).not.toBe('knockout');
    });
  });

  describe('thresholds before the call (boundaries at ±1)', () => {
    // A fixed lead; the threshold moves around its priority, so the boundary is tested exactly.
    const demoLead = { title: 'Director', region: 'Europe', activities: ['demo_request', 'pricing_page_visit'].map((type) => ({ type, at: daysAgo(1) })) };
    const demoPriority = 15 + 5 + 30 + 15; // director, region, demo, pricing; no company size → no ICP adjustment

    function withThresholds(fields: Partial<LeadProfileInput>, t: Partial<typeof config.thresholds>) {
      const saved = { ...config.thresholds };
      Object.assign(config.thresholds, t);
      try {
        return run(fields);
      } finally {
        Object.assign(config.thresholds, saved);
      }
    }

    it('a sales request at the SQL-ready threshold → SQL-ready, call now', () => {
      const r = withThresholds(demoLead, { sqlReady: demoPriority });
      expect(r).toMatchObject({ outcome: 'sql', rule: 'sales_request_ready' });
      expect(r.nextAction.kind).toBe('call_now');
    });

    it('one point below the SQL-ready threshold → still call (they asked), but no SQL yet', () => {
      const r = withThresholds(demoLead, { sqlReady: demoPriority + 1 });
      expect(r).toMatchObject({ outcome: 'nurture', rule: 'sales_request_low_priority' });
      expect(r.nextAction.kind).toBe('call_now');
      expect(r.cautions).toEqual([`Priority ${demoPriority} is below the SQL-ready ${demoPriority + 1}`]);
    });

    it('one point above the threshold is SQL-ready too', () => {
      expect(withThresholds(demoLead, { sqlReady: demoPriority - 1 }).outcome).toBe('sql');
    });

    it('without a sales request: at the MQL threshold → follow-up task; one below → nurture sequence only', () => {
      expect(withThresholds(hotMql, { mql: 40 }).rule).toBe('hot_mql');
      expect(withThresholds(hotMql, { mql: 39 }).rule).toBe('hot_mql');
      const cold = withThresholds(hotMql, { mql: 41 });
      expect(cold.rule).toBe('cold');
      expect(cold.nextAction.kind).toBe('nurture_sequence');
    });

    it('a high score without a sales request is still nurture, never SQL (score alone never makes an SQL)', () => {
      const r = run({ title: 'CEO', industry: 'Software', companySize: 300, region: 'Europe', techStack: ['HubSpot'], activities: ['pricing_page_visit', 'webinar_attended', 'case_study_download'].map((type) => ({ type, at: daysAgo(1) })) });
      expect(r.outcome).toBe('nurture');
      expect(r.rule).toBe('hot_mql');
    });
  });

  describe("ICP fit overrules score (the brief's 55 vs 75)", () => {
    // A: 55 points at a 200-person firm in the ICP. B: 75 points at a 10-person startup.
    const a = { title: 'Analyst', industry: 'Software', companySize: 200, region: 'Europe', activities: [{ type: 'demo_request', at: daysAgo(1) }] };
    const b = {
      title: 'VP Growth',
      industry: 'Software',
      companySize: 10,
      region: 'Europe',
      techStack: ['HubSpot'],
      activities: ['demo_request', 'blog_subscription'].map((type) => ({ type, at: daysAgo(1) })),
    };

    function scored(fields: Partial<LeadProfileInput>, recordId: string) {
      const lead = leadProfileSchema.parse({ crm: 'demo', recordId, ...fields });
      const s = scoreLead(lead, config.scoring, NOW);
      return { recordId, score: s.total, priority: priorityOf(s.total, icpFit(lead, config.scoring, config.icpOverride), config.icpOverride) };
    }

    it('scores them 55 and 75', () => {
      expect(scored(a, 'A').score).toBe(55);
      expect(scored(b, 'B').score).toBe(75);
    });

    it('ranks the strong-fit 55 above the poor-fit 75', () => {
      const strongFit = scored(a, 'A');
      const poorFit = scored(b, 'B');
      expect(strongFit.priority).toMatchObject({ value: 70, adjustment: 15, fit: { level: 'strong' } });
      expect(poorFit.priority).toMatchObject({ value: 60, adjustment: -15, fit: { level: 'poor', missed: ['companySize'] } });
      expect([poorFit, strongFit].sort(compareByPriority).map((x) => x.recordId)).toEqual(['A', 'B']);
    });

    it('recommends the 55 as SQL-ready and the 75 as a call to qualify first', () => {
      expect(run(a).outcome).toBe('sql');
      const rb = run(b);
      expect(rb.outcome).toBe('nurture');
      expect(rb.reasons).toContain('Poor ICP fit (companySize) takes 15 off priority (60)');
    });
  });
});
