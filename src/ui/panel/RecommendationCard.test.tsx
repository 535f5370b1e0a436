// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyChecklist } from '../../domain/frameworks';
import { leadProfileSchema } from '../../domain/lead';
import { qualify } from '../../domain/qualify';
import type { Recommendation } from '../../domain/recommendation';
import { RecommendationCard } from './RecommendationCard';
import { budgetConfirmed, config, lead, leadInput, NOW, renderUtc } from './testing';

afterEach(cleanup);

const listUnder = (heading: string) =>
  [...screen.getByRole('heading', { name: heading }).nextElementSibling!.querySelectorAll('li')].map((li) => li.textContent);

describe('RecommendationCard', () => {
  it('on the call: budget confirmed keeps the demo request SQL-ready and says what to ask next (ADR 0018)', () => {
    // Score 63, strong ICP fit +15 → priority 78, demo requested 2 minutes ago; budget confirmed, nothing else asked.
    const q = qualify(lead, budgetConfirmed, config, NOW);
    renderUtc(<RecommendationCard recommendation={q.recommendation} reasonCodes={config.reasonCodes} call={q.call} />);
    const card = within(screen.getByRole('region', { name: 'Recommendation' }));
    expect(card.getByText('SQL').className).toContain('lq-badge--sql');
    expect(card.getByText('1 of 4 BANT confirmed — ask about Authority, Need and Timeline')).toBeTruthy();
    expect(listUnder('Why')).toEqual([
      'Direct sales request: requested a demo, 2 min ago',
      'Score 63 (fit 35, engagement 28)',
      'Strong ICP fit on industry and company size: +15 → priority 78',
      'Priority 78 reaches the SQL-ready 65',
    ]);
    expect(card.getByText(/^On the speed-to-lead call/).textContent).toBe('On the speed-to-lead call: confirm before any pitch (due 20 Nov 12:03)');
    expect(card.getByText(/^If you decide now/).textContent).toBe('If you decide now: nurture (Not ready: 3 of 4 BANT signals missing)');
    expect(screen.getByRole('region', { name: 'Recommendation' }).dataset.phase).toBe('on_call');
  });

  it('at decision time: outcome, headline, reasons told apart (not asked vs not confirmed) and a dated next action', () => {
    // Budget confirmed, three BANT signals not asked: more marketing development (the guides' rule after the call).
    const q = qualify(lead, budgetConfirmed, config, NOW, { phase: 'decision' });
    renderUtc(<RecommendationCard recommendation={q.recommendation} reasonCodes={config.reasonCodes} call={q.call} />);
    const card = within(screen.getByRole('region', { name: 'Recommendation' }));
    expect(card.getByText('Nurture').className).toContain('lq-badge--nurture');
    expect(card.getByText('Not ready: 3 of 4 BANT signals missing')).toBeTruthy();
    expect(listUnder('Why')).toEqual([
      '3 signals missing (Authority, Need, Timeline): more marketing development, not a closing pitch',
      'Not asked yet: Authority, Need, Timeline',
      '1 of 4 BANT confirmed',
      'Score 63 (fit 35, engagement 28)',
    ]);
    expect(screen.queryByRole('heading', { name: 'Cautions' })).toBeNull();
    expect(card.queryByText(/^If you decide now/)).toBeNull();
    // Due 30 days after 20 Nov 12:00 UTC.
    expect(card.getByText(/^Back to marketing nurture/).textContent).toBe('Back to marketing nurture; re-check in 30 days (due 20 Dec 12:00)');
  });

  it('says SQL when they asked to talk and the ICP-adjusted priority is high enough', () => {
    // Score 63 + 15 for a strong ICP fit = 78 ≥ 65, and a demo request: call now, within the 5-minute window.
    const q = qualify(lead, emptyChecklist('bant'), config, NOW);
    renderUtc(<RecommendationCard recommendation={q.recommendation} reasonCodes={config.reasonCodes} />);
    expect(screen.getByText('SQL').className).toContain('lq-badge--sql');
    expect(screen.getByText('SQL-ready: they asked to talk. Call now and confirm')).toBeTruthy();
    expect(screen.getByText(/^Call now/).textContent).toBe('Call now (speed-to-lead) (due 20 Nov 12:03)');
  });

  it('shows Disqualify with the suggested reason code for a knock-out', () => {
    const rival = leadProfileSchema.parse({ ...leadInput, email: 'ada@rivalcrm.example' });
    const q = qualify(rival, emptyChecklist('bant'), config, NOW);
    renderUtc(<RecommendationCard recommendation={q.recommendation} reasonCodes={config.reasonCodes} />);
    expect(screen.getByText('Disqualify').className).toContain('lq-badge--disqualify');
    expect(screen.getByText('Disqualify: works at a competitor')).toBeTruthy();
    expect(listUnder('Why')).toEqual(['Works at a competitor (email: rivalcrm.example)']);
    expect(screen.getByText('Suggested reason code: Competitor')).toBeTruthy();
    expect(screen.getByText('Reject with the suggested reason code').textContent).toBe('Reject with the suggested reason code');
  });

  it('lists cautions so the rep can overrule knowingly', () => {
    const r: Recommendation = {
      outcome: 'sql',
      rule: 'criteria_confirmed',
      headline: 'SQL: 4 of 4 BANT confirmed',
      reasons: ['4 of 4 BANT confirmed'],
      cautions: ['Priority 25 is below the SQL-ready 65; the conversation confirmed intent', 'Company is outside the ICP on company size'],
      nextAction: { kind: 'book_next_step', label: 'Accept as SQL and book the next step today' },
    };
    renderUtc(<RecommendationCard recommendation={r} reasonCodes={config.reasonCodes} />);
    expect(listUnder('Cautions')).toEqual(['Priority 25 is below the SQL-ready 65; the conversation confirmed intent', 'Company is outside the ICP on company size']);
    expect(screen.queryByText(/Suggested reason code/)).toBeNull();
  });

  it('compact: one line, outcome and next step, that opens to the whole card and closes again', async () => {
    const user = userEvent.setup();
    const q = qualify(lead, budgetConfirmed, config, NOW);
    renderUtc(<RecommendationCard recommendation={q.recommendation} reasonCodes={config.reasonCodes} call={q.call} compact toggleId="rec-toggle" />);
    const region = screen.getByRole('region', { name: 'Recommendation' });
    expect(region.dataset.outcome).toBe('sql');
    const line = screen.getByRole('button', { expanded: false });
    expect(line.id).toBe('rec-toggle');
    expect(line.textContent).toBe('SQL1 of 4 BANT confirmed — ask about Authority, Need and Timeline · On the speed-to-lead call: confirm before any pitch');
    expect(screen.queryByRole('heading', { name: 'Why' })).toBeNull();
    expect(screen.queryByText(/^If you decide now/)).toBeNull();
    await user.click(line);
    expect(line.getAttribute('aria-expanded')).toBe('true');
    expect(document.getElementById(line.getAttribute('aria-controls')!)!.hidden).toBe(false);
    expect(listUnder('Why')).toContain('Priority 78 reaches the SQL-ready 65');
    expect(screen.getByText(/^If you decide now/).textContent).toBe('If you decide now: nurture (Not ready: 3 of 4 BANT signals missing)');
    await user.keyboard('{Enter}');
    expect(line.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText(/^If you decide now/)).toBeNull();
  });
});
