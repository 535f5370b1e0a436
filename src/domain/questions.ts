import type { Criterion, CriterionState, Framework, Question } from './config';
import { stateOf, type Checklist } from './frameworks';

/**
 * Guided discovery: the next questions to ask, for the criteria still open. Questions for unknown
 * criteria come first, then partly confirmed ones, then the rest; questions already asked go last.
 * Within a rank, the framework's criterion order and then the bank's order decide (stable).
 */

export interface SuggestedQuestion {
  question: Question;
  /** The framework's criteria this question helps with. */
  criteria: Criterion[];
  /** The most open state among those criteria. */
  openness: CriterionState;
  asked: boolean;
}

const rank: Record<CriterionState, number> = { unknown: 0, partly: 1, disconfirmed: 2, confirmed: 3 };

export function questionsFor(bank: readonly Question[], criterionId: string): Question[] {
  return bank.filter((q) => q.criteria.includes(criterionId));
}

export function nextQuestions(
  bank: readonly Question[],
  framework: Framework,
  checklist: Checklist,
  options: { asked?: readonly string[]; limit?: number } = {},
): SuggestedQuestion[] {
  const asked = new Set(options.asked ?? []);
  const order = new Map(framework.criteria.map((c, i) => [c.id, i]));
  const suggestions = bank.flatMap((question, bankIndex) => {
    const criteria = framework.criteria.filter((c) => question.criteria.includes(c.id));
    if (criteria.length === 0) return [];
    const states = criteria.map((c) => stateOf(checklist, c.id));
    const openness = states.reduce((a, b) => (rank[b] < rank[a] ? b : a));
    const firstOpen = Math.min(...criteria.filter((c) => stateOf(checklist, c.id) === openness).map((c) => order.get(c.id)!));
    return [{ question, criteria, openness, asked: asked.has(question.id), key: [asked.has(question.id) ? 1 : 0, rank[openness], firstOpen, bankIndex] }];
  });
  suggestions.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    return 0;
  });
  const out = suggestions.map(({ key: _key, ...s }) => s);
  return options.limit === undefined ? out : out.slice(0, options.limit);
}
