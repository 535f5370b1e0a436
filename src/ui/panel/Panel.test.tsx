// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Decision, DecisionInput } from '../../domain/dispositions';
import { emptyChecklist, setAnswer, type Checklist } from '../../domain/frameworks';
import { leadProfileSchema, type LeadProfile } from '../../domain/lead';
import { qualify } from '../../domain/qualify';
import { axeViolations } from '../../dashboard/testing';
import { Panel, type PanelProps } from './Panel';
import { budgetConfirmed, config, lead, leadInput, NOW, TODAY } from './testing';
import type { SavedDecisionInfo } from './types';

afterEach(cleanup);

function props(overrides: Partial<PanelProps> & { checklist?: Checklist; lead?: LeadProfile } = {}): PanelProps {
  const l = overrides.lead ?? lead;
  const checklist = overrides.checklist ?? budgetConfirmed;
  return {
    lead: l,
    checklist,
    qualification: qualify(l, checklist, config, NOW),
    config,
    today: TODAY,
    now: NOW,
    timeZone: 'UTC',
    locale: 'en-GB',
    onFrameworkChange: vi.fn(),
    onAnswer: vi.fn(),
    onSave: vi.fn(),
    ...overrides,
  };
}

const panel = () => within(screen.getByRole('complementary', { name: 'Lead qualification' }));
const progressText = () => screen.getByRole('region', { name: 'Checklist' }).querySelector('.lq-progress')!.textContent;

describe('Panel: the accessibility contract', () => {
  it('asks who is deciding when nobody can say, and offers the way to say it', async () => {
    const onIdentify = vi.fn();
    render(<Panel {...props({ author: null, onIdentify })} />);
    expect(screen.getByRole('note').textContent).toContain('Who is deciding?');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Add my name' }));
    expect(onIdentify).toHaveBeenCalledTimes(1);
    cleanup();
    render(<Panel {...props({ author: { name: 'Ana Souza', source: 'crm' } })} />);
    expect(screen.queryByText(/Who is deciding\?/)).toBeNull();
  });

  it('is a landmark named "Lead qualification" with the lead’s name as its heading', () => {
    render(<Panel {...props()} />);
    const p = panel();
    expect(p.getByRole('heading', { level: 2 }).textContent).toBe('Ada Park');
    expect(p.getByText('Northwind Health')).toBeTruthy();
    expect(p.getByText('Working')).toBeTruthy();
    // Contact requested at 11:58 → 5-minute window → 3 min left at 12:00.
    expect(p.getByText('3 min left')).toBeTruthy();
  });

  it('shows the score as a meter, the checklist as radio groups, and the framework combobox', async () => {
    render(<Panel {...props()} />);
    const meter = screen.getByRole('meter', { name: 'Lead score' });
    expect(meter.getAttribute('aria-valuenow')).toBe('63'); // 35 fit + 28 engagement, worked out in testing.tsx
    expect(meter.getAttribute('aria-valuemin')).toBe('0');
    expect(meter.getAttribute('aria-valuemax')).toBe('100');
    expect((screen.getByRole('combobox', { name: 'Framework' }) as HTMLSelectElement).value).toBe('bant');
    const budget = within(screen.getByRole('radiogroup', { name: 'Budget' }));
    expect((budget.getByRole('radio', { name: 'Confirmed' }) as HTMLInputElement).checked).toBe(true);
    expect(budget.getAllByRole('radio').map((r) => (r as HTMLInputElement).labels![0]!.textContent)).toEqual(['Unknown', 'Partly', 'Confirmed', 'Disconfirmed']);
    expect((screen.getByRole('textbox', { name: 'Budget evidence' }) as HTMLTextAreaElement).value).toBe('Set aside 40k in Q1');
    expect(screen.getByText('Sam, 20 Nov 10:02')).toBeTruthy();
    expect(progressText()).toBe('1 of 4 BANT confirmed');
    // On the call, one confirmed criterion is progress, not a reason to send the lead back (issue 17).
    expect(screen.getByText('1 of 4 BANT confirmed — ask about Authority, Need and Timeline')).toBeTruthy();
    // The recommendation is one line; its details (the decision-time verdict among them) open on demand.
    expect(screen.queryByText(/^If you decide now: /)).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: /^SQL 1 of 4 BANT confirmed/ }));
    expect(screen.getByText(/^If you decide now: /)).toBeTruthy();
    expect(screen.getByText(/not scored/)).toBeTruthy();
  });

  it('passes framework changes and answers to the host', async () => {
    const user = userEvent.setup();
    const onFrameworkChange = vi.fn();
    const onAnswer = vi.fn();
    render(<Panel {...props({ onFrameworkChange, onAnswer })} />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Framework' }), 'MEDDIC');
    expect(onFrameworkChange).toHaveBeenCalledWith('meddic');
    await user.click(within(screen.getByRole('radiogroup', { name: 'Need' })).getByRole('radio', { name: 'Confirmed' }));
    expect(onAnswer).toHaveBeenCalledWith('need', { state: 'confirmed', evidence: '' });
  });
});

describe('Panel: disposition', () => {
  it('rejects: empty fields give an alert and inline errors, then a valid save calls onSave', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    const onDraftChange = vi.fn();
    render(<Panel {...props({ onSave, onDraftChange })} />);
    const reject = screen.getByRole('button', { name: 'Reject' });
    expect(reject.getAttribute('aria-expanded')).toBe('false');
    await user.click(reject);
    expect(reject.getAttribute('aria-expanded')).toBe('true');
    const reason = screen.getByRole('combobox', { name: 'Reason code' }) as HTMLSelectElement;
    // Opened by the rep's click: focus moves into the form, on its heading (not a field Enter could submit from, ADR 0015).
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Reject the lead' }));
    expect(reason.value).toBe(''); // no suggested reason for this recommendation

    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Choose a reason code.');
    expect(alert.textContent).toContain('Add a note: what did the prospect say?');
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(reason.getAttribute('aria-describedby')!)!.textContent).toBe('Choose a reason code.');
    expect(onSave).not.toHaveBeenCalled();

    await user.selectOptions(reason, 'Not ICP fit');
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Eight people, no ops team');
    expect(onDraftChange).toHaveBeenLastCalledWith({ outcome: 'reject', reasonCode: 'not_icp', note: 'Eight people, no ops team' });
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(onSave).toHaveBeenCalledOnce();
    expect(onSave).toHaveBeenCalledWith({ outcome: 'reject', reasonCode: 'not_icp', note: 'Eight people, no ops team' });
    expect(onDraftChange).toHaveBeenLastCalledWith(undefined);
  });

  it('shows the saved decision and its sync state, and moves focus to it', () => {
    const decision: Decision = { outcome: 'reject', reasonCode: 'not_icp', note: 'Eight people, no ops team' };
    const { rerender } = render(<Panel {...props()} />);
    const saved = (s: Partial<SavedDecisionInfo>): SavedDecisionInfo => ({ decision, at: '2026-11-20T12:01:00Z', syncState: 'saved_locally', ...s });
    rerender(<Panel {...props({ saved: saved({}) })} />);
    expect(screen.getByText('Rejected — Not ICP fit')).toBeTruthy();
    expect(screen.getByText('Decided 20 Nov 12:01')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Saved on this device');
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Decision' }));
    rerender(<Panel {...props({ saved: saved({ syncState: 'synced' }) })} />);
    expect(screen.getByRole('status').textContent).toBe('Synced to CRM');
    rerender(<Panel {...props({ saved: saved({ syncState: 'needs_attention', syncMessage: 'Lead is locked in the CRM' }) })} />);
    expect(screen.getByRole('status').textContent).toBe('Needs attention: Lead is locked in the CRM');
  });

  it('opened from the keyboard, a form takes focus to its first field', async () => {
    const user = userEvent.setup();
    render(<Panel {...props()} />);
    screen.getByRole('button', { name: 'Reject' }).focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Reason code' }));
  });

  it('keeps what was typed when the rep switches between forms', async () => {
    const user = userEvent.setup();
    render(<Panel {...props()} />);
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Half a thought');
    await user.click(screen.getByRole('button', { name: 'Accept as SQL' }));
    expect(screen.getByRole('combobox', { name: 'Next step' })).toBeTruthy();
    expect(screen.queryByRole('combobox', { name: 'Reason code' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    expect((screen.getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement).value).toBe('Half a thought');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('textbox', { name: 'Note' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Reject' }));
  });

  it('restores a draft, even one that arrives after the first render', () => {
    const draft: DecisionInput = { outcome: 'recycle', recheckOn: '2027-01-15', trigger: '', note: 'After their budget freeze' };
    const { rerender } = render(<Panel {...props()} />);
    expect(screen.queryByRole('form')).toBeNull();
    rerender(<Panel {...props({ draft })} />);
    expect((screen.getByLabelText('Re-check on') as HTMLInputElement).value).toBe('2027-01-15');
    expect((screen.getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement).value).toBe('After their budget freeze');
    expect(screen.getByRole('button', { name: 'Recycle to nurture' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('preselects the recommendation’s reason code for a knock-out', async () => {
    const rival = leadProfileSchema.parse({ ...leadInput, email: 'ada@rivalcrm.example' });
    render(<Panel {...props({ lead: rival, checklist: emptyChecklist('bant') })} />);
    expect(screen.getByText('Disqualify: works at a competitor')).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Reject' }));
    expect((screen.getByRole('combobox', { name: 'Reason code' }) as HTMLSelectElement).value).toBe('competitor');
  });

  it('lets the rep change a saved decision, starting from it, or keep it', async () => {
    const user = userEvent.setup();
    const decision: Decision = { outcome: 'reject', reasonCode: 'bad_timing', note: 'Call back in spring' };
    render(<Panel {...props({ saved: { decision, at: '2026-11-20T11:00:00Z', syncState: 'synced' } })} />);
    await user.click(screen.getByRole('button', { name: 'Change decision' }));
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    expect((screen.getByRole('combobox', { name: 'Reason code' }) as HTMLSelectElement).value).toBe('bad_timing');
    expect((screen.getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement).value).toBe('Call back in spring');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByText('Rejected — Bad timing')).toBeTruthy();
  });
});

describe('Panel: untrusted text', () => {
  it('renders a hostile lead name and CRM data literally', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const evil = leadProfileSchema.parse({
      ...leadInput,
      name: hostile,
      company: '<script>alert(2)</script>',
      activities: [{ type: 'webinar_registered', at: '2026-11-19T15:00:00Z', detail: '<svg onload=alert(3)>' }],
    });
    const checklist = setAnswer(emptyChecklist('bant'), 'need', { state: 'partly', evidence: '<iframe src=javascript:alert(4)>', by: '<b>rep</b>', at: '2026-11-20T10:00:00Z' });
    const { container } = render(<Panel {...props({ lead: evil, checklist })} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(hostile);
    expect(screen.getByText('<script>alert(2)</script>')).toBeTruthy();
    expect(screen.getByText('Activity: webinar registered: <svg onload=alert(3)>')).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Need evidence' }) as HTMLTextAreaElement).value).toBe('<iframe src=javascript:alert(4)>');
    expect(screen.getByText('<b>rep</b>, 20 Nov 10:00')).toBeTruthy();
    expect(container.querySelector('img, script, svg, iframe, b')).toBeNull();
  });
});

describe('Panel: with a host that re-qualifies', () => {
  /** A stand-in for entrypoints/panel: keeps the checklist, re-runs qualify, stores decisions. */
  function Host({ onSave }: { onSave: (d: Decision) => void }) {
    const [checklist, setChecklist] = useState<Checklist>(emptyChecklist('bant'));
    const [saved, setSaved] = useState<SavedDecisionInfo>();
    return (
      <Panel
        {...props({ checklist, saved })}
        qualification={qualify(lead, checklist, config, NOW)}
        onFrameworkChange={(id) => setChecklist((c) => ({ ...c, frameworkId: id }))}
        onAnswer={(id, a) => setChecklist((c) => setAnswer(c, id, { ...a, by: 'Sam', at: '2026-11-20T12:00:00Z' }))}
        onSave={(decision) => {
          onSave(decision);
          setSaved({ decision, at: '2026-11-20T12:05:00Z', syncState: 'saved_locally' });
        }}
      />
    );
  }

  it('goes from discovery answers to an SQL recommendation and an accepted decision', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    render(<Host onSave={onSave} />);
    // Before any answer: a demo request and priority 78 → SQL-ready, call now.
    expect(screen.getByText('SQL-ready: they asked to talk. Call now and confirm')).toBeTruthy();

    // Call mode: first question is about budget ("Is there money set aside…").
    const first = screen.getAllByRole('listitem').find((li) => li.classList.contains('lq-question'))!;
    expect(first.textContent).toContain('Is there money set aside for solving this');
    await user.click(within(first).getByRole('button', { name: 'Asked' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Mark as' }), 'Confirmed');
    await user.type(screen.getByRole('textbox', { name: 'Answer' }), '40k approved for Q1{Enter}');
    expect((screen.getByRole('textbox', { name: 'Budget evidence' }) as HTMLTextAreaElement).value).toBe('40k approved for Q1');
    expect(progressText()).toBe('1 of 4 BANT confirmed');

    for (const criterion of ['Authority', 'Need', 'Timeline']) {
      await user.click(within(screen.getByRole('radiogroup', { name: criterion })).getByRole('radio', { name: 'Confirmed' }));
    }
    expect(progressText()).toBe('4 of 4 BANT confirmed');
    expect(screen.getByText('SQL: 4 of 4 BANT confirmed')).toBeTruthy();
    expect(screen.getByRole('meter', { name: 'Lead score' }).getAttribute('aria-valuenow')).toBe('63'); // answers do not change the score

    await user.click(screen.getByRole('button', { name: 'Accept as SQL' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Next step' }), 'Demo');
    await user.type(screen.getByLabelText('Next step date'), '2026-11-24');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(onSave).toHaveBeenCalledWith({ outcome: 'accept', stage: 'sql', nextStepId: 'demo', nextStepOn: '2026-11-24', note: '' });
    expect(screen.getByText('Accepted as SQL')).toBeTruthy();
    expect(screen.getByText('Next step: Demo on 24 Nov 2026')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Saved on this device');
  });

  it('starts afresh for another lead', async () => {
    const user = userEvent.setup();
    const other = leadProfileSchema.parse({ ...leadInput, recordId: '00Q5e00000ZzYyXEAV', name: 'Ben Ortiz' });
    const { rerender } = render(<Panel {...props()} />);
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'For Ada only');
    rerender(<Panel {...props({ lead: other, checklist: emptyChecklist('bant') })} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Ben Ortiz');
    expect(screen.queryByRole('textbox', { name: 'Note' })).toBeNull();
    expect((screen.getByRole('textbox', { name: 'Budget evidence' }) as HTMLTextAreaElement).value).toBe('');
  });
});

describe('Panel: keyboard', () => {
  it('links to each section and moves focus there', async () => {
    const user = userEvent.setup();
    render(<Panel {...props()} />);
    const nav = within(screen.getByRole('navigation', { name: 'Panel sections' }));
    expect(nav.getAllByRole('link').map((a) => a.textContent)).toEqual(['Recommendation', 'Decision', 'Next questions', 'Checklist', 'Lead score']);
    await user.click(nav.getByRole('link', { name: 'Checklist' }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Checklist' }));
  });

  it('reaches the decision buttons and every form control with Tab', async () => {
    const user = userEvent.setup();
    render(<Panel {...props()} />);
    const reached = new Set<Element>();
    for (let i = 0; i < 80; i++) {
      await user.tab();
      if (document.activeElement) reached.add(document.activeElement);
    }
    for (const name of ['Accept as SQL', 'Reject', 'Recycle to nurture']) expect(reached.has(screen.getByRole('button', { name }))).toBe(true);
    expect(reached.has(screen.getByRole('combobox', { name: 'Framework' }))).toBe(true);
    expect(reached.has(screen.getByRole('textbox', { name: 'Timeline evidence' }))).toBe(true);
    expect(screen.getAllByRole('button', { name: 'Asked' }).every((b) => reached.has(b))).toBe(true);
  });
});

describe('Panel: on a call (issue 17 parts 5 and 6)', () => {
  const callActions = () => ({ onStart: vi.fn(), onAddLine: vi.fn(), onRemoveLine: vi.fn(), onPending: vi.fn(), onEnd: vi.fn(), onDiscard: vi.fn() });
  const regions = () => screen.getAllByRole('region').map((r) => r.getAttribute('aria-labelledby') && document.getElementById(r.getAttribute('aria-labelledby')!)!.textContent);
  const onCall = { draft: { callId: 'c1', startedAt: '2026-11-20T11:59:00Z', lines: [], pending: '' }, logged: [], attempts: 0 };

  it('puts the call, the questions and the checklist first during a call, compact; the rest follows', () => {
    const { rerender } = render(<Panel {...props({ call: { draft: null, logged: [], attempts: 0 }, callActions: callActions() })} />);
    expect(regions()).toEqual(['Recommendation', 'Call', 'Decision', 'Next questions', 'Checklist', 'Lead score']);
    expect(screen.getByRole('navigation', { name: 'Panel sections' })).toBeTruthy();
    rerender(<Panel {...props({ call: onCall, callActions: callActions() })} />);
    expect(regions()).toEqual(['Recommendation', 'On call', 'Next questions', 'Checklist', 'Decision', 'Lead score']);
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.getByRole('complementary').className).toContain('lq-panel--on-call');
    // Compact: answer boxes, the checklist's grid (no evidence boxes), the header without its labels' lines.
    expect(screen.getAllByRole('textbox', { name: /^Answer to: / })).toHaveLength(3);
    expect(screen.queryByRole('textbox', { name: 'Budget evidence' })).toBeNull();
    expect(screen.getByRole('radiogroup', { name: 'Budget' })).toBeTruthy();
    expect(document.querySelector('.lq-header--compact')).toBeTruthy();
  });

  it('an answer box on a call becomes a call note tied to the question’s criterion', async () => {
    const user = userEvent.setup();
    const actions = callActions();
    const onAsked = vi.fn();
    render(<Panel {...props({ call: onCall, callActions: actions, onAsked })} />);
    await user.type(screen.getByRole('textbox', { name: 'Answer to: Who has the final say on spend of this size?' }), 'The COO{Enter}');
    expect(actions.onAddLine).toHaveBeenCalledWith('c1', 'The COO', 'authority');
    expect(onAsked).toHaveBeenCalledWith('dm_signoff');
  });

  it('tells the host while the rep is deciding, and starts a rejection’s attempts from the calls logged', async () => {
    const user = userEvent.setup();
    const onDecidingChange = vi.fn();
    render(<Panel {...props({ call: { draft: null, logged: [], attempts: 2 }, callActions: callActions(), onDecidingChange })} />);
    expect(onDecidingChange).toHaveBeenLastCalledWith(false);
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    expect(onDecidingChange).toHaveBeenLastCalledWith(true);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Reason code' }), 'unresponsive');
    expect((screen.getByRole('spinbutton', { name: 'Contact attempts' }) as HTMLInputElement).value).toBe('2');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onDecidingChange).toHaveBeenLastCalledWith(false);
  });

  it('is axe-clean on a call', async () => {
    const { container } = render(<Panel {...props({ call: onCall, callActions: callActions() })} />);
    expect(await axeViolations(container)).toEqual([]);
  });
});
