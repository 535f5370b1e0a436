// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { leadProfileSchema } from '../../domain/lead';
import { scoreLead } from '../../domain/scoring';
import { ScoreBreakdown, sourceLabel } from './ScoreBreakdown';
import { config, lead, leadInput, NOW, renderUtc } from './testing';

afterEach(cleanup);

const lineTexts = (name: RegExp) =>
  within(screen.getByRole('list', { name }))
    .getAllByRole('listitem')
    .map((li) => li.textContent);

describe('ScoreBreakdown', () => {
  it('exposes the total as a meter named "Lead score", 0 to 100', () => {
    renderUtc(<ScoreBreakdown score={scoreLead(lead, config.scoring, NOW)} />);
    const meter = screen.getByRole('meter', { name: 'Lead score' });
    expect(meter.getAttribute('aria-valuenow')).toBe('63');
    expect(meter.getAttribute('aria-valuemin')).toBe('0');
    expect(meter.getAttribute('aria-valuemax')).toBe('100');
    expect(meter.getAttribute('aria-valuetext')).toBe('63 of 100');
  });

  it('shows fit and engagement subtotals against their maximum', () => {
    const { container } = renderUtc(<ScoreBreakdown score={scoreLead(lead, config.scoring, NOW)} />);
    const subtotals = [...container.querySelectorAll('.lq-subtotals > div')].map((d) => d.textContent);
    expect(subtotals).toEqual(['Fit35 of 50', 'Engagement28 of 50']);
  });

  it('lists every point with signed points, rule, source, detail and date', () => {
    renderUtc(<ScoreBreakdown score={scoreLead(lead, config.scoring, NOW)} />);
    expect(lineTexts(/^Fit/)).toEqual([
      '+15 Director title Title: Director of Operations · 20 Nov',
      '+10 Ideal industry Industry: Software · 20 Nov',
      '+10 Company size in ICP Company size: 200 employees · 20 Nov',
    ]);
    expect(lineTexts(/^Engagement/)).toEqual([
      '+30 Requested a demo Activity: demo request · 20 Nov',
      '+15 Visited the pricing page Activity: pricing page visit: /pricing · 11 Oct',
      '\u22127 Decay: visited the pricing page 40 days ago Decay Activity: pricing page visit: older than 30 days · 11 Oct',
      '\u221210 Unsubscribed from email Negative Activity: unsubscribe · 18 Nov',
    ]);
  });

  it('marks decay and negative lines in text and in style, not by colour alone', () => {
    renderUtc(<ScoreBreakdown score={scoreLead(lead, config.scoring, NOW)} />);
    const decay = screen.getByText('Decay: visited the pricing page 40 days ago').closest('li')!;
    expect(within(decay).getByText('Decay')).toBeTruthy();
    expect(decay.className).toContain('lq-line--decay');
    const negative = screen.getByText('Unsubscribed from email').closest('li')!;
    expect(within(negative).getByText('Negative')).toBeTruthy();
    expect(negative.className).toContain('lq-line--negative');
    const positive = screen.getByText('Requested a demo').closest('li')!;
    expect(positive.className).toContain('lq-line--positive');
    expect(within(positive).queryByText(/^(Decay|Negative|Cap)$/)).toBeNull();
  });

  it('keeps activities no rule knows visible as "not scored"', () => {
    renderUtc(<ScoreBreakdown score={scoreLead(lead, config.scoring, NOW)} />);
    const item = screen.getByText('Activity: webinar registered: Q4 roadmap').closest('li')!;
    expect(item.textContent).toBe('\u2013Activity: webinar registered: Q4 roadmap not scored 19 Nov');
  });

  it('shows a cap line when a half goes over its maximum', () => {
    // Engagement: demo 30 + contact request 30 + pricing page 15 = 75, capped at 50 → −25. Fit: nothing known.
    const busy = leadProfileSchema.parse({
      crm: 'x',
      recordId: '1',
      activities: [
        { type: 'demo_request', at: '2026-11-20T09:00:00Z' },
        { type: 'contact_request', at: '2026-11-20T09:05:00Z' },
        { type: 'pricing_page_visit', at: '2026-11-19T09:00:00Z' },
      ],
    });
    renderUtc(<ScoreBreakdown score={scoreLead(busy, config.scoring, NOW)} />);
    expect(screen.getByRole('meter', { name: 'Lead score' }).getAttribute('aria-valuenow')).toBe('50');
    const cap = screen.getByText('Engagement is capped at 50').closest('li')!;
    expect(cap.textContent).toBe('\u221225 Engagement is capped at 50 Cap Engagement total: 75 before the cap · 20 Nov');
    expect(screen.getByText('No rule matched.')).toBeTruthy(); // the empty fit half says so
  });

  it('adds the year to dates outside the current one', () => {
    const old = leadProfileSchema.parse({ ...leadInput, activities: [{ type: 'newsletter_signup', at: '2025-06-02T10:00:00Z' }] });
    renderUtc(<ScoreBreakdown score={scoreLead(old, config.scoring, NOW)} />);
    // 536 days old: 17 started 30-day steps halve 3 points down to 0, so the decay line takes all 3.
    expect(screen.getByText('Signed up for the newsletter').closest('li')!.textContent).toContain('2 Jun 2025');
  });

  it('names sources in words', () => {
    expect(sourceLabel('companySize')).toBe('Company size');
    expect(sourceLabel('activity:case_study_download')).toBe('Activity: case study download');
    expect(sourceLabel('somethingNew')).toBe('somethingNew');
  });
});
