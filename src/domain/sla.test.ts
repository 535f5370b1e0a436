import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { dispositionDeadline, formatDuration, speedToLead, speedToLeadStart } from './sla';

const sla = defaultConfig().sla; // 5 min contact requests, 240 min MQLs, 24 h disposition, due soon at 25 % left
const MQL = '2026-11-20T09:00:00.000Z';
const t = (iso: string) => Date.parse(iso);
const plus = (ms: number) => t(MQL) + ms;
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('speed-to-lead', () => {
  it('gives a contact request 5 minutes and other MQLs 4 hours', () => {
    expect(speedToLead({ mqlAt: MQL, contactRequested: true }, sla, t(MQL))!.deadline).toBe('2026-11-20T09:05:00.000Z');
    expect(speedToLead({ mqlAt: MQL, contactRequested: false }, sla, t(MQL))!.deadline).toBe('2026-11-20T13:00:00.000Z');
  });

  it('is on track, then due soon with a quarter of the window left, then breached after the deadline', () => {
    const at = (ms: number) => speedToLead({ mqlAt: MQL, contactRequested: false }, sla, plus(ms))!.state;
    expect(at(0)).toBe('on_track');
    expect(at(3 * HOUR - 1)).toBe('on_track'); // 60 min + 1 ms left: more than a quarter
    expect(at(3 * HOUR)).toBe('due_soon'); // exactly a quarter left
    expect(at(4 * HOUR - 1)).toBe('due_soon');
    expect(at(4 * HOUR)).toBe('due_soon'); // at the deadline: not breached yet
    expect(at(4 * HOUR + 1)).toBe('breached');
  });

  it('reports elapsed and remaining time, negative when over', () => {
    const late = speedToLead({ mqlAt: MQL, contactRequested: true }, sla, plus(7 * MIN))!;
    expect(late).toMatchObject({ kind: 'speed_to_lead', elapsedMs: 7 * MIN, remainingMs: -2 * MIN, windowMs: 5 * MIN, state: 'breached' });
  });

  it('stops at first contact: met on time, or breached when late', () => {
    const met = speedToLead({ mqlAt: MQL, firstContactAt: '2026-11-20T09:05:00.000Z', contactRequested: true }, sla, plus(10 * HOUR))!;
    expect(met).toMatchObject({ state: 'on_track', met: true, elapsedMs: 5 * MIN, completedAt: '2026-11-20T09:05:00.000Z' });
    const missed = speedToLead({ mqlAt: MQL, firstContactAt: '2026-11-20T09:05:00.001Z', contactRequested: true }, sla, plus(10 * HOUR))!;
    expect(missed).toMatchObject({ state: 'breached', met: false });
  });

  it('has no timer without an MQL date', () => {
    expect(speedToLead({ contactRequested: true }, sla, plus(0))).toBeUndefined();
  });
});

describe('speed-to-lead from the request (ADR 0018)', () => {
  const MQL_DAYS_AGO = '2026-11-17T09:00:00.000Z';
  const REQUEST = '2026-11-20T09:00:00.000Z';

  it('runs from a live request’s time, 5 minutes, however long ago the lead became an MQL', () => {
    const r = speedToLead({ mqlAt: MQL_DAYS_AGO, contactRequested: true, requestedAt: REQUEST }, sla, t(REQUEST) + MIN)!;
    expect(r).toMatchObject({ startedAt: REQUEST, deadline: '2026-11-20T09:05:00.000Z', state: 'on_track', remainingMs: 4 * MIN });
    expect(speedToLeadStart({ mqlAt: MQL_DAYS_AGO, contactRequested: true, requestedAt: REQUEST })).toEqual({ startedAt: REQUEST, contactRequested: true });
  });

  it('needs no MQL date for a request', () => {
    expect(speedToLead({ contactRequested: true, requestedAt: REQUEST }, sla, t(REQUEST))!.deadline).toBe('2026-11-20T09:05:00.000Z');
  });

  it('keeps the MQL clock (4 hours, already stopped) for a lead contacted before the request came in', () => {
    const r = speedToLead({ mqlAt: MQL_DAYS_AGO, firstContactAt: '2026-11-17T10:00:00.000Z', contactRequested: true, requestedAt: REQUEST }, sla, t(REQUEST))!;
    expect(r).toMatchObject({ startedAt: MQL_DAYS_AGO, windowMs: 4 * HOUR, met: true });
  });

  it('stops at the first contact after the request', () => {
    const r = speedToLead({ mqlAt: MQL_DAYS_AGO, firstContactAt: '2026-11-20T09:04:00.000Z', contactRequested: true, requestedAt: REQUEST }, sla, t(REQUEST) + HOUR)!;
    expect(r).toMatchObject({ startedAt: REQUEST, met: true, elapsedMs: 4 * MIN });
  });
});

describe('disposition deadline', () => {
  const contact = '2026-11-20T10:00:00.000Z';
  it('runs 24 hours from first contact', () => {
    const at = (ms: number) => dispositionDeadline({ firstContactAt: contact }, sla, t(contact) + ms)!;
    expect(at(0).deadline).toBe('2026-11-21T10:00:00.000Z');
    expect(at(18 * HOUR - 1).state).toBe('on_track');
    expect(at(18 * HOUR).state).toBe('due_soon');
    expect(at(24 * HOUR).state).toBe('due_soon');
    expect(at(24 * HOUR + 1).state).toBe('breached');
  });

  it('stops when the decision is taken', () => {
    const r = dispositionDeadline({ firstContactAt: contact, decidedAt: '2026-11-21T11:00:00.000Z' }, sla, t(contact) + 100 * HOUR)!;
    expect(r).toMatchObject({ state: 'breached', met: false, elapsedMs: 25 * HOUR });
  });

  it('has no timer before first contact', () => {
    expect(dispositionDeadline({}, sla, 0)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [4 * MIN, '4 min'],
    [-4 * MIN, '4 min'],
    [HOUR, '1 h'],
    [3 * HOUR + 20 * MIN, '3 h 20 min'],
    [24 * HOUR, '1 d'],
    [53 * HOUR, '2 d 5 h'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
