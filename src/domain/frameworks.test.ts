import { describe, expect, it } from 'vitest';
import { findFramework } from './config';
import { defaultConfig } from './defaults';
import { checklistSchema, emptyChecklist, progress, setAnswer, stateOf } from './frameworks';
import { nextQuestions, questionsFor } from './questions';

const config = defaultConfig();
const fw = (id: string) => findFramework(config, id)!;
const answer = (state: 'unknown' | 'partly' | 'confirmed' | 'disconfirmed', evidence = '') => ({ state, evidence, by: 'rep-1', at: '2026-11-20T10:00:00Z' });

describe('frameworks', () => {
  it('ships BANT, CHAMP, MEDDIC, MEDDPICC and five characteristics with the brief’s criteria', () => {
    const labels = (id: string) => fw(id).criteria.map((c) => c.label);
    expect(labels('bant')).toEqual(['Budget', 'Authority', 'Need', 'Timeline']);
    expect(labels('champ')).toEqual(['Challenges', 'Authority', 'Money', 'Prioritization']);
    expect(labels('meddic')).toEqual(['Metrics', 'Economic buyer', 'Decision criteria', 'Decision process', 'Identify pain', 'Champion']);
    expect(labels('meddpicc')).toHaveLength(8);
    expect(labels('meddpicc')).toEqual(expect.arrayContaining(['Paper process', 'Competition', ...labels('meddic')]));
    expect(labels('five_characteristics')).toEqual([...labels('bant'), 'Engagement depth']);
  });

  it('says what confirms each criterion', () => {
    for (const f of config.frameworks) for (const c of f.criteria) expect(c.confirmedWhen.length).toBeGreaterThan(20);
  });

  it('treats an unanswered criterion as unknown', () => {
    expect(stateOf(emptyChecklist('bant'), 'budget')).toBe('unknown');
  });

  it('counts progress in the rep’s words', () => {
    let c = emptyChecklist('bant');
    c = setAnswer(c, 'budget', answer('confirmed', 'We set aside 40k in Q1.'));
    c = setAnswer(c, 'need', answer('confirmed'));
    c = setAnswer(c, 'authority', answer('partly'));
    c = setAnswer(c, 'timeline', answer('confirmed'));
    const p = progress(fw('bant'), c);
    expect(p).toMatchObject({ total: 4, confirmed: 3, partly: 1, disconfirmed: 0, unknown: 0, summary: '3 of 4 BANT confirmed' });
    expect(p.byState.partly.map((x) => x.id)).toEqual(['authority']);
  });

  it('keeps shared answers when switching framework (BANT → five characteristics)', () => {
    const c = setAnswer(emptyChecklist('bant'), 'budget', answer('confirmed'));
    const p = progress(fw('five_characteristics'), { ...c, frameworkId: 'five_characteristics' });
    expect(p.summary).toBe('1 of 5 Five characteristics confirmed');
  });

  it('does not change the checklist it was given', () => {
    const before = emptyChecklist('bant');
    setAnswer(before, 'budget', answer('confirmed'));
    expect(before.answers).toEqual({});
  });

  it('validates answers: state must be one of the four', () => {
    expect(checklistSchema.safeParse({ frameworkId: 'bant', answers: { budget: { ...answer('confirmed'), state: 'maybe' } } }).success).toBe(false);
    expect(checklistSchema.safeParse({ frameworkId: 'bant', answers: { budget: answer('partly', 'Depends on Q2') } }).success).toBe(true);
  });
});

describe('discovery questions', () => {
  it('covers every theme the brief names', () => {
    const themes = new Set(config.questions.map((q) => q.theme));
    for (const t of ['pain', 'impact', 'urgency', 'decision_makers', 'budget', 'timeline', 'competition', 'paper_process']) expect(themes).toContain(t);
  });

  it('links every criterion of every framework to at least one question', () => {
    for (const f of config.frameworks) for (const c of f.criteria) expect(questionsFor(config.questions, c.id).length, `${f.id}.${c.id}`).toBeGreaterThan(0);
  });

  it('asks about unknown criteria first, then partly confirmed ones, then the rest', () => {
    let c = emptyChecklist('bant');
    c = setAnswer(c, 'need', answer('confirmed'));
    c = setAnswer(c, 'authority', answer('confirmed'));
    c = setAnswer(c, 'budget', answer('partly'));
    const qs = nextQuestions(config.questions, fw('bant'), c);
    const firstPartly = qs.findIndex((q) => q.openness === 'partly');
    const firstConfirmed = qs.findIndex((q) => q.openness === 'confirmed');
    expect(qs[0]!.openness).toBe('unknown');
    expect(qs[0]!.criteria.map((x) => x.id)).toContain('timeline');
    expect(qs.slice(0, firstPartly).every((q) => q.openness === 'unknown')).toBe(true);
    expect(firstPartly).toBeLessThan(firstConfirmed);
    expect(qs.slice(firstConfirmed).every((q) => q.openness === 'confirmed')).toBe(true);
  });

  it('offers only questions tied to the chosen framework', () => {
    const ids = nextQuestions(config.questions, fw('bant'), emptyChecklist('bant')).map((q) => q.question.id);
    expect(ids).not.toContain('competition_other');
    expect(ids).not.toContain('paper_legal');
    expect(nextQuestions(config.questions, fw('meddpicc'), emptyChecklist('meddpicc')).map((q) => q.question.id)).toContain('paper_legal');
  });

  it('moves questions already asked to the end, and limits the list', () => {
    const all = nextQuestions(config.questions, fw('bant'), emptyChecklist('bant'));
    const first = all[0]!.question.id;
    const again = nextQuestions(config.questions, fw('bant'), emptyChecklist('bant'), { asked: [first] });
    expect(again.at(-1)!.question.id).toBe(first);
    expect(again.at(-1)!.asked).toBe(true);
    expect(nextQuestions(config.questions, fw('bant'), emptyChecklist('bant'), { limit: 3 })).toHaveLength(3);
  });

  it('follows the framework’s criterion order among equally open questions', () => {
    const qs = nextQuestions(config.questions, fw('bant'), emptyChecklist('bant'));
    // Budget is BANT's first criterion: its questions come before need-only questions.
    expect(qs[0]!.criteria[0]!.id).toBe('budget');
  });
});
