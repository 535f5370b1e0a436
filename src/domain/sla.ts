import type { SlaConfig } from './config';

/**
 * SLA timers between marketing and sales: speed-to-lead (MQL → first contact attempt) and the
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

function timer(kind: SlaTimer['kind'], startedAt: string, windowMs: number, completedAt: string | undefined, sla: SlaConfig, now: number): SlaTimer {
  const start = Date.parse(startedAt);
  const deadline = start + windowMs;
  const end = completedAt ? Date.parse(completedAt) : now;
  const base = { kind, startedAt, deadline: new Date(deadline).toISOString(), windowMs, elapsedMs: end - start, remainingMs: deadline - end };
  if (completedAt) {
    const met = end <= deadline;
    return { ...base, state: met ? 'on_track' : 'breached', completedAt, met };
  }
  const state: SlaState = now > deadline ? 'breached' : deadline - now <= sla.dueSoonShare * windowMs ? 'due_soon' : 'on_track';
  return { ...base, state };
}

/** 5 minutes when the lead asked to be contacted, 4 hours for other MQLs (defaults). */
export function speedToLead(
  input: { mqlAt?: string; firstContactAt?: string; contactRequested: boolean },
  sla: SlaConfig,
  now: number,
): SlaTimer | undefined {
  if (!input.mqlAt) return undefined;
  const minutes = input.contactRequested ? sla.contactRequestMinutes : sla.mqlMinutes;
  return timer('speed_to_lead', input.mqlAt, minutes * MINUTE, input.firstContactAt, sla, now);
}

/** Accept, reject or recycle within 24 hours of first contact (default). */
export function dispositionDeadline(input: { firstContactAt?: string; decidedAt?: string }, sla: SlaConfig, now: number): SlaTimer | undefined {
  if (!input.firstContactAt) return undefined;
  return timer('disposition', input.firstContactAt, sla.dispositionHours * 60 * MINUTE, input.decidedAt, sla, now);
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
