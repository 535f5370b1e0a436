/** Test helpers for the panel's component tests: a fixed clock, a known lead, UTC dates. */
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { defaultConfig } from '../../domain/defaults';
import { emptyChecklist, setAnswer, type Checklist } from '../../domain/frameworks';
import { leadProfileSchema, type LeadProfileInput } from '../../domain/lead';
import { FormatProvider } from './format';

/** 2026-11-20 12:00 UTC. */
export const NOW = Date.parse('2026-11-20T12:00:00Z');
export const TODAY = '2026-11-20';

export const config = defaultConfig();

/**
 * Scores, by hand (default config):
 * fit: director +15, industry Software +10, 200 employees +10 = 35;
 * engagement: demo +30, pricing page +15 decayed by −7 (40 days old: 15 × 0.5 = 7.5 → 8), unsubscribe −10 = 28;
 * total 63. The webinar registration has no rule: "not scored".
 */
export const leadInput: LeadProfileInput = {
  crm: 'salesforce',
  recordId: '00Q5e00000AbCdEEAV',
  name: 'Ada Park',
  company: 'Northwind Health',
  title: 'Director of Operations',
  industry: 'Software',
  companySize: 200,
  crmStatus: 'Working',
  mqlAt: '2026-11-20T11:58:00Z',
  activities: [
    { type: 'demo_request', at: '2026-11-20T11:58:00Z' },
    { type: 'pricing_page_visit', at: '2026-10-11T09:00:00Z', detail: '/pricing' },
    { type: 'unsubscribe', at: '2026-11-18T08:00:00Z' },
    { type: 'webinar_registered', at: '2026-11-19T15:00:00Z', detail: 'Q4 roadmap' },
  ],
};

export const lead = leadProfileSchema.parse(leadInput);

/** BANT with budget confirmed by Sam at 10:02 UTC. */
export const budgetConfirmed: Checklist = setAnswer(emptyChecklist('bant'), 'budget', {
  state: 'confirmed',
  evidence: 'Set aside 40k in Q1',
  by: 'Sam',
  at: '2026-11-20T10:02:00Z',
});

export function UtcDates({ children }: { children: ReactNode }) {
  return (
    <FormatProvider locale="en-GB" timeZone="UTC" now={NOW}>
      {children}
    </FormatProvider>
  );
}

/** Renders with dates in en-GB, UTC, and `NOW` as the clock. */
export function renderUtc(ui: ReactElement, options?: Omit<RenderOptions, 'wrapper'>) {
  return render(ui, { wrapper: UtcDates, ...options });
}
