/** Test helpers for the panel's component tests: a fixed clock, a known lead, UTC dates. */
import { act, render, type RenderOptions } from '@testing-library/react';
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

/**
 * IntersectionObserver v2 as Chromium has it (happy-dom has neither v2 nor working observers): the test says
 * what the browser would report, for the controls' rows (`trackVisibility`) and the frame's sentinel (plain,
 * src/ui/panel/use-frame-visible.ts). `stub()` installs it; `vi.unstubAllGlobals()` takes it out.
 */
export class FakeIntersectionObserver {
  static all: FakeIntersectionObserver[] = [];
  readonly observed: Element[] = [];
  constructor(
    readonly callback: (entries: unknown[]) => void,
    readonly options: { threshold?: number | number[]; trackVisibility?: boolean; delay?: number } = {},
  ) {
    FakeIntersectionObserver.all.push(this);
  }
  observe(el: Element) {
    this.observed.push(el);
  }
  disconnect() {
    this.observed.length = 0;
  }
  unobserve() {}
  takeRecords() {
    return [];
  }

  static stub(stubGlobal: (name: string, value: unknown) => unknown) {
    FakeIntersectionObserver.all = [];
    stubGlobal('IntersectionObserver', FakeIntersectionObserver);
    // v2's entries have `isVisible` (what `tracksVisibility` looks for).
    stubGlobal(
      'IntersectionObserverEntry',
      class {
        get isVisible() {
          return false;
        }
      },
    );
  }
  /** The observers now watching a control's row (v2), or the frame's full-frame sentinel (plain). */
  static rows = () => FakeIntersectionObserver.all.filter((o) => o.options.trackVisibility && o.observed.length > 0);
  static frames = () => FakeIntersectionObserver.all.filter((o) => !o.options.trackVisibility && o.observed.length > 0);
  /** The browser reports each watched row: fully in view and uncovered (`isVisible`), or not. */
  static reportRow(isVisible: boolean, intersectionRatio = 1) {
    for (const o of FakeIntersectionObserver.rows()) act(() => o.callback([{ isVisible, intersectionRatio, target: o.observed[0] }]));
  }
  /** The browser reports how much of the frame (its sentinel) is on screen and unclipped. */
  static reportFrame(intersectionRatio: number) {
    for (const o of FakeIntersectionObserver.frames()) act(() => o.callback([{ intersectionRatio, target: o.observed[0] }]));
  }
  /** Row and frame both fully in view. */
  static reportVisible() {
    FakeIntersectionObserver.reportFrame(1);
    FakeIntersectionObserver.reportRow(true);
  }
}
