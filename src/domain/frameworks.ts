import { z } from 'zod';
import { criterionStates, type Criterion, type CriterionState, type Framework } from './config';
import { isoDateTime } from './lead';
import { qualifyStrings } from '../i18n/qualify';

/**
 * A rep's checklist: one answer per criterion, with the prospect's own words as evidence and who/when.
 * Answers are keyed by criterion id, and frameworks share ids (budget, authority…), so switching from
 * BANT to "five characteristics" keeps what the rep already confirmed.
 */

export const criterionAnswerSchema = z.object({
  state: z.enum(criterionStates),
  evidence: z.string().max(10000).default(''),
  by: z.string().min(1).max(200),
  at: isoDateTime,
});
export type CriterionAnswer = z.infer<typeof criterionAnswerSchema>;

export const checklistSchema = z.object({
  frameworkId: z.string().min(1).max(60),
  answers: z.record(z.string().min(1).max(60), criterionAnswerSchema),
});
export type Checklist = z.infer<typeof checklistSchema>;

export function emptyChecklist(frameworkId: string): Checklist {
  return { frameworkId, answers: {} };
}

export function stateOf(checklist: Checklist, criterionId: string): CriterionState {
  return checklist.answers[criterionId]?.state ?? 'unknown';
}

/** A new checklist with one answer changed (the input is left as it was). */
export function setAnswer(checklist: Checklist, criterionId: string, answer: CriterionAnswer): Checklist {
  return { ...checklist, answers: { ...checklist.answers, [criterionId]: answer } };
}

export interface Progress {
  total: number;
  confirmed: number;
  partly: number;
  disconfirmed: number;
  unknown: number;
  /** e.g. "3 of 4 BANT confirmed". */
  summary: string;
  byState: Record<CriterionState, Criterion[]>;
}

export function progress(framework: Framework, checklist: Checklist): Progress {
  const byState: Record<CriterionState, Criterion[]> = { unknown: [], partly: [], confirmed: [], disconfirmed: [] };
  for (const c of framework.criteria) byState[stateOf(checklist, c.id)].push(c);
  return {
    total: framework.criteria.length,
    confirmed: byState.confirmed.length,
    partly: byState.partly.length,
    disconfirmed: byState.disconfirmed.length,
    unknown: byState.unknown.length,
    summary: qualifyStrings.progressSummary(byState.confirmed.length, framework.criteria.length, framework.label),
    byState,
  };
}
