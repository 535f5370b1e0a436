import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { createRevision, hashRevision, snapshotLead, type Revision } from './dispositions';
import { emptyChecklist, setAnswer } from './frameworks';
import { leadProfileSchema } from './lead';
import { formatDispositionNote, formatReviewNote, idempotencyKey, NOTE_MARKER, parseDispositionNote, parseTeamNote, reviewKey } from './note-format';
import { qualify } from './qualify';

const config = defaultConfig();
const AT = '2026-11-20T12:00:00.000Z';

function revision(decision: Revision['decision'], evidence = 'We set aside 40k for this.', name = 'Ada Park'): Revision {
  const lead = leadProfileSchema.parse({ crm: 'hubspot', recordId: '512', name, title: 'Director of IT', source: 'webinar', campaign: 'Q4' });
  const checklist = setAnswer(emptyChecklist('bant'), 'budget', { state: 'confirmed', evidence, by: 'Sam Rep', at: AT });
  const q = qualify(lead, checklist, config, Date.parse(AT));
  return createRevision(undefined, {
    dispositionId: 'd-1',
    decision,
    snapshot: { lead: snapshotLead(lead), score: q.score, checklist, recommendation: q.recommendation, framework: { id: 'bant', version: 1, label: 'BANT' }, configVersion: config.version },
    author: { id: '9001', name: 'Sam Rep', email: 'sam@example.com', crm: 'hubspot' },
    at: AT,
  });
}
const reject = { outcome: 'reject' as const, reasonCode: 'not_icp', subReason: undefined, note: 'Ten people, no IT team.', attempts: 2 };

describe('the note a disposition becomes in the CRM', () => {
  it('reads as a clean summary, with the data compact and out of the way at the end', () => {
    const r = revision(reject);
    const { subject, body } = formatDispositionNote(r, config, 65_536);
    expect(subject).toBe(`Lead qualification: Rejected: Not ICP fit (${idempotencyKey(r)})`);
    const lines = body.split('\n');
    expect(lines.slice(0, 4)).toEqual(['Lead qualification: Rejected: Not ICP fit', 'Decided by Sam Rep, 2026-11-20 12:00 UTC', 'Contact attempts: 2', 'Note: Ten people, no IT team.']);
    expect(body).toMatch(/\nScore \d+\/100 \(fit \d+, engagement \d+\); recommended: /);
    expect(body).toContain('BANT: Budget confirmed “We set aside 40k for this.”; Authority unknown');
    // No JSON in front of people: two last lines, a marker sentence and one word of data.
    expect(body).not.toMatch(/[{}"]/);
    expect(lines.at(-2)).toMatch(new RegExp(`^${NOTE_MARKER} v2 ${idempotencyKey(r)} · `));
    expect(lines.at(-1)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(lines.at(-3)).toBe('');
  });

  it('carries the whole revision: every field comes back, and its hash still checks', () => {
    const r = revision({ ...reject, reasonCode: 'no_budget', subReason: 'Budget frozen' } as Revision['decision']);
    const parsed = parseTeamNote(formatDispositionNote(r, config, 65_536, { objectType: 'contact', account: '4412' }).body);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.content.kind !== 'decision' || parsed.content.v !== 2) throw new Error('expected a v2 decision');
    expect(parsed.content.revision).toEqual(r);
    expect(hashRevision(parsed.content.revision)).toBe(r.hash);
    expect(parsed.content).toMatchObject({ key: idempotencyKey(r), record: { objectType: 'contact', account: '4412' }, labels: { outcome: expect.stringContaining('Rejected'), reason: expect.any(String) } });
  });

  it('keys are one alphanumeric token per revision, stable across retries', () => {
    const r = revision(reject);
    expect(idempotencyKey(r)).toMatch(/^lq[0-9a-f]{32}$/);
    expect(idempotencyKey(r)).toBe(idempotencyKey({ hash: r.hash }));
  });

  it('reads the last marker: a note that imitates the data line cannot replace it', () => {
    const fake = formatDispositionNote(revision({ ...reject, note: 'forged' }), config, 65_536).body.split('\n').slice(-2).join('\n');
    const r = revision({ ...reject, note: `Pasted:\n${fake}\nend` });
    const parsed = parseTeamNote(formatDispositionNote(r, config, 65_536).body);
    expect(parsed.ok && parsed.content.kind === 'decision' && parsed.content.v === 2 && parsed.content.revision.hash).toBe(r.hash);
  });

  it('fits the CRM’s limit: the readable part shortens first, then the revision (marked shortened)', () => {
    // Text that does not compress (repeated letters would: the payload is deflated).
    let seed = 7;
    const noise = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26))).join('');
    const long = noise(9_000);
    const r = revision({ ...reject, note: long }, noise(2_000));
    const full = formatDispositionNote(r, config, 65_536).body;
    const bounded = formatDispositionNote(r, config, full.length - 5_000).body;
    expect(bounded.length).toBeLessThanOrEqual(full.length - 5_000);
    const whole = parseTeamNote(bounded);
    expect(whole.ok && whole.content.kind === 'decision' && whole.content.v === 2 && whole.content.revision).toEqual(r);
    const tiny = formatDispositionNote(r, config, 2_000).body;
    expect(tiny.length).toBeLessThanOrEqual(2_000);
    const short = parseTeamNote(tiny);
    expect(short).toMatchObject({ ok: true, content: { shortened: true, key: idempotencyKey(r) } });
  });

  it('says why a note cannot be read', () => {
    expect(parseTeamNote('Called, left a voicemail.')).toEqual({ ok: false, reason: 'no structured block' });
    const body = formatDispositionNote(revision(reject), config, 65_536).body;
    const lines = body.split('\n');
    const data = lines.at(-1)!;
    expect(parseTeamNote([...lines.slice(0, -1), `${data.slice(0, 40)}Z${data.slice(41)}`].join('\n'))).toMatchObject({ ok: false });
    expect(parseTeamNote(lines.slice(0, -1).join('\n'))).toMatchObject({ ok: false, reason: expect.stringContaining('missing') });
    const otherKey = body.replace(/lqblock v2 lq[0-9a-f]+/, `lqblock v2 lq${'0'.repeat(32)}`);
    expect(parseTeamNote(otherKey)).toEqual({ ok: false, reason: 'the data line belongs to another key' });
  });

  it('keeps hostile text as text', () => {
    const r = revision({ ...reject, note: '<img src=x onerror=alert(1)> مرحبا 🚀' }, '', '<script>x</script>');
    const parsed = parseTeamNote(formatDispositionNote(r, config, 65_536).body);
    expect(parsed).toMatchObject({ ok: true, content: { revision: { decision: { note: '<img src=x onerror=alert(1)> مرحبا 🚀' }, snapshot: { lead: { name: '<script>x</script>' } } } } });
  });

  it('still reads version 1 notes, as summaries', () => {
    const json = JSON.stringify({ v: 1, key: 'lq5f3a9c1e2b7d4f60', dispositionId: 'd-9', rev: 1, hash: 'ab', prevHash: null, crm: 'hubspot', recordId: '512', outcome: 'accept', note: 'ok', score: 70, fit: 40, engagement: 30, recommendation: 'sql', frameworkId: 'bant', criteria: [], author: { id: 'me', name: 'Ana' }, at: AT });
    const v1 = `Lead qualification: Accepted as SQL\n\n--- ${NOTE_MARKER} v1 (machine-readable: do not edit) ---\n${json}\n--- end ${NOTE_MARKER} ---`;
    expect(parseTeamNote(v1)).toMatchObject({ ok: true, content: { v: 1, kind: 'decision', key: 'lq5f3a9c1e2b7d4f60', block: { dispositionId: 'd-9' } } });
    expect(parseDispositionNote(v1.replace('"outcome":"accept"', '"outcome":"maybe"'))).toMatchObject({ ok: false, reason: expect.stringContaining('outcome') });
  });
});

describe('the note a manager’s review becomes', () => {
  const review = { id: 'rv-1', dispositionId: 'd-1', reviewerId: '77', reviewerName: 'Mia Lead', verdict: 'disagree' as const, comment: 'They have budget: see the call.', at: AT, rev: 2, reviewer: { id: '77', name: 'Mia Lead', crm: 'hubspot' } };

  it('reads well and carries the review, keyed by its content', () => {
    const note = formatReviewNote(review, { label: 'Rejected: No budget', repName: 'Sam Rep', rev: 2 });
    expect(note.key).toBe(reviewKey(review));
    expect(note.body.split('\n').slice(0, 3)).toEqual(['Lead qualification review: Mia Lead disagrees with the decision “Rejected: No budget” by Sam Rep (revision 2).', 'Comment: They have budget: see the call.', 'Reviewed 2026-11-20 12:00 UTC']);
    expect(parseTeamNote(note.body)).toMatchObject({ ok: true, content: { kind: 'review', key: note.key, decisionLabel: 'Rejected: No budget', review: { id: 'rv-1', rev: 2, reviewer: { id: '77', crm: 'hubspot' }, verdict: 'disagree' } } });
  });
});
