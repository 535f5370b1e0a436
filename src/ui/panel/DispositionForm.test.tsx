// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../domain/defaults';
import { DispositionForm, type DispositionFormProps } from './DispositionForm';
import { config, renderUtc, TODAY } from './testing';

afterEach(cleanup);

function props(overrides: Partial<DispositionFormProps> = {}): DispositionFormProps {
  return { kind: 'reject', config, today: TODAY, onSave: vi.fn(), ...overrides };
}

/** The texts an element's aria-describedby points at. */
const describedBy = (el: HTMLElement) => (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean).map((id) => document.getElementById(id)?.textContent);
const alertItems = () => within(screen.getByRole('alert')).getAllByRole('listitem').map((li) => li.textContent);

describe('DispositionForm: reject', () => {
  it('offers the active reason codes, with nothing chosen unless a reason is suggested', () => {
    const team = defaultConfig();
    team.reasonCodes.find((r) => r.code === 'duplicate')!.retired = true;
    renderUtc(<DispositionForm {...props({ config: team })} />);
    const reason = screen.getByRole('combobox', { name: 'Reason code' }) as HTMLSelectElement;
    expect(reason.value).toBe('');
    const labels = [...reason.options].map((o) => o.textContent);
    expect(labels).toHaveLength(12); // "Choose a reason" + 11 active codes (12 minus the retired one)
    expect(labels).not.toContain('Duplicate');
    cleanup();
    renderUtc(<DispositionForm {...props({ suggestedReasonCode: 'competitor' })} />);
    expect((screen.getByRole('combobox', { name: 'Reason code' }) as HTMLSelectElement).value).toBe('competitor');
  });

  it('shows every problem inline and in an alert, keeps what was typed, then saves', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    renderUtc(<DispositionForm {...props({ onSave })} />);
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));

    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('There are 2 problems:');
    expect(alertItems()).toEqual(['Choose a reason code.', 'Add a note: what did the prospect say?']);
    const reason = screen.getByRole('combobox', { name: 'Reason code' });
    const note = screen.getByRole('textbox', { name: 'Note' });
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(reason)).toEqual(['Choose a reason code.']);
    expect(note.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(note)).toEqual(['Add a note: what did the prospect say?']);
    expect(document.activeElement).toBe(screen.getByRole('alert'));

    // A link in the summary takes the rep to the field.
    await user.click(within(screen.getByRole('alert')).getByRole('link', { name: 'Add a note: what did the prospect say?' }));
    expect(document.activeElement).toBe(note);

    await user.type(note, 'Eight people, no ops team');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(alertItems()).toEqual(['Choose a reason code.']);
    expect((note as HTMLTextAreaElement).value).toBe('Eight people, no ops team');
    expect(note.getAttribute('aria-invalid')).toBeNull();

    await user.selectOptions(reason, 'Not ICP fit');
    // The chosen reason's description becomes the field's hint.
    expect(describedBy(reason)).toEqual(['Outside our ideal customer profile (size, industry, region).', 'Choose a reason code.']);
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(onSave).toHaveBeenCalledOnce();
    expect(onSave).toHaveBeenCalledWith({ outcome: 'reject', reasonCode: 'not_icp', note: 'Eight people, no ops team' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks for contact attempts when the reason needs them', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    renderUtc(<DispositionForm {...props({ onSave })} />);
    expect(screen.queryByRole('spinbutton', { name: 'Contact attempts' })).toBeNull();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Reason code' }), 'unresponsive');
    const attempts = screen.getByRole('spinbutton', { name: 'Contact attempts' });
    expect(describedBy(attempts)).toEqual(['At least 3 logged attempts.']);
    await user.type(attempts, '2');
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Two calls, no answer');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(alertItems()).toEqual(['“Unresponsive” needs at least 3 contact attempts (logged: 2).']);
    expect(attempts.getAttribute('aria-invalid')).toBe('true');
    await user.clear(attempts);
    await user.type(attempts, '3');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(onSave).toHaveBeenCalledWith({ outcome: 'reject', reasonCode: 'unresponsive', attempts: 3, note: 'Two calls, no answer' });
  });

  it('starts "Contact attempts" from the calls logged on the lead (call mode), and a draft’s own number wins', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    renderUtc(<DispositionForm {...props({ onSave, suggestedAttempts: 2 })} />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Reason code' }), 'unresponsive');
    expect((screen.getByRole('spinbutton', { name: 'Contact attempts' }) as HTMLInputElement).value).toBe('2');
    cleanup();
    renderUtc(<DispositionForm {...props({ suggestedAttempts: 2, initial: { outcome: 'reject', reasonCode: 'unresponsive', attempts: 4, note: '' } })} />);
    expect((screen.getByRole('spinbutton', { name: 'Contact attempts' }) as HTMLInputElement).value).toBe('4');
    cleanup();
    renderUtc(<DispositionForm {...props({ suggestedAttempts: 0 })} />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Reason code' }), 'unresponsive');
    expect((screen.getByRole('spinbutton', { name: 'Contact attempts' }) as HTMLInputElement).value).toBe('');
  });

  it('offers sub-reasons when the reason has them, and enforces a longer note for "Other"', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    const team = defaultConfig();
    team.reasonCodes.find((r) => r.code === 'bad_timing')!.subReasons = ['Budget freeze', 'Re-organisation'];
    renderUtc(<DispositionForm {...props({ config: team, onSave })} />);
    const reason = screen.getByRole('combobox', { name: 'Reason code' });
    await user.selectOptions(reason, 'Other');
    expect(screen.queryByRole('combobox', { name: 'Sub-reason (optional)' })).toBeNull();
    const note = screen.getByRole('textbox', { name: 'Note' });
    expect(describedBy(note)).toEqual(['At least 30 characters.']);
    await user.type(note, 'Wrong person entirely');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(alertItems()).toEqual(['“Other” needs a note of at least 30 characters (now 21).']);

    await user.selectOptions(reason, 'Bad timing');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sub-reason (optional)' }), 'Budget freeze');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(onSave).toHaveBeenCalledWith({ outcome: 'reject', reasonCode: 'bad_timing', subReason: 'Budget freeze', note: 'Wrong person entirely' });
  });

  it('flags a note over the team’s limit and keeps the text', async () => {
    const user = userEvent.setup();
    const team = defaultConfig();
    team.limits.noteMaxChars = 100;
    renderUtc(<DispositionForm {...props({ config: team, suggestedReasonCode: 'no_budget' })} />);
    const note = screen.getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement;
    await user.click(note);
    await user.paste('x'.repeat(101));
    expect(describedBy(note)).toEqual(['101 / 100 characters']);
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(alertItems()).toEqual(['The note has 101 characters; the limit is 100. Shorten it: your text is kept.']);
    expect(note.value).toHaveLength(101);
  });

  it('reports each edit as a draft and starts from a draft it is given', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    renderUtc(<DispositionForm {...props({ onChange, initial: { outcome: 'reject', reasonCode: 'bad_timing', note: 'Next year' } })} />);
    expect((screen.getByRole('combobox', { name: 'Reason code' }) as HTMLSelectElement).value).toBe('bad_timing');
    await user.type(screen.getByRole('textbox', { name: 'Note' }), '!');
    expect(onChange).toHaveBeenLastCalledWith({ outcome: 'reject', reasonCode: 'bad_timing', note: 'Next year!' });
  });

  it('keeps everything and says so when saving fails; shows Saving… meanwhile', async () => {
    const user = userEvent.setup();
    let fail!: (e: Error) => void;
    const onSave = vi.fn(() => new Promise((_, reject) => (fail = reject)));
    renderUtc(<DispositionForm {...props({ onSave, suggestedReasonCode: 'no_budget' })} />);
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'No money until 2028');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    const busy = screen.getByRole('button', { name: 'Saving…' });
    expect(busy.getAttribute('aria-disabled')).toBe('true');
    await user.click(busy); // no double save
    expect(onSave).toHaveBeenCalledOnce();
    fail(new Error('background not reachable'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not save: background not reachable. Everything you typed is kept.'));
    expect((screen.getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement).value).toBe('No money until 2028');
    expect(screen.getByRole('button', { name: 'Save disposition' })).toBeTruthy();
  });
});

describe('DispositionForm: accept', () => {
  it('needs a next step and a date from today on', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    renderUtc(<DispositionForm {...props({ kind: 'accept', onSave })} />);
    expect(screen.getByRole('heading', { name: 'Accept as SQL' })).toBeTruthy();
    const step = screen.getByRole('combobox', { name: 'Next step' }) as HTMLSelectElement;
    expect([...step.options].map((o) => o.textContent)).toEqual([
      'Choose the next step',
      'Demo',
      'Proposal call',
      'Technical review',
      'Discovery meeting with the buyer',
    ]);
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(alertItems()).toEqual(['Choose the next step.', 'Pick the date of the next step.']);

    const date = screen.getByLabelText('Next step date') as HTMLInputElement;
    expect(date.min).toBe(TODAY);
    await user.selectOptions(step, 'Demo');
    await user.type(date, '2026-11-19');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(alertItems()).toEqual(['The next step must be today or later.']);
    expect(describedBy(date)).toEqual(['The next step must be today or later.']);

    await user.clear(date);
    await user.type(date, '2026-11-20');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(onSave).toHaveBeenCalledWith({ outcome: 'accept', stage: 'sql', nextStepId: 'demo', nextStepOn: '2026-11-20', note: '' });
  });
});

describe('DispositionForm: recycle', () => {
  it('starts from the team’s re-check interval and needs a date or a trigger', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    renderUtc(<DispositionForm {...props({ kind: 'recycle', onSave })} />);
    const date = screen.getByLabelText('Re-check on') as HTMLInputElement;
    expect(date.value).toBe('2026-12-20'); // 20 Nov + 30 days
    expect(date.min).toBe('2026-11-21');
    await user.clear(date);
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(alertItems()).toEqual(['Pick a re-check date or describe what should trigger a re-check.']);
    expect(date.getAttribute('aria-invalid')).toBe('true');

    await user.type(screen.getByRole('textbox', { name: 'Or re-check when' }), 'Their new budget year opens');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(onSave).toHaveBeenCalledWith({ outcome: 'recycle', recheckOn: '', trigger: 'Their new budget year opens', note: '' });
  });

  it('refuses a re-check date of today', async () => {
    const user = userEvent.setup();
    renderUtc(<DispositionForm {...props({ kind: 'recycle' })} />);
    const date = screen.getByLabelText('Re-check on');
    await user.clear(date);
    await user.type(date, TODAY);
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(alertItems()).toEqual(['The re-check date must be after today.']);
  });

  it('has a Cancel button only when the host handles it', async () => {
    const onCancel = vi.fn();
    const { rerender } = renderUtc(<DispositionForm {...props({ kind: 'recycle' })} />);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    rerender(<DispositionForm {...props({ kind: 'recycle', onCancel })} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledOnce();
  });
});
