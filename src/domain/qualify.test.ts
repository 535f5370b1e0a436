import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { emptyChecklist, setAnswer } from './frameworks';
import { DAY_MS, leadProfileSchema } from './lead';
import { qualify } from './qualify';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const config = defaultConfig();

describe('qualify: everything the panel shows, in one pass', () => {
  const lead = leadProfileSchema.parse({
    crm: 'salesforce',
    recordId: '00Q5e00000AbCdEEAV',
    name: 'Ada Park',
    title: 'Director of Operations',
    industry: 'Software',
    mqlAt: '2026-11-20T11:58:00Z',
    activities: [{ type: 'demo_request', at: '2026-11-20T11:58:00Z' }, { type: 'pricing_page_visit', at: new Date(NOW - 40 * DAY_MS).toISOString() }],
  });

  it('scores, recommends, orders questions and runs the speed-to-lead clock', () => {
    const q = qualify(lead, emptyChecklist('bant'), config, NOW);
    expect(q.score.total).toBe(15 + 10 + 30 + 8); // director, industry, demo, pricing decayed 15 → 8
    expect(q.salesRequest).toBe(true);
    expect(q.sla.speedToLead).toMatchObject({ state: 'on_track', deadline: '2026-11-20T12:03:00.000Z' });
    expect(q.recommendation.rule).toBe('sales_request_low_priority');
    expect(q.recommendation.nextAction).toEqual({ kind: 'call_now', label: 'Call now (speed-to-lead)', dueAt: '2026-11-20T12:03:00.000Z' });
    expect(q.progress.summary).toBe('0 of 4 BANT confirmed');
    expect(q.questions[0]!.openness).toBe('unknown');
  });

  it('follows the checklist: all of BANT confirmed makes an SQL', () => {
    let c = emptyChecklist('bant');
    for (const id of ['budget', 'authority', 'need', 'timeline']) c = setAnswer(c, id, { state: 'confirmed', evidence: '', by: 'rep', at: '2026-11-20T12:00:00Z' });
    expect(qualify(lead, c, config, NOW).recommendation.outcome).toBe('sql');
  });

  it('falls back to the default framework when the saved one no longer exists', () => {
    const q = qualify(lead, emptyChecklist('spin'), config, NOW);
    expect(q.framework.id).toBe('bant');
  });

  it('runs the speed-to-lead clock from the request, not from the MQL date (ADR 0018)', () => {
    // MQL three days ago, demo requested a minute ago: 4 minutes left, not days overdue.
    const fresh = leadProfileSchema.parse({ ...lead, mqlAt: '2026-11-17T12:00:00Z', activities: [{ type: 'demo_request', at: '2026-11-20T11:59:00Z' }] });
    const q = qualify(fresh, emptyChecklist('bant'), config, NOW);
    expect(q.sla.speedToLead).toMatchObject({ startedAt: '2026-11-20T11:59:00Z', deadline: '2026-11-20T12:04:00.000Z', state: 'on_track' });
    expect(q.recommendation.nextAction).toMatchObject({ kind: 'call_now', dueAt: '2026-11-20T12:04:00.000Z' });
    expect(q.request).toMatchObject({ type: 'demo_request', label: 'Requested a demo', live: true, ageMs: 60_000 });
  });

  it('treats a request older than the live window as an old signal: the MQL clock, no "call now"', () => {
    const old = leadProfileSchema.parse({ ...lead, mqlAt: '2026-10-01T12:00:00Z', activities: [{ type: 'demo_request', at: '2026-10-06T12:00:00Z' }] });
    const q = qualify(old, emptyChecklist('bant'), config, NOW);
    expect(q.salesRequest).toBe(false);
    expect(q.sla.speedToLead).toMatchObject({ startedAt: '2026-10-01T12:00:00Z', windowMs: 4 * 60 * 60_000, state: 'breached' });
    expect(q.recommendation.nextAction.kind).not.toBe('call_now');
    expect(q.recommendation.nextAction.dueAt).not.toBe(q.sla.speedToLead!.deadline);
  });

  it('carries the call-time guidance beside the recommendation, decision time once a decision is recorded', () => {
    expect(qualify(lead, emptyChecklist('bant'), config, NOW).call).toMatchObject({ phase: 'before_call', decidingValue: 63, adjustments: [] });
    const asked = qualify(lead, emptyChecklist('bant'), config, NOW, { askedQuestions: ['budget_set_aside'] });
    expect(asked.call.phase).toBe('on_call');
    expect(asked.call.criteria[0]).toEqual({ id: 'budget', label: 'Budget', status: 'asked' });
    expect(qualify(lead, emptyChecklist('bant'), config, NOW, { decidedAt: '2026-11-20T12:00:00Z' }).call.phase).toBe('decision');
  });

  it('starts the disposition deadline at first contact', () => {
    const contacted = { ...lead, firstContactAt: '2026-11-20T11:59:00Z' };
    const q = qualify(contacted, emptyChecklist('bant'), config, NOW);
    expect(q.sla.speedToLead).toMatchObject({ met: true });
    expect(q.sla.disposition).toMatchObject({ state: 'on_track', deadline: '2026-11-21T11:59:00.000Z' });
    expect(q.recommendation.nextAction.dueAt).toBeUndefined();
  });
});
