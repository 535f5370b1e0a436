import { describe, expect, it } from 'vitest';
import type { CriterionState } from './config';
import { findFramework } from './config';
import { defaultConfig } from './defaults';
import { emptyChecklist, setAnswer, type Checklist } from './frameworks';
import { askedCriteria, discoveryStatus, nextQuestions } from './questions';

const config = defaultConfig();
const bant = findFramework(config, 'bant')!;
const answer = (state: CriterionState, evidence = '') => ({ state, evidence, by: 'rep-1', at: '2026-11-20T10:00:00Z' });
function checklist(states: Record<string, CriterionState>): Checklist {
  let c = emptyChecklist('bant');
  for (const [id, state] of Object.entries(states)) c = setAnswer(c, id, answer(state));
  return c;
}
const ids = (c: Checklist, asked: string[] = []) => nextQuestions(config.questions, bant, c, { asked }).map((q) => q.question.id);

describe('questions for criteria already confirmed go last (ADR 0018)', () => {
  it('with 4 of 4 confirmed every question is settled, "Which budget cycle…" included', () => {
    const qs = nextQuestions(config.questions, bant, checklist({ budget: 'confirmed', authority: 'confirmed', need: 'confirmed', timeline: 'confirmed' }));
    expect(qs.every((q) => q.settled)).toBe(true);
    expect(qs.find((q) => q.question.id === 'budget_cycle')!.settled).toBe(true);
  });

  it('puts a confirmed criterion’s questions after every open one, even after questions already asked', () => {
    const c = checklist({ budget: 'confirmed' });
    const order = ids(c, ['timeline_live']);
    expect(order.at(-1)).toBe('budget_set_aside'); // budget only (in BANT): settled
    expect(order.indexOf('timeline_live')).toBeLessThan(order.indexOf('budget_set_aside'));
    // "Which budget cycle…" also serves timeline, still open: it is not settled.
    const cycle = nextQuestions(config.questions, bant, c).find((q) => q.question.id === 'budget_cycle')!;
    expect(cycle).toMatchObject({ settled: false, openness: 'unknown' });
    expect(order.indexOf('budget_cycle')).toBeLessThan(order.indexOf('budget_set_aside'));
  });

  it('answered-but-disconfirmed questions come after open ones and before settled ones', () => {
    const order = ids(checklist({ budget: 'confirmed', timeline: 'disconfirmed' }));
    expect(order.indexOf('timeline_live')).toBeGreaterThan(order.indexOf('dm_signoff'));
    expect(order.indexOf('timeline_live')).toBeLessThan(order.indexOf('budget_set_aside'));
  });

  it('moves on from a criterion once it was asked about: not asked yet first', () => {
    expect(ids(emptyChecklist('bant'))[0]).toBe('budget_set_aside');
    const next = nextQuestions(config.questions, bant, emptyChecklist('bant'), { asked: ['budget_set_aside'] })[0]!;
    expect(next.criteria.map((c) => c.id)).toContain('authority');
  });
});

describe('asked or not asked', () => {
  it('maps asked questions to the framework’s criteria', () => {
    expect(askedCriteria(config.questions, bant, ['budget_cycle', 'competition_other'])).toEqual(['budget', 'timeline']);
    expect(askedCriteria(config.questions, bant)).toEqual([]);
  });

  it('tells not asked from asked: a question marked asked, or evidence written down on an unknown criterion', () => {
    expect(discoveryStatus(emptyChecklist('bant'), 'need', [])).toBe('not_asked');
    expect(discoveryStatus(emptyChecklist('bant'), 'need', ['need'])).toBe('asked');
    expect(discoveryStatus(setAnswer(emptyChecklist('bant'), 'need', answer('unknown', 'Will check with the team')), 'need', new Set())).toBe('asked');
    expect(discoveryStatus(setAnswer(emptyChecklist('bant'), 'need', answer('unknown', '  ')), 'need', new Set())).toBe('not_asked');
    expect(discoveryStatus(checklist({ need: 'partly' }), 'need', [])).toBe('partly');
  });
});
