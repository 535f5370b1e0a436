// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Decision } from '../../domain/dispositions';
import { decisionHeadline, SavedDecision, syncText } from './SavedDecision';
import { config, renderUtc } from './testing';

afterEach(cleanup);

const AT = '2026-11-20T10:02:00Z';
const reject: Decision = { outcome: 'reject', reasonCode: 'not_icp', note: 'Only 8 people; no ops team' };
const accept: Decision = { outcome: 'accept', stage: 'sql', nextStepId: 'technical_review', nextStepOn: '2026-11-25', note: '' };
const recycle: Decision = { outcome: 'recycle', recheckOn: '2026-12-20', trigger: 'New budget year', note: '' };

const details = () => [...document.querySelectorAll('.lq-saved__details li')].map((li) => li.textContent);

describe('SavedDecision', () => {
  it('another rep’s decision from the CRM: who decided, and that changing it adds a revision after theirs', () => {
    renderUtc(<SavedDecision saved={{ decision: reject, at: AT, syncState: 'synced', by: 'Ana Souza', source: 'team' }} config={config} onRevise={() => undefined} />);
    expect(screen.getByText('Decided by Ana Souza, 20 Nov 10:02')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('In the CRM: decided in another browser. Change it to add a new revision after theirs.');
    expect(screen.getByRole('button', { name: 'Change decision' })).toBeTruthy();
  });

  it('shows a rejection as "Rejected — <reason>", when, the note, and the sync state', () => {
    renderUtc(<SavedDecision saved={{ decision: reject, at: AT, syncState: 'saved_locally' }} config={config} />);
    expect(screen.getByText('Rejected — Not ICP fit')).toBeTruthy();
    expect(screen.getByText('Decided 20 Nov 10:02').getAttribute('datetime')).toBe(AT);
    expect(details()).toEqual(['Note: \u2068Only 8 people; no ops team\u2069']);
    expect(screen.getByRole('status').textContent).toBe('Saved on this device');
  });

  it('shows an acceptance with its next step and date', () => {
    renderUtc(<SavedDecision saved={{ decision: accept, at: AT, syncState: 'synced' }} config={config} />);
    expect(screen.getByText('Accepted as SQL')).toBeTruthy();
    expect(details()).toEqual(['Next step: Technical review on 25 Nov 2026']);
    expect(screen.getByRole('status').textContent).toBe('Synced to CRM');
  });

  it('shows a recycle with its re-check date and trigger', () => {
    renderUtc(<SavedDecision saved={{ decision: recycle, at: AT, syncState: 'needs_attention', syncMessage: 'The CRM session expired: sign in again' }} config={config} />);
    expect(screen.getByText('Recycled to nurture')).toBeTruthy();
    expect(details()).toEqual(['Re-check on 20 Dec 2026', 'Re-check when: New budget year']);
    expect(screen.getByRole('status').textContent).toBe('Needs attention: The CRM session expired: sign in again');
  });

  it('shows sub-reason and attempts when recorded', () => {
    const unresponsive: Decision = { outcome: 'reject', reasonCode: 'unresponsive', subReason: 'Voicemail only', attempts: 4, note: 'Called 4 times' };
    renderUtc(<SavedDecision saved={{ decision: unresponsive, at: AT, syncState: 'synced' }} config={config} />);
    expect(screen.getByText('Rejected — Unresponsive')).toBeTruthy();
    expect(details()).toEqual(['Sub-reason: Voicemail only', 'Contact attempts: 4', 'Note: \u2068Called 4 times\u2069']);
  });

  it('offers "Change decision" when the host allows a revision', async () => {
    const onRevise = vi.fn();
    const { rerender } = renderUtc(<SavedDecision saved={{ decision: reject, at: AT, syncState: 'synced' }} config={config} />);
    expect(screen.queryByRole('button', { name: 'Change decision' })).toBeNull();
    rerender(<SavedDecision saved={{ decision: reject, at: AT, syncState: 'synced' }} config={config} onRevise={onRevise} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Change decision' }));
    expect(onRevise).toHaveBeenCalledOnce();
  });

  it('names texts exactly', () => {
    expect(decisionHeadline({ ...reject, reasonCode: 'retired_code' }, config)).toBe('Rejected — retired_code');
    expect(decisionHeadline({ ...accept, stage: 'sal' }, config)).toBe('Accepted as SAL');
    expect(syncText('needs_attention')).toBe('Needs attention: the CRM did not accept the update');
    expect(syncText('needs_attention', 'Field "Status" is read-only')).toBe('Needs attention: Field "Status" is read-only');
  });
});
