import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import {
  createRevision,
  outcomeLabel,
  snapshotLead,
  validateDecision,
  verifyChain,
  type Decision,
  type DispositionSnapshot,
  type Revision,
} from './dispositions';
import { emptyChecklist } from './frameworks';
import { leadProfileSchema } from './lead';
import { recommend } from './recommendation';
import { scoreLead } from './scoring';
import { icpFit, priorityOf } from './priority';

const config = defaultConfig();
const TODAY = '2026-11-20';
const validate = (input: unknown) => validateDecision(input, config, TODAY);
const errorsOf = (input: unknown) => {
  const r = validate(input);
  return r.ok ? [] : r.errors;
};

describe('decision validation', () => {
  describe('reject', () => {
    it('requires a reason code and a note, naming both fields', () => {
      expect(errorsOf({ outcome: 'reject' })).toEqual([
        { path: 'reasonCode', message: 'Choose a reason code.' },
        { path: 'note', message: 'Add a note: what did the prospect say?' },
      ]);
    });

    it('accepts a reason with a note', () => {
      const r = validate({ outcome: 'reject', reasonCode: 'bad_timing', note: 'Budget freeze until April.' });
      expect(r).toEqual({ ok: true, value: { outcome: 'reject', reasonCode: 'bad_timing', note: 'Budget freeze until April.' } });
    });

    it('treats a whitespace-only note as missing', () => {
      expect(errorsOf({ outcome: 'reject', reasonCode: 'no_budget', note: '   \n' })).toEqual([{ path: 'note', message: 'Add a note: what did the prospect say?' }]);
    });

    it('wants a longer note for "other"', () => {
      expect(errorsOf({ outcome: 'reject', reasonCode: 'other', note: 'Weird one.' })).toEqual([
        { path: 'note', message: '“Other” needs a note of at least 30 characters (now 10).' },
      ]);
      expect(errorsOf({ outcome: 'reject', reasonCode: 'other', note: 'Acquired by a company we already serve.' })).toEqual([]);
    });

    it('rejects unknown and retired reason codes', () => {
      expect(errorsOf({ outcome: 'reject', reasonCode: 'meh', note: 'x' })).toEqual([{ path: 'reasonCode', message: '“meh” is not an active reason code.' }]);
      const retired = { ...config, reasonCodes: config.reasonCodes.map((r) => (r.code === 'duplicate' ? { ...r, retired: true } : r)) };
      expect(validateDecision({ outcome: 'reject', reasonCode: 'duplicate', note: 'x' }, retired, TODAY).ok).toBe(false);
    });

    it('asks for the contact attempts "unresponsive" needs', () => {
      expect(errorsOf({ outcome: 'reject', reasonCode: 'unresponsive', note: 'Voicemail twice.', attempts: 2 })).toEqual([
        { path: 'attempts', message: '“Unresponsive” needs at least 3 contact attempts (logged: 2).' },
      ]);
      expect(errorsOf({ outcome: 'reject', reasonCode: 'unresponsive', note: 'Three calls, two emails.', attempts: 5 })).toEqual([]);
    });

    it('checks a sub-reason against the reason’s list', () => {
      const withSubs = { ...config, reasonCodes: config.reasonCodes.map((r) => (r.code === 'not_icp' ? { ...r, subReasons: ['Too small', 'Wrong industry'] } : r)) };
      const check = (subReason: string) => validateDecision({ outcome: 'reject', reasonCode: 'not_icp', subReason, note: 'x' }, withSubs, TODAY);
      expect(check('Too small').ok).toBe(true);
      expect(check('Too big')).toEqual({ ok: false, errors: [{ path: 'subReason', message: '“Too big” is not a sub-reason of “Not ICP fit”.' }] });
    });

    it('bounds a huge note with a clear message and the exact sizes', () => {
      const note = 'x'.repeat(100_000);
      expect(errorsOf({ outcome: 'reject', reasonCode: 'no_need', note })).toEqual([
        { path: 'note', message: 'The note has 100,000 characters; the limit is 10,000. Shorten it: your text is kept.' },
      ]);
      expect(errorsOf({ outcome: 'reject', reasonCode: 'no_need', note: 'y'.repeat(10_000) })).toEqual([]);
    });
  });

  describe('accept', () => {
    it('requires a next step and its date, today or later', () => {
      expect(errorsOf({ outcome: 'accept' })).toEqual([
        { path: 'nextStepId', message: 'Choose the next step.' },
        { path: 'nextStepOn', message: 'Pick the date of the next step.' },
      ]);
      expect(errorsOf({ outcome: 'accept', nextStepId: 'demo', nextStepOn: TODAY })).toEqual([]);
      expect(errorsOf({ outcome: 'accept', nextStepId: 'demo', nextStepOn: '2026-11-19' })).toEqual([
        { path: 'nextStepOn', message: 'The next step must be today or later.' },
      ]);
      expect(errorsOf({ outcome: 'accept', nextStepId: 'demo', nextStepOn: '2028-01-01' })).toEqual([{ path: 'nextStepOn', message: 'The next step must be within a year.' }]);
    });

    it('rejects a next step the team does not use, and an impossible date', () => {
      expect(errorsOf({ outcome: 'accept', nextStepId: 'lunch', nextStepOn: TODAY })[0]!.path).toBe('nextStepId');
      expect(errorsOf({ outcome: 'accept', nextStepId: 'demo', nextStepOn: '2026-02-30' })[0]!.path).toBe('nextStepOn');
    });

    it('defaults to the SQL stage', () => {
      const r = validate({ outcome: 'accept', nextStepId: 'demo', nextStepOn: TODAY });
      expect(r.ok && r.value.outcome === 'accept' && r.value.stage).toBe('sql');
    });
  });

  describe('recycle', () => {
    it('needs a re-check date after today, or a trigger', () => {
      expect(errorsOf({ outcome: 'recycle' })).toEqual([{ path: 'recheckOn', message: 'Pick a re-check date or describe what should trigger a re-check.' }]);
      expect(errorsOf({ outcome: 'recycle', recheckOn: TODAY })).toEqual([{ path: 'recheckOn', message: 'The re-check date must be after today.' }]);
      expect(errorsOf({ outcome: 'recycle', recheckOn: '2026-11-21' })).toEqual([]);
      expect(errorsOf({ outcome: 'recycle', trigger: 'When their new fiscal year starts' })).toEqual([]);
    });
  });

  it('asks for an outcome when there is none or it is unknown', () => {
    expect(errorsOf({})).toEqual([{ path: 'outcome', message: 'Choose accept, reject or recycle.' }]);
    expect(errorsOf({ outcome: 'maybe' })).toEqual([{ path: 'outcome', message: 'Choose accept, reject or recycle.' }]);
    expect(errorsOf(null)).toEqual([{ path: 'outcome', message: 'Choose accept, reject or recycle.' }]);
  });

  it('labels outcomes for reports', () => {
    const d = validate({ outcome: 'reject', reasonCode: 'not_decision_maker', note: 'Intern.' });
    expect(d.ok && outcomeLabel(d.value, config)).toBe('Rejected: Not a decision-maker');
  });
});

describe('revisions: append-only, hash-chained', () => {
  const NOW = Date.parse('2026-11-20T12:00:00Z');
  const lead = leadProfileSchema.parse({ crm: 'salesforce', recordId: '00Q000000000001AAA', name: 'Ada Park', title: 'Director of IT', industry: 'Software' });
  const score = scoreLead(lead, config.scoring, NOW);
  const framework = config.frameworks[0]!;
  const checklist = emptyChecklist('bant');
  const snapshot: DispositionSnapshot = {
    lead: snapshotLead(lead),
    score,
    checklist,
    recommendation: recommend({
      framework,
      checklist,
      score,
      priority: priorityOf(score.total, icpFit(lead, config.scoring, config.icpOverride), config.icpOverride),
      knockouts: [],
      salesRequest: false,
      config,
      now: NOW,
    }),
    framework: { id: framework.id, version: framework.version, label: framework.label },
  };
  const reject: Decision = { outcome: 'reject', reasonCode: 'bad_timing', note: 'Call back in Q2.' };
  const recycle: Decision = { outcome: 'recycle', recheckOn: '2027-03-01', trigger: '', note: 'Re-check after budget cycle.' };
  const author = { id: 'rep-1', name: 'Sam Rep' };

  function chain(): Revision[] {
    const r1 = createRevision(undefined, { dispositionId: 'd1', decision: reject, snapshot, author, at: '2026-11-20T12:00:00Z' });
    const r2 = createRevision(r1, { dispositionId: 'd1', decision: recycle, snapshot, author: { id: 'mgr-1', name: 'Max Manager' }, at: '2026-11-21T09:00:00Z' });
    return [r1, r2];
  }

  it('numbers revisions and links each to the previous hash', () => {
    const [r1, r2] = chain();
    expect(r1!.rev).toBe(1);
    expect(r1!.prevHash).toBeNull();
    expect(r1!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r2!.rev).toBe(2);
    expect(r2!.prevHash).toBe(r1!.hash);
    expect(verifyChain(chain())).toEqual({ ok: true });
  });

  it('freezes the lead as it was, not as a later read shows it', () => {
    const [r1] = chain();
    expect(r1!.snapshot.lead).toMatchObject({ name: 'Ada Park', title: 'Director of IT' });
    expect(r1!.snapshot.score.total).toBe(score.total);
  });

  it('hashes the same content the same way whatever the key order', () => {
    const [r1] = chain();
    const reordered = Object.fromEntries(Object.entries(r1!).reverse()) as unknown as Revision;
    expect(verifyChain([reordered])).toEqual({ ok: true });
  });

  it('detects an edited note in an earlier revision', () => {
    const revs = chain();
    (revs[0]!.decision as { note: string }).note = 'Not a fit.';
    expect(verifyChain(revs)).toEqual({ ok: false, rev: 1, problem: 'content changed after it was saved' });
  });

  it('detects an edited snapshot (score changed after the fact)', () => {
    const revs = chain();
    revs[1]!.snapshot = { ...revs[1]!.snapshot, score: { ...revs[1]!.snapshot.score, total: 99 } };
    expect(verifyChain(revs)).toEqual({ ok: false, rev: 2, problem: 'content changed after it was saved' });
  });

  it('detects a removed revision and a re-hashed forgery', () => {
    const [r1, r2] = chain();
    expect(verifyChain([r2!])).toEqual({ ok: false, rev: 2, problem: 'expected revision 1, found 2' });
    const forged = createRevision(undefined, { dispositionId: 'd1', decision: recycle, snapshot, author, at: '2026-11-20T12:00:00Z' });
    expect(verifyChain([forged, r2!])).toEqual({ ok: false, rev: 2, problem: 'does not link to the previous revision' });
    expect(verifyChain([r1!, { ...r2!, dispositionId: 'd2' }])).toEqual({ ok: false, rev: 2, problem: 'belongs to another disposition' });
  });

  it('refuses to chain onto another disposition', () => {
    const [r1] = chain();
    expect(() => createRevision(r1, { dispositionId: 'other', decision: reject, snapshot, author, at: '2026-11-22T00:00:00Z' })).toThrow(/cannot follow/);
  });
});
