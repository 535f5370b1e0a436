// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findFramework } from '../../domain/config';
import { emptyChecklist, setAnswer } from '../../domain/frameworks';
import { nextQuestions } from '../../domain/questions';
import { Discovery, type DiscoveryProps } from './Discovery';
import { budgetConfirmed, config, renderUtc } from './testing';

afterEach(cleanup);

const bant = findFramework(config, 'bant')!;

function props(overrides: Partial<DiscoveryProps> = {}): DiscoveryProps {
  return {
    // Budget confirmed; authority first among the open criteria, then need, then timeline.
    questions: nextQuestions(config.questions, bant, budgetConfirmed),
    checklist: budgetConfirmed,
    evidenceMaxChars: config.limits.evidenceMaxChars,
    onAnswer: vi.fn(),
    ...overrides,
  };
}

const questionTexts = () => screen.getAllByRole('listitem').map((li) => li.querySelector('.lq-question__text')!.textContent);

describe('Discovery', () => {
  it('lists the first few questions for what is still open', () => {
    renderUtc(<Discovery {...props()} />);
    expect(screen.getByRole('heading', { name: 'Next questions' })).toBeTruthy();
    expect(questionTexts()).toEqual([
      'When your team picked a tool like this before, who else was involved?',
      'Who has the final say on spend of this size?',
      'What gets in the way most with how you handle this today?',
    ]);
    expect(screen.getAllByText('Helps with: Authority')).toHaveLength(2);
    expect(screen.getAllByRole('button', { name: 'Asked' })).toHaveLength(3);
  });

  it('keeps an asked question in place, form open, when the ranking moves it down, and shows the answer noted', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    const { rerender } = renderUtc(<Discovery {...props({ onAnswer })} />);
    await user.click(screen.getAllByRole('button', { name: 'Asked' })[1]!); // "Who has the final say…"
    // The host marks it asked: the ranking puts asked questions after the unasked ones.
    const reRanked = nextQuestions(config.questions, bant, budgetConfirmed, { asked: ['dm_signoff'] });
    expect(reRanked.slice(0, 3).map((q) => q.question.id)).not.toContain('dm_signoff');
    rerender(<Discovery {...props({ onAnswer, questions: reRanked })} />);
    expect(questionTexts()[1]).toBe('Who has the final say on spend of this size?');
    const answer = screen.getByRole('textbox', { name: 'Answer' });
    await user.type(answer, 'Their CFO signs anything over 20k{Enter}');
    rerender(<Discovery {...props({ onAnswer, questions: reRanked })} />);
    expect(questionTexts()[1]).toBe('Who has the final say on spend of this size?');
    expect(screen.getByText('Their CFO signs anything over 20k')).toBeTruthy();
    expect(screen.getByText(/^Answer noted for Authority \(Partly\):/)).toBeTruthy();
  });

  it('offers no question about criteria already confirmed: with all confirmed, it says to wrap up', () => {
    const all = ['budget', 'authority', 'need', 'timeline'].reduce((c, id) => setAnswer(c, id, { state: 'confirmed', evidence: 'yes', by: 'Sam', at: '2026-11-20T10:00:00Z' }), emptyChecklist('bant'));
    renderUtc(<Discovery {...props({ checklist: all, questions: nextQuestions(config.questions, bant, all) })} />);
    expect(screen.queryAllByRole('listitem')).toHaveLength(0);
    expect(screen.getByText('Every criterion is confirmed: nothing left to ask. Wrap up and book the next step.')).toBeTruthy();
  });

  it('honours the limit and says when nothing is left', () => {
    const { rerender } = renderUtc(<Discovery {...props({ limit: 1 })} />);
    expect(questionTexts()).toHaveLength(1);
    rerender(<Discovery {...props({ questions: [] })} />);
    expect(screen.getByText('No questions left for this framework.')).toBeTruthy();
  });

  it('records an answer as evidence in one step: Asked, type, Enter', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    const onAsked = vi.fn();
    renderUtc(<Discovery {...props({ onAnswer, onAsked })} />);
    const asked = screen.getAllByRole('button', { name: 'Asked' })[1]!; // "Who has the final say…"
    expect(asked.getAttribute('aria-expanded')).toBe('false');
    await user.click(asked);
    expect(onAsked).toHaveBeenCalledWith('dm_signoff');
    expect(asked.getAttribute('aria-expanded')).toBe('true');
    const answer = screen.getByRole('textbox', { name: 'Answer' });
    expect(document.activeElement).toBe(answer); // keyboard-first: focus goes straight to the answer
    const form = within(screen.getByRole('form', { name: 'Asked: Who has the final say on spend of this size?' }));
    expect((form.getByRole('combobox', { name: 'Criterion' }) as HTMLSelectElement).value).toBe('authority');
    expect((form.getByRole('combobox', { name: 'Mark as' }) as HTMLSelectElement).value).toBe('partly');
    await user.type(answer, 'Their CFO, Dana Lee, signs anything over 20k{Enter}');
    expect(onAnswer).toHaveBeenCalledOnce();
    expect(onAnswer).toHaveBeenCalledWith('authority', { state: 'partly', evidence: 'Their CFO, Dana Lee, signs anything over 20k' });
    // The form closes and focus returns to the question's button.
    expect(screen.queryByRole('textbox', { name: 'Answer' })).toBeNull();
    expect(document.activeElement).toBe(asked);
  });

  it('lets the rep pick the criterion and state, and adds to evidence already there', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    // Budget, authority and need confirmed; timeline open: "What made this worth…" then "Which budget cycle…" (budget + timeline).
    let checklist = setAnswer(budgetConfirmed, 'authority', { state: 'confirmed', evidence: '', by: 'Sam', at: '2026-11-20T10:05:00Z' });
    checklist = setAnswer(checklist, 'need', { state: 'confirmed', evidence: '', by: 'Sam', at: '2026-11-20T10:06:00Z' });
    const questions = nextQuestions(config.questions, bant, checklist);
    expect(questions[0]!.question.id).toBe('urgency_why_now');
    expect(questions[1]!.question.id).toBe('budget_cycle');
    renderUtc(<Discovery {...props({ questions, checklist, onAnswer })} />);
    await user.click(screen.getAllByRole('button', { name: 'Asked' })[1]!);
    const criterion = screen.getByRole('combobox', { name: 'Criterion' }) as HTMLSelectElement;
    expect([...criterion.options].map((o) => o.textContent)).toEqual(['Budget', 'Timeline']);
    expect(criterion.value).toBe('timeline'); // the most open one
    await user.selectOptions(criterion, 'Budget');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Mark as' }), 'Confirmed');
    await user.type(screen.getByRole('textbox', { name: 'Answer' }), 'FY starts in April');
    await user.click(screen.getByRole('button', { name: 'Save answer' }));
    expect(onAnswer).toHaveBeenCalledWith('budget', { state: 'confirmed', evidence: 'Set aside 40k in Q1\nFY starts in April' });
  });

  it('Shift+Enter adds a line; an empty answer is refused with a message', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    renderUtc(<Discovery {...props({ onAnswer })} />);
    await user.click(screen.getAllByRole('button', { name: 'Asked' })[0]!);
    const answer = screen.getByRole('textbox', { name: 'Answer' }) as HTMLTextAreaElement;
    await user.keyboard('{Enter}');
    expect(onAnswer).not.toHaveBeenCalled();
    expect(answer.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Type what the prospect said.')).toBeTruthy();
    await user.type(answer, 'IT and finance{Shift>}{Enter}{/Shift}plus the COO');
    expect(answer.value).toBe('IT and finance\nplus the COO');
    expect(answer.getAttribute('aria-invalid')).toBeNull();
  });

  it('Escape or Cancel closes without saving and returns focus', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    renderUtc(<Discovery {...props({ onAnswer })} />);
    const asked = screen.getAllByRole('button', { name: 'Asked' })[0]!;
    await user.click(asked);
    await user.type(screen.getByRole('textbox', { name: 'Answer' }), 'half a thought');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Answer' })).toBeNull();
    expect(document.activeElement).toBe(asked);
    // Reopened, the text typed before is still there.
    await user.keyboard('{Enter}');
    expect((screen.getByRole('textbox', { name: 'Answer' }) as HTMLTextAreaElement).value).toBe('half a thought');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onAnswer).not.toHaveBeenCalled();
  });

  it('marks questions asked before', () => {
    const questions = nextQuestions(config.questions, bant, emptyChecklist('bant'), { asked: ['pain_roadblock'] });
    renderUtc(<Discovery {...props({ questions, limit: 20 })} />);
    const item = screen.getByText('What gets in the way most with how you handle this today?').closest('li')!;
    expect(within(item).getByText('Asked before')).toBeTruthy();
  });

  it('on a call: an answer box under each question; Enter hands the words on for its criterion and marks it asked', async () => {
    const user = userEvent.setup();
    const onQuickAnswer = vi.fn();
    const onAsked = vi.fn();
    const onAnswer = vi.fn();
    renderUtc(<Discovery {...props({ onQuickAnswer, onAsked, onAnswer })} />);
    expect(screen.queryByRole('button', { name: 'Asked' })).toBeNull();
    const box = screen.getByRole('textbox', { name: 'Answer to: Who has the final say on spend of this size?' });
    await user.type(box, 'The COO, above 20k{Enter}');
    expect(onQuickAnswer).toHaveBeenCalledWith('dm_signoff', 'authority', 'The COO, above 20k');
    expect(onAsked).toHaveBeenCalledWith('dm_signoff');
    // The words go through the call notes (which add them to the evidence), not as a second answer.
    expect(onAnswer).not.toHaveBeenCalled();
    expect((box as HTMLInputElement).value).toBe('');
    expect(within(box.closest('li')!).getByText('Asked before')).toBeTruthy();
    // An empty Enter does nothing.
    await user.type(box, '{Enter}');
    expect(onQuickAnswer).toHaveBeenCalledTimes(1);
  });

  it('on a call: words that could not be noted come back to the answer box, with why', async () => {
    const user = userEvent.setup();
    renderUtc(<Discovery {...props({ onQuickAnswer: () => Promise.reject(new Error('the call has ended')) })} />);
    const box = screen.getByRole('textbox', { name: 'Answer to: Who has the final say on spend of this size?' }) as HTMLInputElement;
    await user.type(box, 'The COO{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('The note was not added (the call has ended). Your text is kept.');
    expect(box.value).toBe('The COO');
    expect(box.getAttribute('aria-invalid')).toBe('true');
  });
});
