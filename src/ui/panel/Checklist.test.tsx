// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findFramework } from '../../domain/config';
import { emptyChecklist, progress, setAnswer, type Checklist as ChecklistData } from '../../domain/frameworks';
import { axeViolations } from '../../dashboard/testing';
import { Checklist, type ChecklistProps } from './Checklist';
import { budgetConfirmed, config, renderUtc } from './testing';

afterEach(cleanup);

const bant = findFramework(config, 'bant')!;

function props(checklist: ChecklistData = budgetConfirmed, overrides: Partial<ChecklistProps> = {}): ChecklistProps {
  const framework = findFramework(config, checklist.frameworkId) ?? bant;
  return {
    frameworks: config.frameworks,
    framework,
    checklist,
    progress: progress(framework, checklist),
    evidenceMaxChars: config.limits.evidenceMaxChars,
    onFrameworkChange: vi.fn(),
    onAnswer: vi.fn(),
    ...overrides,
  };
}

const describedBy = (el: HTMLElement) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);

const radios = (group: string) =>
  within(screen.getByRole('radiogroup', { name: group }))
    .getAllByRole('radio')
    .map((r) => `${(r as HTMLInputElement).labels![0]!.textContent}${(r as HTMLInputElement).checked ? '*' : ''}`);

describe('Checklist', () => {
  it('offers the team’s frameworks in a combobox named Framework, set to the one in use', () => {
    const onFrameworkChange = vi.fn();
    renderUtc(<Checklist {...props(budgetConfirmed, { onFrameworkChange })} />);
    const select = screen.getByRole('combobox', { name: 'Framework' }) as HTMLSelectElement;
    expect(select.value).toBe('bant');
    expect([...select.options].map((o) => o.textContent)).toEqual(['BANT', 'CHAMP', 'MEDDIC', 'MEDDPICC', 'Five characteristics']);
    fireEvent.change(select, { target: { value: 'champ' } });
    expect(onFrameworkChange).toHaveBeenCalledWith('champ');
  });

  it('makes each criterion a radio group named after it, with the four states', () => {
    renderUtc(<Checklist {...props()} />);
    expect(radios('Budget')).toEqual(['Unknown', 'Partly', 'Confirmed*', 'Disconfirmed']);
    expect(radios('Authority')).toEqual(['Unknown*', 'Partly', 'Confirmed', 'Disconfirmed']);
    expect(screen.getAllByRole('radiogroup')).toHaveLength(4);
    expect(screen.getByRole('radiogroup', { name: 'Need' })).toBeTruthy();
    expect(screen.getByRole('radiogroup', { name: 'Timeline' })).toBeTruthy();
  });

  it('shows progress, the evidence, and who answered when', () => {
    renderUtc(<Checklist {...props()} />);
    expect(screen.getByText('1 of 4 BANT confirmed')).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Budget evidence' }) as HTMLTextAreaElement).value).toBe('Set aside 40k in Q1');
    expect(screen.getByText('Sam, 20 Nov 10:02')).toBeTruthy();
    // Unanswered criteria show no who/when.
    const authority = screen.getByRole('radiogroup', { name: 'Authority' }).closest('li')!;
    expect(authority.querySelector('.lq-meta')).toBeNull();
  });

  it('reports a picked state with the current evidence, by keyboard too', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    renderUtc(<Checklist {...props(budgetConfirmed, { onAnswer })} />);
    const authority = within(screen.getByRole('radiogroup', { name: 'Authority' }));
    await user.click(authority.getByRole('radio', { name: 'Partly' }));
    expect(onAnswer).toHaveBeenLastCalledWith('authority', { state: 'partly', evidence: '' });
    // Keyboard: arrows move within the group (native radios).
    const timeline = within(screen.getByRole('radiogroup', { name: 'Timeline' }));
    timeline.getByRole('radio', { name: 'Unknown' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(onAnswer).toHaveBeenLastCalledWith('timeline', { state: 'partly', evidence: '' });
    expect(onAnswer).toHaveBeenCalledTimes(2);
  });

  it('sets a state with the keys 1–4 while the criterion’s states have focus, and says so', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    renderUtc(<Checklist {...props(budgetConfirmed, { onAnswer })} />);
    const group = screen.getByRole('radiogroup', { name: 'Need' });
    expect(group.getAttribute('aria-keyshortcuts')).toBe('1 2 3 4');
    expect(describedBy(group)).toContain('Keys 1–4 set Unknown, Partly, Confirmed, Disconfirmed.');
    expect(screen.getByText('Keys 1–4 set Unknown, Partly, Confirmed, Disconfirmed.')).toBeTruthy();
    within(group).getByRole('radio', { name: 'Unknown' }).focus();
    await user.keyboard('3');
    expect(onAnswer).toHaveBeenLastCalledWith('need', { state: 'confirmed', evidence: '' });
    expect(document.activeElement).toBe(within(group).getByRole('radio', { name: 'Confirmed' }));
    await user.keyboard('4');
    expect(onAnswer).toHaveBeenLastCalledWith('need', { state: 'disconfirmed', evidence: '' });
    // With a modifier, or in the evidence box, a digit is not a shortcut.
    await user.keyboard('{Alt>}2{/Alt}{Control>}1{/Control}');
    expect(onAnswer).toHaveBeenCalledTimes(2);
    await user.click(screen.getByRole('textbox', { name: 'Need evidence' }));
    await user.keyboard('2');
    expect(onAnswer).toHaveBeenCalledTimes(2);
  });

  it('on a call: one grid row per criterion, numbered, the same radio groups and keys, no evidence boxes', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    const { container } = renderUtc(<Checklist {...props(budgetConfirmed, { onAnswer, compact: true })} />);
    expect(radios('Budget')).toEqual(['Unknown', 'Partly', 'Confirmed*', 'Disconfirmed']);
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Framework' })).toBeNull();
    expect(screen.getByText('1 of 4 BANT confirmed')).toBeTruthy();
    expect([...container.querySelectorAll('.lq-criterion .lq-key')].map((k) => k.textContent)).toEqual(['1', '2', '3', '4']);
    const authority = screen.getByRole('radiogroup', { name: 'Authority' });
    within(authority).getByRole('radio', { name: 'Unknown' }).focus();
    await user.keyboard('3');
    // The evidence already there goes along unchanged.
    expect(onAnswer).toHaveBeenLastCalledWith('authority', { state: 'confirmed', evidence: '' });
    within(screen.getByRole('radiogroup', { name: 'Budget' })).getByRole('radio', { name: 'Confirmed' }).focus();
    await user.keyboard('2');
    expect(onAnswer).toHaveBeenLastCalledWith('budget', { state: 'partly', evidence: 'Set aside 40k in Q1' });
    expect(await axeViolations(container)).toEqual([]);
  });

  it('sends the evidence when the field loses focus, and keeps the text across re-renders', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    const { rerender } = renderUtc(<Checklist {...props(budgetConfirmed, { onAnswer })} />);
    const need = screen.getByRole('textbox', { name: 'Need evidence' }) as HTMLTextAreaElement;
    await user.type(need, 'Month-end close takes 9 days');
    expect(onAnswer).not.toHaveBeenCalled();
    // The host re-renders with the same data (e.g. another field changed): the typing is kept.
    rerender(<Checklist {...props(budgetConfirmed, { onAnswer })} />);
    expect(need.value).toBe('Month-end close takes 9 days');
    await user.tab();
    expect(onAnswer).toHaveBeenCalledOnce();
    expect(onAnswer).toHaveBeenCalledWith('need', { state: 'unknown', evidence: 'Month-end close takes 9 days' });
  });

  it('saves the evidence explicitly with Ctrl+Enter', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    renderUtc(<Checklist {...props(budgetConfirmed, { onAnswer })} />);
    const budget = screen.getByRole('textbox', { name: 'Budget evidence' });
    await user.type(budget, '; CFO approved');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onAnswer).toHaveBeenCalledWith('budget', { state: 'confirmed', evidence: 'Set aside 40k in Q1; CFO approved' });
  });

  it('follows new saved evidence unless the rep has edited the field', async () => {
    const user = userEvent.setup();
    const { rerender } = renderUtc(<Checklist {...props()} />);
    const later = (c: ChecklistData, id: string, evidence: string) => setAnswer(c, id, { state: 'partly', evidence, by: 'Kim', at: '2026-11-20T11:30:00Z' });
    // Untouched field: follows what was saved elsewhere (e.g. from a discovery answer).
    rerender(<Checklist {...props(later(budgetConfirmed, 'budget', 'Q1 budget, pending CFO'))} />);
    expect((screen.getByRole('textbox', { name: 'Budget evidence' }) as HTMLTextAreaElement).value).toBe('Q1 budget, pending CFO');
    expect(screen.getByText('Kim, 20 Nov 11:30')).toBeTruthy();
    // Edited field: the rep's text wins.
    const timeline = screen.getByRole('textbox', { name: 'Timeline evidence' }) as HTMLTextAreaElement;
    await user.type(timeline, 'Live by March');
    rerender(<Checklist {...props(later(budgetConfirmed, 'timeline', 'Something else'))} />);
    expect(timeline.value).toBe('Live by March');
  });

  it('flags evidence over the limit without losing it or sending it', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    renderUtc(<Checklist {...props(emptyChecklist('bant'), { onAnswer, evidenceMaxChars: 10 })} />);
    const field = screen.getByRole('textbox', { name: 'Need evidence' });
    await user.type(field, 'twelve chars');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const described = field.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)!.textContent);
    expect(described).toEqual(['12 / 10 characters', '12 characters; the limit is 10. Shorten it: your text is kept.']);
    await user.tab();
    expect(onAnswer).not.toHaveBeenCalled();
    expect((field as HTMLTextAreaElement).value).toBe('twelve chars');
  });

  it('shows the framework in use when the checklist names one that is gone', () => {
    const gone = emptyChecklist('spin');
    renderUtc(<Checklist {...props(gone)} />);
    expect((screen.getByRole('combobox', { name: 'Framework' }) as HTMLSelectElement).value).toBe('bant');
  });
});
