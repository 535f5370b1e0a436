import { describe, expect, it } from 'vitest';
import type { SlaConfig } from './config';
import { defaultConfig } from './defaults';
import { dispositionDeadline, formatDuration, speedToLead } from './sla';

// Cases sla.test.ts leaves open: the 5-minute window's edges, completed timers' numbers, a met
// disposition, non-default windows, and formatDuration's rounding. Expected values are by hand.

const sla = defaultConfig().sla;
const MQL = '2026-11-20T09:00:00.000Z';
const T0 = Date.parse(MQL);
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

describe('speed-to-lead for a contact request (5 minutes, due soon at 75 s left)', () => {
  const at = (ms: number) => speedToLead({ mqlAt: MQL, contactRequested: true }, sla, T0 + ms)!;

  it.each([
    [0, 'on_track'],
    [3 * MIN + 45 * SEC - 1, 'on_track'], // 75 s + 1 ms left
    [3 * MIN + 45 * SEC, 'due_soon'], // exactly a quarter of 5 min left
    [5 * MIN - 1, 'due_soon'],
    [5 * MIN, 'due_soon'], // at the deadline: on time
    [5 * MIN + 1, 'breached'],
  ] as const)('%i ms after the MQL → %s', (ms, state) => {
    expect(at(ms).state).toBe(state);
  });

  it('reports the running numbers exactly', () => {
    expect(at(2 * MIN)).toEqual({
      kind: 'speed_to_lead',
      state: 'on_track',
      startedAt: MQL,
      deadline: '2026-11-20T09:05:00.000Z',
      windowMs: 5 * MIN,
      elapsedMs: 2 * MIN,
      remainingMs: 3 * MIN,
    });
  });
});

describe('completed timers', () => {
  it('freeze at the stop time whatever the clock says, with remaining time left over', () => {
    const t = speedToLead({ mqlAt: MQL, firstContactAt: '2026-11-20T10:00:00.000Z', contactRequested: false }, sla, T0 + 50 * HOUR)!;
    expect(t).toEqual({
      kind: 'speed_to_lead',
      state: 'on_track',
      startedAt: MQL,
      deadline: '2026-11-20T13:00:00.000Z',
      windowMs: 4 * HOUR,
      elapsedMs: 1 * HOUR,
      remainingMs: 3 * HOUR,
      completedAt: '2026-11-20T10:00:00.000Z',
      met: true,
    });
  });

  it('missed by one millisecond: breached with negative remaining time', () => {
    const t = speedToLead({ mqlAt: MQL, firstContactAt: '2026-11-20T13:00:00.001Z', contactRequested: false }, sla, T0)!;
    expect(t).toMatchObject({ state: 'breached', met: false, remainingMs: -1, elapsedMs: 4 * HOUR + 1 });
  });

  it('a disposition decided exactly at the deadline is met', () => {
    const t = dispositionDeadline({ firstContactAt: MQL, decidedAt: '2026-11-21T09:00:00.000Z' }, sla, T0 + 100 * HOUR)!;
    expect(t).toMatchObject({ kind: 'disposition', state: 'on_track', met: true, remainingMs: 0, elapsedMs: 24 * HOUR });
  });

  it('running timers carry neither completedAt nor met', () => {
    const t = dispositionDeadline({ firstContactAt: MQL }, sla, T0 + HOUR)!;
    expect(t.completedAt).toBeUndefined();
    expect(t.met).toBeUndefined();
  });

  it('a decision without a first contact has no disposition timer', () => {
    expect(dispositionDeadline({ decidedAt: MQL }, sla, T0)).toBeUndefined();
  });
});

describe('configured windows', () => {
  const custom: SlaConfig = { contactRequestMinutes: 15, mqlMinutes: 60, dispositionHours: 2, dueSoonShare: 0.5 };

  it('uses the team’s minutes, hours and due-soon share, not the defaults', () => {
    expect(speedToLead({ mqlAt: MQL, contactRequested: true }, custom, T0)!.deadline).toBe('2026-11-20T09:15:00.000Z');
    expect(speedToLead({ mqlAt: MQL, contactRequested: false }, custom, T0)!.deadline).toBe('2026-11-20T10:00:00.000Z');
    expect(dispositionDeadline({ firstContactAt: MQL }, custom, T0)!.deadline).toBe('2026-11-20T11:00:00.000Z');
    // Half of 60 min left at 30 min in: due soon; 1 ms earlier: on track.
    expect(speedToLead({ mqlAt: MQL, contactRequested: false }, custom, T0 + 30 * MIN)!.state).toBe('due_soon');
    expect(speedToLead({ mqlAt: MQL, contactRequested: false }, custom, T0 + 30 * MIN - 1)!.state).toBe('on_track');
  });
});

describe('formatDuration rounding', () => {
  it.each([
    [999, '0 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [HOUR - 1, '59 min'],
    [HOUR + 59 * MIN + 59 * SEC, '1 h 59 min'],
    [24 * HOUR - 1, '23 h 59 min'],
    [-(2 * HOUR + 5 * MIN), '2 h 5 min'],
    [3 * 24 * HOUR + 30 * MIN, '3 d'], // minutes are dropped once days show
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
