// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../dashboard/testing';
import { findFramework } from '../../domain/config';
import { WAIT } from '../../../test/support/timeouts';
import { CallSection, CallTimer, clockText, criterionShortcut, isCallShortcut, type CallSectionProps } from './CallMode';
import { config, FakeIntersectionObserver as IO, UtcDates } from './testing';
import { gateTiming } from './use-frame-visible';
import type { CallActions, CallDraftView, CallLineView, CallView } from './types';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const bant = findFramework(config, 'bant')!;
const START = '2026-11-20T11:58:00Z';

const noCall: CallView = { draft: null, logged: [], attempts: 0 };
const draft = (lines: CallLineView[] = [], pending = ''): CallDraftView => ({ callId: 'call-1', startedAt: START, lines, pending });

function actions(overrides: Partial<CallActions> = {}): CallActions {
  return { onStart: vi.fn(), onAddLine: vi.fn(), onRemoveLine: vi.fn(), onPending: vi.fn(), onEnd: vi.fn(), onDiscard: vi.fn(), ...overrides };
}

function renderCall(call: CallView, a: CallActions = actions(), extra: Partial<CallSectionProps> = {}) {
  return render(<CallSection call={call} criteria={bant.criteria} actions={a} crmLabel="Demo CRM" clock={() => Date.parse('2026-11-20T12:00:05Z')} {...extra} />, { wrapper: UtcDates });
}

/**
 * A host that behaves like the panel's: start makes a draft, a line is stored (its `#tag` read by the
 * background's rules: here only `#budget`), end logs it. Every action is recorded.
 */
function LiveHost({ record, initial = noCall }: { record: (what: string, ...args: unknown[]) => void; initial?: CallView }) {
  const [call, setCall] = useState<CallView>(initial);
  const a: CallActions = {
    onStart: async () => {
      record('start');
      setCall((c) => ({ ...c, draft: draft() }));
    },
    onAddLine: async (callId, text, criterionId) => {
      record('add', callId, text, criterionId);
      const tagged = criterionId ?? (text.startsWith('#budget ') ? 'budget' : undefined);
      const line: CallLineView = { id: `l${Math.random()}`, at: '2026-11-20T12:00:00Z', text: text.replace(/^#budget /, ''), ...(tagged ? { criterionId: tagged } : {}) };
      setCall((c) => ({ ...c, draft: c.draft && { ...c.draft, lines: [...c.draft.lines, line] } }));
    },
    onRemoveLine: async (callId, lineId) => {
      record('remove', callId, lineId);
      setCall((c) => ({ ...c, draft: c.draft && { ...c.draft, lines: c.draft.lines.filter((l) => l.id !== lineId) } }));
    },
    onPending: (callId, text) => record('pending', callId, text),
    onEnd: async (callId, outcome, note) => {
      record('end', callId, outcome, note);
      setCall((c) => ({
        draft: null,
        attempts: c.attempts + 1,
        logged: [{ callId, outcome, startedAt: START, endedAt: '2026-11-20T12:03:10Z', durationSec: 310, lineCount: c.draft?.lines.length ?? 0, by: 'Ana Souza', sync: 'queued' }, ...c.logged],
      }));
    },
    onDiscard: async (callId) => {
      record('discard', callId);
      setCall((c) => ({ ...c, draft: null }));
    },
  };
  return <CallSection call={call} criteria={bant.criteria} actions={a} crmLabel="Demo CRM" clock={() => Date.parse('2026-11-20T12:00:05Z')} pendingDebounceMs={20} />;
}

const notesBox = () => screen.getByRole('combobox', { name: 'Call notes' }) as HTMLInputElement;
const lineTexts = () => [...(screen.queryByRole('list', { name: 'Notes of this call' })?.querySelectorAll('li') ?? [])].map((li) => li.textContent?.replace('×', '').trim());

describe('call mode: the keyboard flow', () => {
  it('starts with Alt+Shift+C, takes a #tagged line, a line tied with Alt+Shift+2, a plain one, and logs the call', async () => {
    const user = userEvent.setup();
    const record = vi.fn();
    render(<LiveHost record={record} />, { wrapper: UtcDates });
    const start = screen.getByRole('button', { name: 'Start call' });
    expect(start.getAttribute('aria-keyshortcuts')).toBe('Alt+Shift+C');
    expect(screen.getByText('Alt+Shift+C starts a call and takes you to its notes.')).toBeTruthy();

    await user.keyboard('{Alt>}{Shift>}C{/Shift}{/Alt}');
    expect(record).toHaveBeenCalledWith('start');
    // The notes box has focus: the rep types at once.
    expect(document.activeElement).toBe(notesBox());
    expect(screen.getByRole('timer', { name: 'Call time' }).textContent).toBe('2:05');

    // A leading #tag shows the criterion's chip before Enter.
    await user.keyboard('#budget 40k set aside for Q2');
    expect(screen.getByRole('button', { name: 'Untie from Budget' })).toBeTruthy();
    await user.keyboard('{Enter}');
    expect(record).toHaveBeenCalledWith('add', 'call-1', '#budget 40k set aside for Q2', undefined);
    expect(notesBox().value).toBe('');
    expect(lineTexts()).toEqual(['12:00Budget40k set aside for Q2']);

    // The shortcut ties the line being typed to the n-th criterion (2 = Authority); it wins over no tag.
    await user.keyboard('The COO signs off above 20k');
    await user.keyboard('{Alt>}{Shift>}2{/Shift}{/Alt}');
    expect(notesBox().value).toBe('The COO signs off above 20k'); // nothing typed by the shortcut
    expect(screen.getByRole('button', { name: 'Untie from Authority' })).toBeTruthy();
    await user.keyboard('{Enter}');
    expect(record).toHaveBeenCalledWith('add', 'call-1', 'The COO signs off above 20k', 'authority');

    await user.keyboard('Call back Thursday{Enter}');
    expect(record).toHaveBeenCalledWith('add', 'call-1', 'Call back Thursday', undefined);
    expect(lineTexts()).toHaveLength(3);

    // Alt+Shift+C again: the outcome choice, focus on its first option.
    await user.keyboard('{Alt>}{Shift>}C{/Shift}{/Alt}');
    const form = screen.getByRole('form', { name: 'How did the call end?' });
    expect(screen.getByRole('button', { name: 'End call' }).getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(within(form).getByRole('radio', { name: 'Connected' }));
    // Logging without an outcome says what is missing.
    await user.click(within(form).getByRole('button', { name: 'Log call' }));
    expect(within(form).getByText('Choose how the call ended.')).toBeTruthy();
    expect(record).not.toHaveBeenCalledWith('end', expect.anything(), expect.anything(), expect.anything());
    await user.keyboard(' '); // the focused radio: Connected
    await user.type(within(form).getByRole('textbox', { name: 'Call note' }), 'Demo booked for Tuesday');
    await user.click(within(form).getByRole('button', { name: 'Log call' }));
    expect(record).toHaveBeenCalledWith('end', 'call-1', 'connected', 'Demo booked for Tuesday');

    // Back to "Start call", with the call logged and counted.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Start call' }));
    expect(screen.getByText('1 attempt logged')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Call logged: Connected. 1 attempt logged.');
    const logged = within(screen.getByRole('list', { name: 'Logged calls' })).getAllByRole('listitem');
    expect(logged.map((li) => li.textContent)).toEqual(['Connected · 5:10 · 3 notes · 20 Nov 11:58 Logged · saved on this device']);
  });

  it('offers the criteria while # is typed: arrows choose, Enter takes, Escape closes', async () => {
    const user = userEvent.setup();
    renderCall({ ...noCall, draft: draft() });
    await user.click(notesBox());
    await user.keyboard('#');
    const list = screen.getByRole('listbox', { name: 'Criteria to tie the line to' });
    expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual(['1Budget #budget', '2Authority #authority', '3Need #need', '4Timeline #timeline']);
    expect(notesBox().getAttribute('aria-expanded')).toBe('true');
    expect(notesBox().getAttribute('aria-activedescendant')).toBe(within(list).getAllByRole('option')[0]!.id);
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(within(list).getByRole('option', { selected: true }).textContent).toContain('Need');
    await user.keyboard('{Enter}');
    expect(notesBox().value).toBe('#need ');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(screen.getByRole('button', { name: 'Untie from Need' })).toBeTruthy();
    // Typing narrows the list; Escape closes it and leaves the text.
    await user.clear(notesBox());
    await user.keyboard('#ti');
    expect(within(screen.getByRole('listbox')).getAllByRole('option').map((o) => o.textContent)).toEqual(['4Timeline #timeline']);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(notesBox().value).toBe('#ti');
  });

  it('says when a tag names no criterion, and keeps the line whole', async () => {
    const user = userEvent.setup();
    const a = actions();
    renderCall({ ...noCall, draft: draft() }, a);
    await user.click(notesBox());
    await user.keyboard('#pricing');
    expect(screen.queryByText('not a criterion')).toBeNull(); // still typing the tag
    await user.keyboard(' they asked about seats');
    expect(screen.getByText('not a criterion')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Untie/ })).toBeNull();
    await user.keyboard('{Enter}');
    expect(a.onAddLine).toHaveBeenCalledWith('call-1', '#pricing they asked about seats', undefined);
  });

  it('keeps what is typed and not entered: handed over after a pause, and restored from the draft', async () => {
    const user = userEvent.setup();
    const a = actions();
    renderCall({ ...noCall, draft: draft([], 'they use spread') }, a, { pendingDebounceMs: 20 });
    expect(notesBox().value).toBe('they use spread');
    await user.click(notesBox());
    await user.keyboard('sheets');
    await vi.waitFor(() => expect(a.onPending).toHaveBeenLastCalledWith('call-1', 'they use spreadsheets'), WAIT);
  });

  it('keeps the words when the line could not be added', async () => {
    const user = userEvent.setup();
    renderCall({ ...noCall, draft: draft() }, actions({ onAddLine: () => Promise.reject(new Error('storage is full')) }));
    await user.click(notesBox());
    await user.keyboard('#budget 40k{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('The note was not added (storage is full). Your text is kept.');
    expect(notesBox().value).toBe('#budget 40k');
  });

  it('lists the lines with time and criterion, removable, in a list of fixed height', async () => {
    const user = userEvent.setup();
    const a = actions();
    renderCall({ ...noCall, draft: draft([{ id: 'l1', at: '2026-11-20T11:59:00Z', text: '40k for Q2', criterionId: 'budget', criterionLabel: 'Budget' }, { id: 'l2', at: '2026-11-20T11:59:30Z', text: '#price seats?', unknownTag: 'price' }]) }, a);
    expect(lineTexts()).toEqual(['11:59Budget40k for Q2', '11:59No criterion called “#price”: the line is kept as it is.#price seats?']);
    await user.click(screen.getByRole('button', { name: 'Remove note: 40k for Q2' }));
    expect(a.onRemoveLine).toHaveBeenCalledWith('call-1', 'l1');
  });

  it('discards only after a second yes', async () => {
    const user = userEvent.setup();
    const a = actions();
    renderCall({ ...noCall, draft: draft([{ id: 'l1', at: START, text: 'x' }]) }, a);
    await user.click(screen.getByRole('button', { name: 'End call' }));
    await user.click(screen.getByRole('button', { name: 'Discard call' }));
    expect(screen.getByText('Discard this call and its note? Nothing goes to the CRM.')).toBeTruthy();
    expect(a.onDiscard).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    expect(a.onDiscard).toHaveBeenCalledWith('call-1');
  });

  it('shows each logged call’s sync state in words', () => {
    renderCall({
      draft: null,
      attempts: 3,
      logged: [
        { callId: 'a', outcome: 'no_answer', startedAt: '2026-11-20T09:00:00Z', endedAt: '2026-11-20T09:00:20Z', durationSec: 20, lineCount: 0, by: 'Ana', sync: 'synced' },
        { callId: 'b', outcome: 'voicemail', startedAt: '2026-11-20T10:00:00Z', endedAt: '2026-11-20T10:01:00Z', durationSec: 60, lineCount: 1, by: 'Ana', sync: 'failed', problem: 'The CRM refused the call: owner missing.' },
        { callId: 'c', outcome: 'connected', startedAt: '2026-11-20T11:00:00Z', endedAt: '2026-11-20T11:10:00Z', durationSec: 600, lineCount: 2, by: 'Ana', sync: 'unsupported' },
      ],
    });
    expect(screen.getByText('3 attempts logged')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Logged calls' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Connected · 10:00 · 2 notes · 20 Nov 11:00 Logged here · Demo CRM does not take calls from the extension',
      'Left a voicemail · 1:00 · 1 note · 20 Nov 10:00 Needs attention: The CRM refused the call: owner missing.',
      'No answer · 0:20 · 0 notes · 20 Nov 09:00 Logged · synced to Demo CRM',
    ]);
  });

  it('is axe-clean before, during and while ending a call', async () => {
    const user = userEvent.setup();
    const { container } = renderCall({ ...noCall, attempts: 1, logged: [{ callId: 'a', outcome: 'no_answer', startedAt: START, endedAt: START, durationSec: 0, lineCount: 0, by: 'Ana', sync: 'queued' }] });
    expect(await axeViolations(container)).toEqual([]);
    cleanup();
    const during = renderCall({ ...noCall, draft: draft([{ id: 'l1', at: START, text: '40k', criterionId: 'budget', criterionLabel: 'Budget' }]) });
    await user.click(notesBox());
    await user.keyboard('#');
    expect(await axeViolations(during.container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'End call' }));
    expect(await axeViolations(during.container)).toEqual([]);
  });
});

describe('call mode: the parts', () => {
  it('counts the time from the start on the background’s clock, once a second', () => {
    vi.useFakeTimers();
    let now = Date.parse('2026-11-20T12:00:59.500Z');
    render(<CallTimer startedAt="2026-11-20T11:59:00Z" clock={() => now} />);
    const timer = screen.getByRole('timer');
    expect(timer.textContent).toBe('1:59');
    now += 500;
    act(() => void vi.advanceTimersByTime(500));
    expect(timer.textContent).toBe('2:00');
    now += 3_600_000;
    act(() => void vi.advanceTimersByTime(1000));
    expect(timer.textContent).toBe('1:02:00');
  });

  it('formats durations and reads the shortcuts by key position', () => {
    expect([0, 7, 65, 3600, 3725].map(clockText)).toEqual(['0:00', '0:07', '1:05', '1:00:00', '1:02:05']);
    const keys = { altKey: true, shiftKey: true, ctrlKey: false, metaKey: false };
    expect(isCallShortcut({ ...keys, code: 'KeyC' })).toBe(true);
    expect(isCallShortcut({ ...keys, shiftKey: false, code: 'KeyC' })).toBe(false);
    expect(isCallShortcut({ ...keys, ctrlKey: true, code: 'KeyC' })).toBe(false);
    expect(criterionShortcut({ ...keys, code: 'Digit3' })).toBe(3);
    expect(criterionShortcut({ ...keys, code: 'Digit0' })).toBeUndefined();
    expect(criterionShortcut({ ...keys, altKey: false, code: 'Digit3' })).toBeUndefined();
  });

  it('flushes typed text when the call section goes away', () => {
    const a = actions();
    const { unmount } = renderCall({ ...noCall, draft: draft() }, a, { pendingDebounceMs: 60_000 });
    fireEvent.change(notesBox(), { target: { value: 'half a thought' } });
    expect(a.onPending).not.toHaveBeenCalled();
    unmount();
    expect(a.onPending).toHaveBeenCalledWith('call-1', 'half a thought');
  });
});

describe('call mode: logging and discarding wait until the panel is really in view (ADR 0015)', () => {
  beforeEach(() => IO.stub(vi.stubGlobal));
  afterEach(() => {
    vi.unstubAllGlobals();
    gateTiming.pointerDwellMs = 0;
  });

  it('keeps "Log call" paused while the panel is covered, and logs once it has been in view a moment', async () => {
    const a = actions();
    renderCall({ ...noCall, draft: draft() }, a);
    fireEvent.click(screen.getByRole('button', { name: 'End call' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Connected' }));
    const log = screen.getByRole('button', { name: 'Log call' });
    expect(log.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByText(/^Logging is paused while this panel is covered/)).toBeTruthy();
    fireEvent.click(log);
    expect(a.onEnd).not.toHaveBeenCalled();
    // The browser says the buttons (and the whole frame) are fully in view and uncovered; after the delay, logging works.
    IO.reportVisible();
    await vi.waitFor(() => expect(log.getAttribute('aria-disabled')).toBeNull(), WAIT);
    fireEvent.click(log);
    expect(a.onEnd).toHaveBeenCalledWith('call-1', 'connected', undefined);
  });

  it('"Discard" (which destroys the notes) is gated the same way: covered, or clicked right as the pointer came in, it does nothing', async () => {
    gateTiming.pointerDwellMs = 60_000; // the pointer cannot have dwelt that long in this test
    const a = actions();
    renderCall({ ...noCall, draft: draft([{ id: 'l1', at: START, text: 'x' }]) }, a);
    fireEvent.click(screen.getByRole('button', { name: 'End call' }));
    fireEvent.click(screen.getByRole('button', { name: 'Discard call' }));
    const yes = screen.getByRole('button', { name: 'Discard' });
    expect(yes.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByText(/^Discarding is paused while this panel is covered/)).toBeTruthy();
    fireEvent.click(yes);
    expect(a.onDiscard).not.toHaveBeenCalled();
    IO.reportVisible();
    await vi.waitFor(() => expect(yes.getAttribute('aria-disabled')).toBeNull(), WAIT);
    // A decoy's second click, the panel just moved under the pointer: nothing.
    fireEvent.pointerDown(yes, { clientX: 10, clientY: 10, screenX: 910, screenY: 10, pointerType: 'mouse' });
    fireEvent.click(yes, { detail: 1 });
    expect(a.onDiscard).not.toHaveBeenCalled();
    expect(screen.getByText(/^That click came right after the pointer moved into the panel/)).toBeTruthy();
    // From the keyboard (no dwell needed), it discards.
    fireEvent.click(yes, { detail: 0 });
    expect(a.onDiscard).toHaveBeenCalledWith('call-1');
  });
});
