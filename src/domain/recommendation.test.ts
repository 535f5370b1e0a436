import { describe, expect, it } from 'vitest';
import type { CriterionState } from './config';
import { defaultConfig } from './defaults';
import { emptyChecklist, setAnswer, type Checklist } from './frameworks';
import { DAY_MS, leadProfileSchema, type LeadProfileInput } from './lead';
import { compareByPriority, icpFit, priorityOf } from './priority';
import { qualify, type QualifyOptions } from './qualify';
import { scoreLead } from './scoring';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * DAY_MS).toISOString();
const config = defaultConfig();

function checklist(frameworkId: string, states: Record<string, CriterionState>, evidence: Record<string, string> = {}): Checklist {
  let c = emptyChecklist(frameworkId);
  for (const [id, state] of Object.entries(states)) c = setAnswer(c, id, { state, evidence: evidence[id] ?? '', by: 'rep-1', at: daysAgo(0) });
  return c;
}

type Options = QualifyOptions & { now?: number };

/** Everything qualify computes, for a lead, a checklist and a phase (the call by default). */
function qualified(fields: Partial<LeadProfileInput>, frameworkId = 'bant', states: Record<string, CriterionState> = {}, evidence: Record<string, string> = {}, options: Options = {}) {
  const lead = leadProfileSchema.parse({ crm: 'demo', recordId: 'L1', ...fields });
  const { now = NOW, ...rest } = options;
  return qualify(lead, checklist(frameworkId, states, evidence), config, now, rest);
}

function run(fields: Partial<LeadProfileInput>, frameworkId = 'bant', states: Record<string, CriterionState> = {}, evidence: Record<string, string> = {}, options: Options = {}) {
  return qualified(fields, frameworkId, states, evidence, options).recommendation;
}

/** The guides' rules hold at decision time: the disposition form is open, or a decision is recorded. */
const decision: Options = { phase: 'decision' };

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

    it.each([4, 3])('%i confirmed (after the call) → nurture with a follow-up', (n) => {
      const r = run(hotMql, 'five_characteristics', { ...all(five, 'unknown'), ...all(five.slice(0, n), 'confirmed') }, {}, decision);
      expect(r.outcome).toBe('nurture');
      expect(r.rule).toBe('one_gap');
      expect(r.nextAction.kind).toBe('follow_up_task');
    });

    it.each([2, 1, 0])('%i confirmed (after the call) → not ready, marketing development', (n) => {
      const states = { ...all(five, 'partly'), ...all(five.slice(0, n), 'confirmed') };
      const r = run(hotMql, 'five_characteristics', states, {}, decision);
      expect(r.outcome).toBe('nurture');
      expect(r.rule).toBe('marketing_development');
      expect(r.headline).toBe(`Not ready: ${5 - n} of 5 Five characteristics signals missing`);
    });
  });

  describe('BANT', () => {
    it('all four confirmed → SQL, even below the SQL-ready priority, with a caution naming the priority', () => {
      const r = run({ title: 'Engineer' }, 'bant', all(bant, 'confirmed'));
      expect(r.outcome).toBe('sql');
      expect(r.cautions[0]).toBe('Priority 0 is below the SQL-ready 65; the conversation confirmed intent');
      expect(run({ title: 'Engineer' }, 'bant', all(bant, 'confirmed'), {}, decision).outcome).toBe('sql');
    });

    it('one signal missing (after the call) → nurture with a follow-up to close it', () => {
      const r = run(hotMql, 'bant', { budget: 'confirmed', authority: 'confirmed', need: 'confirmed', timeline: 'partly' }, {}, decision);
      expect(r.rule).toBe('one_gap');
      expect(r.reasons).toContain('Still open: Timeline');
    });

    it('two or more BANT signals missing after the call → nurture, not a pitch', () => {
      const r = run(hotMql, 'bant', { budget: 'confirmed', authority: 'confirmed', need: 'partly' }, {}, decision);
      expect(r.outcome).toBe('nurture');
      expect(r.rule).toBe('marketing_development');
      expect(r.reasons.slice(0, 3)).toEqual([
        '2 signals missing (Need, Timeline): more marketing development, not a closing pitch',
        'Asked, not confirmed: Need',
        'Not asked yet: Timeline',
      ]);
      expect(r.nextAction.kind).toBe('nurture_sequence');
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

    it('recommends the 55 as SQL-ready and the 75 as a call to qualify first, each adjustment its own line', () => {
      const ra = run(a);
      expect(ra.outcome).toBe('sql');
      expect(ra.reasons.slice(1)).toEqual(['Score 55 (fit 25, engagement 30)', 'Strong ICP fit on industry and company size: +15 → priority 70', 'Priority 70 reaches the SQL-ready 65']);
      const rb = run(b);
      expect(rb.outcome).toBe('nurture');
      expect(rb.reasons.slice(1)).toEqual(['Score 75 (fit 40, engagement 35)', 'Outside ICP on company size: −15 → priority 60']);
      expect(rb.cautions).toEqual(['Priority 60 is below the SQL-ready 65']);
    });
  });
});

const HOUR = DAY_MS / 24;
const hoursAgo = (h: number) => new Date(NOW - h * HOUR).toISOString();
/** Priya: a demo request an hour ago, 200 people in an ICP industry. Score 55, strong fit +15 → priority 70. */
const priya = { name: 'Priya', title: 'Analyst', industry: 'Software', companySize: 200, region: 'Europe', mqlAt: daysAgo(3), activities: [{ type: 'demo_request', at: hoursAgo(1) }] };

describe('on a call: not asked yet is not failed (ADR 0018)', () => {
  it('Priya: confirming budget keeps her SQL-ready, and the panel says what to ask next', () => {
    const before = qualified(priya);
    expect(before.recommendation).toMatchObject({ outcome: 'sql', rule: 'sales_request_ready', headline: 'SQL-ready: they asked to talk. Call now and confirm' });
    expect(before.call.phase).toBe('before_call');

    const q = qualified(priya, 'bant', { budget: 'confirmed' });
    expect(q.recommendation).toMatchObject({ outcome: 'sql', rule: 'sales_request_ready', headline: '1 of 4 BANT confirmed — ask about Authority, Need and Timeline' });
    expect(q.recommendation.nextAction).toMatchObject({ kind: 'call_now', label: 'On the speed-to-lead call: confirm before any pitch' });
    expect(q.call.phase).toBe('on_call');
    expect(q.call.nextOnCall).toMatchObject({ kind: 'ask', ask: ['authority', 'need', 'timeline'], followUp: [] });
    // What the guides would say if the rep decided now, shown beside it, not instead of it.
    expect(q.call.ifDecidedNow).toMatchObject({ outcome: 'nurture', rule: 'marketing_development', text: 'If you decide now: nurture (Not ready: 3 of 4 BANT signals missing)' });
  });

  it('says "2 of 4 confirmed — ask about Authority and Timeline"', () => {
    const r = run(priya, 'bant', { budget: 'confirmed', need: 'confirmed' });
    expect(r.headline).toBe('2 of 4 BANT confirmed — ask about Authority and Timeline');
    expect(r.outcome).toBe('sql');
  });

  it('tells asked-and-not-confirmed (partly, a question marked asked, evidence written) from not asked', () => {
    const q = qualified(priya, 'bant', { budget: 'confirmed', authority: 'partly' }, {}, { askedQuestions: ['timeline_live'] });
    expect(q.call.criteria.map((c) => [c.id, c.status])).toEqual([
      ['budget', 'confirmed'],
      ['authority', 'partly'],
      ['need', 'not_asked'],
      ['timeline', 'asked'],
    ]);
    expect(q.recommendation.headline).toBe('1 of 4 BANT confirmed — ask about Need; follow up on Authority and Timeline');
    const noted = qualified(priya, 'bant', { need: 'unknown' }, { need: 'Said they would think about it' });
    expect(noted.call.criteria.find((c) => c.id === 'need')!.status).toBe('asked');
  });

  it('asks to follow up when everything was asked, and to wrap up when nothing is open', () => {
    const asked = all(bant, 'partly');
    expect(run(priya, 'bant', asked).headline).toBe('0 of 4 BANT confirmed — follow up on Budget, Authority, Need and Timeline');
    const q = qualified(hotMql, 'bant', { budget: 'confirmed', authority: 'disconfirmed', need: 'confirmed', timeline: 'confirmed' });
    expect(q.call.nextOnCall).toMatchObject({ kind: 'wrap_up', text: '3 of 4 BANT confirmed — everything asked: wrap up and record the decision' });
  });

  it('4 of 4 on the call → SQL, book the next step before the call ends', () => {
    const q = qualified(priya, 'bant', all(bant, 'confirmed'));
    expect(q.recommendation).toMatchObject({ outcome: 'sql', rule: 'criteria_confirmed', headline: 'SQL: 4 of 4 BANT confirmed' });
    expect(q.call.nextOnCall).toMatchObject({ kind: 'book', text: '4 of 4 BANT confirmed — book the next step before the call ends' });
    expect(q.call.ifDecidedNow).toBeUndefined();
  });

  it('shows at once when a disconfirmation puts SQL out of reach', () => {
    const r = run(priya, 'bant', { authority: 'disconfirmed' }, { authority: 'My boss signs, and he does not take calls' });
    expect(r).toMatchObject({ outcome: 'nurture', rule: 'sql_out_of_reach', headline: 'SQL out of reach: Authority not confirmed' });
    expect(r.reasons[0]).toBe('Authority disconfirmed: at most 3 of 4 BANT can be confirmed, so nurture with a follow-up at best');
    expect(r.nextAction).toMatchObject({ kind: 'follow_up_task', label: 'Follow-up task in 2 days to confirm Budget, Need, Timeline' });
  });

  it('"not now" on the call → recycle with a re-check; "no need" → disqualify, nothing more to ask', () => {
    const notNow = qualified(priya, 'bant', { budget: 'disconfirmed' }, { budget: 'Nothing until next fiscal year' });
    expect(notNow.recommendation).toMatchObject({ outcome: 'nurture', rule: 'disconfirmed_not_now', headline: 'Nurture: budget not there yet', suggestedReasonCode: 'no_budget' });
    expect(notNow.call.nextOnCall?.ask).toEqual(['authority', 'need', 'timeline']);
    const noNeed = qualified(priya, 'bant', { need: 'disconfirmed' });
    expect(noNeed.recommendation).toMatchObject({ outcome: 'disqualify', rule: 'disconfirmed_disqualify' });
    expect(noNeed.call.nextOnCall).toBeUndefined();
  });

  it('lets what the call confirmed beat a cold standing', () => {
    const cold = { title: 'Engineer', activities: [{ type: 'newsletter_signup', at: daysAgo(3) }] };
    expect(run(cold).rule).toBe('cold');
    const r = run(cold, 'bant', { budget: 'confirmed', authority: 'confirmed', need: 'confirmed' });
    expect(r).toMatchObject({ outcome: 'nurture', rule: 'one_gap', headline: '3 of 4 BANT confirmed — ask about Timeline' });
    expect(r.nextAction.kind).toBe('follow_up_task');
  });

  it('marking a question asked changes what to ask next, never the outcome or the next action', () => {
    const a = qualified(priya, 'bant', { budget: 'confirmed' });
    const b = qualified(priya, 'bant', { budget: 'confirmed' }, {}, { askedQuestions: ['dm_signoff', 'timeline_live'] });
    expect(b.recommendation.outcome).toBe(a.recommendation.outcome);
    expect(b.recommendation.nextAction.kind).toBe(a.recommendation.nextAction.kind);
    expect(b.recommendation.headline).toBe('1 of 4 BANT confirmed — ask about Need; follow up on Authority and Timeline');
  });
});

describe('at decision time: the guides’ rules (ADR 0018)', () => {
  it('is decision time when a decision is recorded (decidedAt) or the host says so (phase)', () => {
    const viaDecidedAt = qualified(priya, 'bant', { budget: 'confirmed' }, {}, { decidedAt: hoursAgo(0) });
    expect(viaDecidedAt.call.phase).toBe('decision');
    expect(viaDecidedAt.recommendation).toMatchObject({ outcome: 'nurture', rule: 'marketing_development', headline: 'Not ready: 3 of 4 BANT signals missing' });
    expect(viaDecidedAt.recommendation.reasons).toContain('Not asked yet: Authority, Need, Timeline');
    expect(viaDecidedAt.call.nextOnCall).toBeUndefined();
    expect(qualified(priya, 'bant', { budget: 'confirmed' }, {}, { decidedAt: hoursAgo(0), phase: 'call' }).call.phase).toBe('on_call');
  });

  it('deciding without any conversation: nothing confirmed → not ready, with a caution when they asked to talk', () => {
    const r = run(priya, 'bant', {}, {}, decision);
    expect(r).toMatchObject({ outcome: 'nurture', rule: 'marketing_development' });
    expect(r.cautions).toEqual(['Direct sales request: requested a demo, 1 h ago, and nothing was asked on a call yet: a call may change this']);
  });

  it('Priya with 4 of 4: SQL, and no caution that her priority 70 contradicts', () => {
    const r = run(priya, 'bant', all(bant, 'confirmed'), {}, decision);
    expect(r.outcome).toBe('sql');
    expect(r.cautions).toEqual([]);
    expect(r.reasons).toEqual(['4 of 4 BANT confirmed', 'Score 55 (fit 25, engagement 30)', 'Strong ICP fit on industry and company size: +15 → priority 70']);
  });
});

describe('one number the rep can follow', () => {
  /** Dana: director in an ICP industry who read pricing, at a 10-person company: score 40, priority 25. */
  const dana = { title: 'Director of Sales', industry: 'Software', companySize: 10, activities: [{ type: 'pricing_page_visit', at: daysAgo(2) }] };

  it('Dana: the ICP penalty is its own line, and the comparison names the priority that was compared', () => {
    const q = qualified(dana);
    expect(q.recommendation.rule).toBe('cold');
    expect(q.recommendation.reasons).toEqual(['Score 40 (fit 25, engagement 15)', 'Outside ICP on company size: −15 → priority 25', 'Priority 25 is below the MQL follow-up threshold 40']);
    expect(q.call.adjustments).toEqual([{ kind: 'icp_fit', points: -15, from: 40, to: 25, text: 'Outside ICP on company size: −15 → priority 25' }]);
    expect(q.call.decidingValue).toBe(25);
  });

  it('without an adjustment the priority is the score, and no adjustment line is shown', () => {
    const r = run(hotMql);
    expect(r.reasons).toEqual(['Score 40 (fit 25, engagement 15)', 'Priority 40 reaches the MQL follow-up threshold 40', 'No direct sales request yet']);
  });

  it('a knock-out names the priority it overrules, with its adjustment', () => {
    const r = run({ ...priya, email: 'p@rivalcrm.example' });
    expect(r.cautions).toEqual(['Strong ICP fit on industry and company size: +15 → priority 70', 'Priority 70 would otherwise reach the SQL-ready 65; a knock-out overrules it']);
  });
});

describe('requests age', () => {
  const oldDemo = { ...priya, activities: [{ type: 'demo_request', at: daysAgo(45) }] };

  it('a demo request from 45 days ago is an old signal with its decayed points, not "call now"', () => {
    const q = qualified(oldDemo);
    expect(q.salesRequest).toBe(false);
    expect(q.request).toMatchObject({ type: 'demo_request', live: false });
    expect(q.score.total).toBe(25 + 15); // the demo's 30 points decayed to 15
    expect(q.recommendation).toMatchObject({ outcome: 'nurture', rule: 'hot_mql' });
    expect(q.recommendation.nextAction.kind).toBe('follow_up_task');
    expect(q.recommendation.reasons).toContain('Requested a demo, 45 d ago: older than the 7-day window, an old signal (its points decay), not a call-now');
    expect(q.recommendation.reasons).not.toContain('No direct sales request yet');
  });

  it('is live for 7 days (default), to the minute', () => {
    const at = (ms: number) => ({ ...priya, activities: [{ type: 'contact_request', at: new Date(NOW - ms).toISOString() }] });
    expect(run(at(7 * DAY_MS)).rule).toBe('sales_request_ready');
    expect(run(at(7 * DAY_MS + 60_000)).rule).not.toMatch(/^sales_request/);
  });

  it('uses the latest request, and the window is the team’s setting', () => {
    expect(run({ ...priya, activities: [{ type: 'demo_request', at: daysAgo(45) }, { type: 'contact_request', at: daysAgo(1) }] }).rule).toBe('sales_request_ready');
    const saved = config.thresholds.salesRequestLiveDays;
    config.thresholds.salesRequestLiveDays = 60;
    try {
      // Live again, but with its decayed points: priority 40 + 15 = 55, below SQL-ready: call and qualify.
      expect(run(oldDemo)).toMatchObject({ rule: 'sales_request_low_priority', nextAction: { kind: 'call_now' } });
    } finally {
      config.thresholds.salesRequestLiveDays = saved;
    }
  });
});

describe('interns, trainees and students are never routed to a sales task', () => {
  // -10 intern, +10 industry, +10 size; pricing +15, case study +10: score 35, strong fit +15 → priority 50.
  const intern = { title: 'Marketing Intern', industry: 'Software', companySize: 200, activities: ['pricing_page_visit', 'case_study_download'].map((type) => ({ type, at: daysAgo(1) })) };

  it('an intern at an ICP firm who read pricing and a case study stays in nurture: no follow-up task', () => {
    const q = qualified(intern);
    expect(q.priority.value).toBe(50);
    expect(q.recommendation).toMatchObject({ outcome: 'nurture', rule: 'no_sales_task', headline: 'Nurture, no sales task: intern, trainee or student title' });
    expect(q.recommendation.reasons[0]).toBe('Intern, trainee or student title (title: Marketing Intern): never routed to a sales task');
    expect(q.recommendation.nextAction.kind).toBe('nurture_sequence');
  });

  it('not even with a demo request; a trainee likewise; "Internal Audit" is not an intern', () => {
    expect(run({ ...intern, activities: [{ type: 'demo_request', at: hoursAgo(1) }] }).nextAction.kind).toBe('nurture_sequence');
    expect(run({ ...intern, title: 'Sales Trainee' }).rule).toBe('no_sales_task');
    expect(run({ ...intern, title: 'Internal Audit Director' }).rule).toBe('hot_mql');
  });

  it('after a call: one gap → nurture without a rep task; all confirmed → SQL with a caution', () => {
    const three = run(intern, 'bant', { budget: 'confirmed', authority: 'confirmed', need: 'confirmed' }, {}, decision);
    expect(three).toMatchObject({ rule: 'one_gap' });
    expect(three.nextAction).toMatchObject({ kind: 'nurture_sequence', label: 'Nurture sequence; re-check Timeline in 30 days (no rep task)' });
    const four = run(intern, 'bant', all(bant, 'confirmed'), {}, decision);
    expect(four.outcome).toBe('sql');
    expect(four.cautions).toContain('Intern, trainee or student title: the team routes these leads away from sales; accept only if the conversation really showed authority');
  });

  it('is a rule the team edits: without it the intern is a hot MQL again', () => {
    const saved = config.routing.noSalesTask;
    config.routing.noSalesTask = [];
    try {
      expect(run(intern).rule).toBe('hot_mql');
    } finally {
      config.routing.noSalesTask = saved;
    }
  });
});
