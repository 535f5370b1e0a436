import type { Criterion, CriterionState, Framework, Question } from './config';
import { stateOf, type Checklist } from './frameworks';

/**
 * Guided discovery: the next questions to ask, for the criteria still open. Order (ADR 0018):
 * 1. questions for criteria still open (not asked yet first, then asked but unanswered, then partly
 *    confirmed), the question itself not marked asked;
 * 2. the same, for questions already asked;
 * 3. questions whose criteria are all answered, some disconfirmed;
 * 4. questions whose criteria are all confirmed: nothing left to learn, so they go last (`settled`).
 * Within a group, the framework's criterion order and then the bank's order decide (stable).
 */

export interface SuggestedQuestion {
  question: Question;
  /** The framework's criteria this question helps with. */
  criteria: Criterion[];
  /** The most open state among those criteria. */
  openness: CriterionState;
  asked: boolean;
  /** Every criterion it helps with is confirmed already: the panel need not offer it. */
  settled: boolean;
}

/**
 * Where a criterion stands in the conversation. `not_asked`: unknown, no evidence, no question about it
 * marked asked. `asked`: still unknown, but asked (a question marked asked, or evidence written down).
 */
export type DiscoveryStatus = 'not_asked' | 'asked' | 'partly' | 'confirmed' | 'disconfirmed';

const rank: Record<DiscoveryStatus, number> = { not_asked: 0, asked: 1, partly: 2, disconfirmed: 3, confirmed: 4 };
const stateRank: Record<CriterionState, number> = { unknown: 0, partly: 1, disconfirmed: 2, confirmed: 3 };

export function questionsFor(bank: readonly Question[], criterionId: string): Question[] {
  return bank.filter((q) => q.criteria.includes(criterionId));
}

/** The framework's criteria that a question marked asked was about (in the framework's order). */
export function askedCriteria(bank: readonly Question[], framework: Framework, askedQuestions: readonly string[] = []): string[] {
  const asked = new Set(askedQuestions);
  const touched = new Set(bank.filter((q) => asked.has(q.id)).flatMap((q) => q.criteria));
  return framework.criteria.filter((c) => touched.has(c.id)).map((c) => c.id);
}

export function discoveryStatus(checklist: Checklist, criterionId: string, asked: ReadonlySet<string> | readonly string[]): DiscoveryStatus {
  const state = stateOf(checklist, criterionId);
  if (state !== 'unknown') return state;
  const wasAsked = asked instanceof Set ? asked.has(criterionId) : (asked as readonly string[]).includes(criterionId);
  return wasAsked || (checklist.answers[criterionId]?.evidence.trim() ?? '') !== '' ? 'asked' : 'not_asked';
}

export function nextQuestions(
  bank: readonly Question[],
  framework: Framework,
  checklist: Checklist,
  options: { asked?: readonly string[]; limit?: number } = {},
): SuggestedQuestion[] {
  const askedQuestions = options.asked ?? [];
  const asked = new Set(askedQuestions);
  const touched = new Set(askedCriteria(bank, framework, askedQuestions));
  const order = new Map(framework.criteria.map((c, i) => [c.id, i]));
  const suggestions = bank.flatMap((question, bankIndex) => {
    const criteria = framework.criteria.filter((c) => question.criteria.includes(c.id));
    if (criteria.length === 0) return [];
    const states = criteria.map((c) => stateOf(checklist, c.id));
    const openness = states.reduce((a, b) => (stateRank[b] < stateRank[a] ? b : a));
    const statuses = criteria.map((c) => discoveryStatus(checklist, c.id, touched));
    const most = Math.min(...statuses.map((s) => rank[s]));
    const firstOpen = Math.min(...criteria.filter((_c, i) => rank[statuses[i]!] === most).map((c) => order.get(c.id)!));
    const settled = statuses.every((s) => s === 'confirmed');
    const answered = statuses.every((s) => s === 'confirmed' || s === 'disconfirmed');
    const wasAsked = asked.has(question.id);
    const group = settled ? 3 : answered ? 2 : wasAsked ? 1 : 0;
    return [{ question, criteria, openness, asked: wasAsked, settled, key: [group, most, firstOpen, bankIndex] }];
  });
  suggestions.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    return 0;
  });
  const out = suggestions.map(({ key: _key, ...s }) => s);
  return options.limit === undefined ? out : out.slice(0, options.limit);
}
