// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { axeViolations } from '../../dashboard/testing';
import { TeamHistory, type TeamView } from './TeamHistory';
import { NOW, renderUtc } from './testing';

afterEach(cleanup);

const verified = { state: 'verified' as const, notes: [] };
const team: TeamView = {
  status: 'Unqualified',
  readAt: new Date(NOW - 30_000).toISOString(),
  entries: [
    { kind: 'decision', noteId: 'n1', dispositionId: 'd1', rev: 1, outcome: 'reject', label: 'Rejected: No budget', note: 'Frozen until June.', by: 'Ana Souza', at: '2026-11-18T09:00:00.000Z', trust: verified },
    { kind: 'decision', noteId: 'n2', dispositionId: 'd1', rev: 2, outcome: 'reject', label: 'Rejected: Bad timing', subReason: 'Renewal in June', note: 'Timing, not money.', by: 'Ben Okoro', at: '2026-11-19T09:00:00.000Z', trust: { state: 'unconfirmed', notes: ['demo does not say who created this note'] } },
    { kind: 'review', noteId: 'n3', dispositionId: 'd1', rev: 2, verdict: 'disagree', comment: 'Ask about budget owners.', label: 'Rejected: Bad timing', by: 'Maya Brandt', at: '2026-11-19T12:00:00.000Z', trust: verified },
    { kind: 'decision', noteId: 'n4', dispositionId: 'd9', rev: 1, outcome: 'accept', label: 'Accepted as SQL', note: '\u202Ereject - no budget', by: 'Alice Topseller', at: '2026-11-19T13:00:00.000Z', trust: { state: 'flagged', notes: ['signed by Alice Topseller (999), but demo says Ben Okoro (102) created the note'] } },
  ],
};

describe('TeamHistory', () => {
  it('lists the team’s decisions and reviews newest first, with who, when, notes and the CRM status', () => {
    renderUtc(<TeamHistory team={team} now={NOW} />);
    const region = screen.getByRole('region', { name: 'Team record' });
    expect(within(region).getByText('CRM status now: Unqualified · read from the CRM just now')).toBeTruthy();
    const items = within(region).getAllByRole('listitem').map((li) => li.getAttribute('data-kind'));
    expect(items).toEqual(['decision', 'review', 'decision', 'decision']);
    expect(within(region).getByText('Maya Brandt disagrees with “Rejected: Bad timing” — review, 19 Nov 12:00')).toBeTruthy();
    expect(within(region).getByText('Ask about budget owners.')).toBeTruthy();
    expect(within(region).getByText('Rejected: Bad timing — Ben Okoro, 19 Nov 09:00')).toBeTruthy();
    expect(within(region).getByText('Renewal in June')).toBeTruthy();
  });

  it('says what could not be confirmed, and flags what the CRM contradicts, as text', () => {
    renderUtc(<TeamHistory team={team} now={NOW} />);
    expect(screen.getByText('Not confirmed: demo does not say who created this note')).toBeTruthy();
    expect(screen.getByText('Flagged, not counted: signed by Alice Topseller (999), but demo says Ben Okoro (102) created the note')).toBeTruthy();
    // A bidi override in a note is shown, not obeyed.
    expect(document.body.textContent).toContain('[U+202E]reject - no budget');
  });

  it('offline: shows the last known history with its age and why it could not be refreshed', () => {
    renderUtc(<TeamHistory team={{ ...team, readAt: new Date(NOW - 3 * 3_600_000).toISOString(), problem: 'The demo CRM did not answer.' }} now={NOW} />);
    expect(screen.getByRole('status').textContent).toBe('Last known history, read 3 h ago. The demo CRM did not answer.');
    expect(screen.getAllByRole('listitem')).toHaveLength(4);
  });

  it('says so when nobody has decided yet, and is axe-clean', async () => {
    const { container } = renderUtc(<TeamHistory team={{ entries: [], readAt: new Date(NOW).toISOString() }} now={NOW} />);
    expect(screen.getByText('No decision on this lead in the CRM yet.')).toBeTruthy();
    expect(await axeViolations(container)).toEqual([]);
  });
});
