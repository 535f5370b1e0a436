import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CriterionState, QualificationConfig } from './config';
import { defaultConfig } from './defaults';
import { setAnswer, type Checklist } from './frameworks';
import { DAY_MS, leadProfileSchema, type LeadProfile } from './lead';
import { qualify, type QualifyOptions } from './qualify';
import { compareRecommendations, type Recommendation } from './recommendation';

/**
 * ADR 0018's invariant over random leads, configs and checklists: with the lead and the phase fixed,
 * confirming a criterion never makes the recommendation worse, disconfirming one never makes it better
 * (outcome first, then next action: `compareRecommendations`). Plus: asking a question changes neither;
 * every number a sentence names is the number that decided; nothing the team routes away from sales gets a
 * sales task; an old request never says "call now".
 */

const NOW = Date.parse('2026-11-20T12:00:00Z');
const RUNS = { numRuns: 300, seed: 20261120 };
const base = defaultConfig();
const minutesAgo = (min: number) => new Date(NOW - min * 60_000).toISOString();

const titles = ['VP Sales', 'Director of IT', 'Head of Operations', 'Engineer', 'Marketing Intern', 'Sales Trainee', 'Student', 'Analyst', ''];
const activityTypes = [...base.scoring.engagementRules.map((r) => r.activity).filter((a) => a !== 'hard_bounce'), 'demo_request', 'contact_request', 'webinar_registered'];
/** Mostly ordinary activities; a hard bounce (a knock-out) now and then. */
const activityTypeArb = fc.oneof({ arbitrary: fc.constantFrom(...activityTypes), weight: 30 }, { arbitrary: fc.constant('hard_bounce'), weight: 1 });

/** Minutes ago: within the hour, within two weeks (around the live window), or up to four months. */
const ageArb = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 14 * 24 * 60 }), fc.integer({ min: 0, max: 120 * 24 * 60 }));

const leadArb: fc.Arbitrary<LeadProfile> = fc
  .record(
    {
      title: fc.constantFrom(...titles),
      email: fc.constantFrom('a@acme.example', 'c@northwind.example', 'd@globex.example', 'e@initech.example', 'b@rivalcrm.example'),
      industry: fc.constantFrom('Software', 'Retail', 'Healthcare'),
      region: fc.constantFrom('Europe', 'Asia'),
      companySize: fc.integer({ min: 1, max: 8000 }),
      existingCustomer: fc.constantFrom(false, false, false, false, false, false, false, true),
      mqlAt: fc.integer({ min: 0, max: 90 * 24 * 60 }).map(minutesAgo),
      firstContactAt: fc.integer({ min: 0, max: 90 * 24 * 60 }).map(minutesAgo),
      activities: fc.array(fc.record({ type: activityTypeArb, at: ageArb.map(minutesAgo) }), { maxLength: 8 }),
    },
    { requiredKeys: ['activities'] },
  )
  .map((f) => leadProfileSchema.parse({ crm: 'demo', recordId: 'x', ...f }));

/**
 * A team's settings: the shipped ones half the time, otherwise other thresholds, request window, and a
 * framework with its own SQL and follow-up counts and disconfirmation effects.
 */
const setupArb = fc
  .integer({ min: 0, max: base.frameworks.length - 1 })
  .chain((frameworkIndex) => {
    const n = base.frameworks[frameworkIndex]!.criteria.length;
    return fc.record({
      frameworkIndex: fc.constant(frameworkIndex),
      custom: fc.boolean(),
      sqlReady: fc.integer({ min: 2, max: 100 }),
      mqlBelow: fc.integer({ min: 1, max: 99 }),
      liveDays: fc.integer({ min: 0, max: 30 }),
      sqlAt: fc.integer({ min: 1, max: n }),
      followUpAt: fc.integer({ min: 0, max: n }),
      onDisconfirmed: fc.array(fc.constantFrom('disqualify', 'nurture', 'none' as const), { minLength: n, maxLength: n }),
    });
  })
  .map((g) => {
    const config: QualificationConfig = structuredClone(base);
    const framework = config.frameworks[g.frameworkIndex]!;
    if (g.custom) {
      config.thresholds.sqlReady = g.sqlReady;
      config.thresholds.mql = Math.max(0, g.sqlReady - g.mqlBelow);
      config.thresholds.salesRequestLiveDays = g.liveDays;
      framework.sqlAt = g.sqlAt;
      framework.followUpAt = Math.min(g.followUpAt, g.sqlAt);
      framework.criteria.forEach((c, i) => (c.onDisconfirmed = g.onDisconfirmed[i]!));
    }
    return { config, framework };
  });

const stateArb = fc.constantFrom<CriterionState | 'absent'>('absent', 'absent', 'unknown', 'partly', 'confirmed', 'disconfirmed');

const caseArb = setupArb.chain(({ config, framework }) =>
  fc.record({
    config: fc.constant(config),
    lead: leadArb,
    // Often nothing answered yet: the step from "before the call" to the first answer is where it broke.
    states: fc.oneof(
      fc.constant(framework.criteria.map(() => 'absent' as const)),
      fc.array(stateArb, { minLength: framework.criteria.length, maxLength: framework.criteria.length }),
    ),
    evidence: fc.array(fc.boolean(), { minLength: framework.criteria.length, maxLength: framework.criteria.length }),
    asked: fc.oneof(fc.constant([]), fc.subarray(config.questions.map((q) => q.id), { maxLength: 5 })),
    phase: fc.constantFrom<QualifyOptions['phase'] | 'decidedAt'>(undefined, 'call', 'decision', 'decidedAt'),
  }).map((c) => ({ ...c, framework })),
);

type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

function checklistOf(c: Case, override?: { id: string; state: CriterionState }): Checklist {
  let checklist: Checklist = { frameworkId: c.framework.id, answers: {} };
  c.framework.criteria.forEach((criterion, i) => {
    const state = override?.id === criterion.id ? override.state : c.states[i]!;
    if (state === 'absent') return;
    checklist = setAnswer(checklist, criterion.id, { state, evidence: c.evidence[i] ? 'In their words' : '', by: 'rep', at: minutesAgo(1) });
  });
  return checklist;
}

function optionsOf(c: Case, asked = c.asked): QualifyOptions {
  if (c.phase === 'decidedAt') return { askedQuestions: asked, decidedAt: minutesAgo(0) };
  return { askedQuestions: asked, ...(c.phase ? { phase: c.phase } : {}) };
}

const recommendationOf = (c: Case, override?: { id: string; state: CriterionState }) => qualify(c.lead, checklistOf(c, override), c.config, NOW, optionsOf(c)).recommendation;
const show = (r: Recommendation) => `${r.outcome}/${r.nextAction.kind} (${r.rule})`;

describe('recommendation invariants (ADR 0018)', () => {
  it('confirming a criterion never makes it worse; disconfirming one never makes it better', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const before = recommendationOf(c);
        for (const criterion of c.framework.criteria) {
          const confirmed = recommendationOf(c, { id: criterion.id, state: 'confirmed' });
          const disconfirmed = recommendationOf(c, { id: criterion.id, state: 'disconfirmed' });
          expect(compareRecommendations(confirmed, before), `confirm ${criterion.id}: ${show(before)} → ${show(confirmed)}`).toBeGreaterThanOrEqual(0);
          expect(compareRecommendations(disconfirmed, before), `disconfirm ${criterion.id}: ${show(before)} → ${show(disconfirmed)}`).toBeLessThanOrEqual(0);
        }
      }),
      RUNS,
    );
  });

  it('marking questions asked changes what to ask next, never the outcome or the next action', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const asked = qualify(c.lead, checklistOf(c), c.config, NOW, optionsOf(c)).recommendation;
        const none = qualify(c.lead, checklistOf(c), c.config, NOW, optionsOf(c, [])).recommendation;
        expect(compareRecommendations(asked, none)).toBe(0);
      }),
      RUNS,
    );
  });

  it('every number a sentence compares is the number that decided, and agrees with its threshold', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const q = qualify(c.lead, checklistOf(c), c.config, NOW, optionsOf(c));
        const t = c.config.thresholds;
        const lines = [...q.recommendation.reasons, ...q.recommendation.cautions];
        for (const line of lines) {
          for (const [, n] of line.matchAll(/Score (\d+) \(/g)) expect(Number(n), line).toBe(q.score.total);
          for (const [, n] of line.matchAll(/[Pp]riority (-?\d+)/g)) expect(Number(n), line).toBe(q.priority.value);
          const reaches = line.match(/Priority (-?\d+) (?:reaches|would otherwise reach) the (SQL-ready|MQL follow-up threshold) (\d+)/);
          if (reaches) expect(Number(reaches[3]), line).toBe(reaches[2] === 'SQL-ready' ? t.sqlReady : t.mql);
          if (reaches) expect(Number(reaches[1]), line).toBeGreaterThanOrEqual(Number(reaches[3]));
          const below = line.match(/Priority (-?\d+) is below the (SQL-ready|MQL follow-up threshold) (\d+)/);
          if (below) expect(Number(below[3]), line).toBe(below[2] === 'SQL-ready' ? t.sqlReady : t.mql);
          if (below) expect(Number(below[1]), line).toBeLessThan(Number(below[3]));
        }
        // A priority that differs from the score is never named without the line that explains the difference.
        const namesPriority = lines.some((l) => /Priority -?\d+/.test(l));
        if (namesPriority && q.priority.adjustment !== 0) expect(lines).toContain(q.call.adjustments[0]!.text);
        expect(q.call.decidingValue).toBe(q.priority.value);
      }),
      RUNS,
    );
  });

  it('never gives a sales task to a lead the routing rules hold back, nor "call now" without a live request', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const q = qualify(c.lead, checklistOf(c), c.config, NOW, optionsOf(c));
        const kind = q.recommendation.nextAction.kind;
        if (q.noSalesTask.length > 0) expect(['call_now', 'follow_up_task']).not.toContain(kind);
        if (!q.salesRequest) expect(kind).not.toBe('call_now');
        if (q.request && !q.request.live) expect(Date.parse(q.request.at)).toBeLessThan(NOW - c.config.thresholds.salesRequestLiveDays * DAY_MS);
      }),
      RUNS,
    );
  });

  it('keeps the shape a disposition freezes and hashes: call-time guidance stays beside it', () => {
    const frozen = new Set(['outcome', 'rule', 'headline', 'reasons', 'cautions', 'nextAction', 'suggestedReasonCode']);
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = recommendationOf(c);
        for (const key of Object.keys(r)) expect(frozen, key).toContain(key);
        for (const key of Object.keys(r.nextAction)) expect(['kind', 'label', 'dueAt']).toContain(key);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });
});

