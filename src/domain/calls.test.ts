import { describe, expect, it } from 'vitest';
import { attemptsOf, callKey, CALL_OUTCOMES, criterionOfTag, durationSec, earliestContact, firstContactOf, formatCall, parseCallLine, withEvidence, type LoggedCall } from './calls';
import { findFramework } from './config';
import { defaultConfig } from './defaults';
import { emptyChecklist } from './frameworks';
import { qualify } from './qualify';
import { leadProfileSchema } from './lead';

const config = defaultConfig();
const bant = findFramework(config, 'bant')!.criteria;
const meddpicc = findFramework(config, 'meddpicc')!.criteria;

describe('parseCallLine', () => {
  it('ties a line to a criterion by id or label, in any case, and drops the tag', () => {
    expect(parseCallLine('#budget 40k set aside for Q2', bant)).toEqual({ text: '40k set aside for Q2', criterionId: 'budget' });
    expect(parseCallLine('#Budget 40k set aside', bant)).toEqual({ text: '40k set aside', criterionId: 'budget' });
    expect(parseCallLine('  #TIMELINE: live by March ', bant)).toEqual({ text: 'live by March', criterionId: 'timeline' });
    expect(parseCallLine('#economic_buyer The CFO signs', meddpicc)).toEqual({ text: 'The CFO signs', criterionId: 'economic_buyer' });
    expect(parseCallLine('#economic-buyer The CFO signs', meddpicc).criterionId).toBe('economic_buyer');
  });

  it('takes a unique prefix or a word of the label', () => {
    expect(parseCallLine('#auth Dana decides', bant)).toEqual({ text: 'Dana decides', criterionId: 'authority' });
    expect(parseCallLine('#buyer the CFO', meddpicc).criterionId).toBe('economic_buyer');
    expect(parseCallLine('#pain spreadsheets break weekly', meddpicc).criterionId).toBe('identify_pain');
    expect(parseCallLine('#t Q2', bant).criterionId).toBe('timeline');
  });

  it('keeps the text whole and reports a tag that names no criterion, or more than one', () => {
    expect(parseCallLine('#pricing they asked about seats', bant)).toEqual({ text: '#pricing they asked about seats', unknownTag: 'pricing' });
    // "decision criteria" and "decision process" both start with it
    expect(parseCallLine('#decision next week', meddpicc)).toEqual({ text: '#decision next week', unknownTag: 'decision' });
    expect(criterionOfTag('d', meddpicc)).toBeUndefined();
  });

  it('reads no tag in a line that does not start with one', () => {
    expect(parseCallLine('They have #budget for it', bant)).toEqual({ text: 'They have #budget for it' });
    expect(parseCallLine('# budget', bant)).toEqual({ text: '# budget' });
    expect(parseCallLine('#budget', bant)).toEqual({ text: '', criterionId: 'budget' });
    // Longer than any criterion id can be: plain text, not a tag.
    const long = `#${'x'.repeat(61)} words`;
    expect(parseCallLine(long, bant)).toEqual({ text: long });
  });
});

describe('withEvidence', () => {
  it('appends to the evidence and keeps the state, unknown included', () => {
    let c = withEvidence(emptyChecklist('bant'), 'budget', '40k set aside', 'Sam', '2026-11-20T12:00:00.000Z');
    expect(c.answers.budget).toEqual({ state: 'unknown', evidence: '40k set aside', by: 'Sam', at: '2026-11-20T12:00:00.000Z' });
    c = { ...c, answers: { ...c.answers, budget: { ...c.answers.budget!, state: 'partly' } } };
    c = withEvidence(c, 'budget', 'for Q2', 'Sam', '2026-11-20T12:01:00.000Z');
    expect(c.answers.budget).toMatchObject({ state: 'partly', evidence: '40k set aside\nfor Q2' });
  });
});

const call = (outcome: LoggedCall['outcome'], startedAt: string): Pick<LoggedCall, 'outcome' | 'startedAt'> => ({ outcome, startedAt });

describe('attempts and first contact', () => {
  it('counts every logged call as an attempt', () => {
    expect(attemptsOf([])).toBe(0);
    expect(attemptsOf(CALL_OUTCOMES.map((o, i) => call(o, `2026-11-2${i}T10:00:00.000Z`)))).toBe(5);
  });

  it('takes the earliest call that reached the lead’s line; a wrong number is no contact', () => {
    expect(firstContactOf([])).toBeUndefined();
    expect(firstContactOf([call('wrong_number', '2026-11-20T09:00:00.000Z')])).toBeUndefined();
    expect(firstContactOf([call('no_answer', '2026-11-20T11:00:00.000Z'), call('wrong_number', '2026-11-20T09:00:00.000Z'), call('voicemail', '2026-11-20T10:00:00.000Z')])).toBe('2026-11-20T10:00:00.000Z');
  });

  it('uses the earlier of the CRM’s first contact and the first logged call', () => {
    expect(earliestContact(undefined, undefined)).toBeUndefined();
    expect(earliestContact('2026-11-20T10:00:00.000Z', undefined)).toBe('2026-11-20T10:00:00.000Z');
    expect(earliestContact(undefined, '2026-11-20T10:00:00.000Z')).toBe('2026-11-20T10:00:00.000Z');
    expect(earliestContact('2026-11-20T10:00:00.000Z', '2026-11-20T09:00:00Z')).toBe('2026-11-20T09:00:00Z');
    expect(earliestContact('2026-11-20T08:00:00.000Z', '2026-11-20T09:00:00Z')).toBe('2026-11-20T08:00:00.000Z');
  });

  it('stops the speed-to-lead clock in qualify', () => {
    const lead = leadProfileSchema.parse({ crm: 'demo', recordId: 'L-1', mqlAt: '2026-11-20T08:00:00.000Z', activities: [] });
    const now = Date.parse('2026-11-20T14:00:00.000Z');
    const open = qualify(lead, emptyChecklist('bant'), config, now);
    expect(open.sla.speedToLead).toMatchObject({ state: 'breached' });
    expect(open.sla.speedToLead?.completedAt).toBeUndefined();
    const called = qualify(lead, emptyChecklist('bant'), config, now, { loggedFirstContactAt: '2026-11-20T09:00:00.000Z' });
    expect(called.sla.speedToLead).toMatchObject({ completedAt: '2026-11-20T09:00:00.000Z', met: true });
    expect(called.sla.disposition).toMatchObject({ startedAt: '2026-11-20T09:00:00.000Z' });
  });
});

describe('the CRM record', () => {
  it('has a key of one alphanumeric token, the same for the same call', () => {
    expect(callKey('c1')).toMatch(/^lq[0-9a-f]{32}$/);
    expect(callKey('c1')).toBe(callKey('c1'));
    expect(callKey('c2')).not.toBe(callKey('c1'));
  });

  it('says outcome, duration, who, each line with its criterion, and the key', () => {
    const logged: LoggedCall = {
      callId: 'c1',
      outcome: 'connected',
      startedAt: '2026-11-20T12:00:00.000Z',
      endedAt: '2026-11-20T12:07:05.000Z',
      durationSec: durationSec('2026-11-20T12:00:00.000Z', '2026-11-20T12:07:05.000Z'),
      lines: [
        { id: 'l1', at: '2026-11-20T12:01:00.000Z', text: '40k set aside', criterionId: 'budget' },
        { id: 'l2', at: '2026-11-20T12:02:00.000Z', text: '#pricing seats', unknownTag: 'pricing' },
      ],
      note: 'Demo next week.',
      by: 'Sam Rep',
      byId: 'u1',
    };
    const { title, body } = formatCall(logged, (id) => (id === 'budget' ? 'Budget' : undefined));
    expect(logged.durationSec).toBe(425);
    expect(title).toBe(`Call: Connected (${callKey('c1')})`);
    expect(body).toContain('Call logged by Sam Rep: Connected, 7:05');
    expect(body).toContain('- [Budget] 40k set aside');
    expect(body).toContain('- #pricing seats');
    expect(body).toContain('Demo next week.');
    expect(body).toContain(callKey('c1'));
  });

  it('never counts a negative duration', () => {
    expect(durationSec('2026-11-20T12:00:00.000Z', '2026-11-20T11:59:00.000Z')).toBe(0);
  });
});
