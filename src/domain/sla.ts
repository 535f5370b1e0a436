import type { SlaConfig } from './config';

/**
 * SLA timers between marketing and sales: speed-to-lead (sales request or MQL → first contact attempt) and the
 * disposition deadline (first contact → accept/reject/recycle). Wall-clock time: business hours and
 * holidays are not modelled yet (ADR 6). Exactly at the deadline counts as on time.
 */

export type SlaState = 'on_track' | 'due_soon' | 'breached';

export interface SlaTimer {
  kind: 'speed_to_lead' | 'disposition';
  state: SlaState;
  startedAt: string;
  deadline: string;
  windowMs: number;
  elapsedMs: number;
  /** Negative once the deadline has passed. */
  remainingMs: number;
  /** Set when the clock was stopped (first contact made, decision taken). */
  completedAt?: string;
  /** Only for completed timers: stopped at or before the deadline. */
  met?: boolean;
}

const MINUTE = 60_000;

/**
 * The state alone, from epoch milliseconds: what KPIs over 100,000 rows need, without building timers.
 * `timer` uses it too, so the panel and the dashboard can never disagree.
 */
export function slaStateAt(start: number, windowMs: number, completedAt: number | undefined, dueSoonShare: number, now: number): SlaState {
  const deadline = start + windowMs;
  if (completedAt !== undefined) return completedAt <= deadline ? 'on_track' : 'breached';
  return now > deadline ? 'breached' : deadline - now <= dueSoonShare * windowMs ? 'due_soon' : 'on_track';
}

function timer(kind: SlaTimer['kind'], startedAt: string, windowMs: number, completedAt: string | undefined, sla: SlaConfig, now: number): SlaTimer {
  const start = Date.parse(startedAt);
  const deadline = start + windowMs;
  const end = completedAt ? Date.parse(completedAt) : now;
  const base = { kind, startedAt, deadline: new Date(deadline).toISOString(), windowMs, elapsedMs: end - start, remainingMs: deadline - end };
  const state = slaStateAt(start, windowMs, completedAt ? end : undefined, sla.dueSoonShare, now);
  return completedAt ? { ...base, state, completedAt, met: state === 'on_track' } : { ...base, state };
}

/** The speed-to-lead window in ms: 5 minutes when the lead asked to be contacted, 4 hours otherwise (defaults). */
export const speedToLeadWindowMs = (sla: SlaConfig, contactRequested: boolean) => (contactRequested ? sla.contactRequestMinutes : sla.mqlMinutes) * MINUTE;
/** The disposition window in ms: 24 hours from first contact (default). */
export const dispositionWindowMs = (sla: SlaConfig) => sla.dispositionHours * 60 * MINUTE;

export interface SpeedToLeadInput {
  mqlAt?: string;
  firstContactAt?: string;
  contactRequested: boolean;
  /**
   * When the live sales request (demo, contact) came in. Given, the clock runs from it, with the contact
   * request window: a demo requested a minute ago has 4 minutes left, whenever the lead became an MQL.
   * Left out, the clock runs from `mqlAt` (callers that only know `contactRequested`).
   */
  requestedAt?: string;
}

/**
 * Where the speed-to-lead clock starts, and with which window (ADR 0018): from a live sales request's time
 * with the contact-request window (5 minutes by default); otherwise from the MQL time with the MQL window
 * (4 hours). A lead a rep had already contacted before the request came in has no request clock: the MQL
 * clock (already stopped) stands.
 */
export function speedToLeadStart(input: SpeedToLeadInput): { startedAt: string; contactRequested: boolean } | undefined {
  const { requestedAt, firstContactAt, mqlAt } = input;
  if (requestedAt) {
    const contactedBefore = firstContactAt !== undefined && Date.parse(firstContactAt) < Date.parse(requestedAt);
    if (!contactedBefore) return { startedAt: requestedAt, contactRequested: true };
    return mqlAt ? { startedAt: mqlAt, contactRequested: false } : undefined;
  }
  return mqlAt ? { startedAt: mqlAt, contactRequested: input.contactRequested } : undefined;
}

/** 5 minutes from a contact request, 4 hours from the MQL time for other MQLs (defaults). */
export function speedToLead(input: SpeedToLeadInput, sla: SlaConfig, now: number): SlaTimer | undefined {
  const start = speedToLeadStart(input);
  if (!start) return undefined;
  return timer('speed_to_lead', start.startedAt, speedToLeadWindowMs(sla, start.contactRequested), input.firstContactAt, sla, now);
}

/** Accept, reject or recycle within 24 hours of first contact (default). */
export function dispositionDeadline(input: { firstContactAt?: string; decidedAt?: string }, sla: SlaConfig, now: number): SlaTimer | undefined {
  if (!input.firstContactAt) return undefined;
  return timer('disposition', input.firstContactAt, dispositionWindowMs(sla), input.decidedAt, sla, now);
}

/** Short English duration, absolute: "45 s", "4 min", "3 h 20 min", "2 d 5 h". The caller adds "left" or "over". */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
