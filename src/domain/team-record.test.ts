import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { createRevision, snapshotLead, type Author, type Decision, type Revision } from './dispositions';
import { emptyChecklist, setAnswer } from './frameworks';
import { leadProfileSchema } from './lead';
import { formatDispositionNote, formatReviewNote } from './note-format';
import { qualify } from './qualify';
import { readTeamRecord, trustedChains, type TeamNoteInput } from './team-record';

const config = defaultConfig();
const AT = '2026-11-20T12:00:00.000Z';
const ana: Author = { id: '101', name: 'Ana Souza', crm: 'demo' };
const ben: Author = { id: '102', name: 'Ben Ito', crm: 'demo' };

function rev(previous: Revision | undefined, author: Author, decision: Decision, recordId = '555', at = AT): Revision {
  const lead = leadProfileSchema.parse({ crm: 'demo', recordId, name: 'Dana Cruz', company: 'Acme' });
  const checklist = setAnswer(emptyChecklist('bant'), 'budget', { state: 'disconfirmed', evidence: 'No budget until June', by: author.name, at });
  const q = qualify(lead, checklist, config, Date.parse(at));
  return createRevision(previous, {
    dispositionId: previous?.dispositionId ?? 'disp-1',
    decision,
    snapshot: { lead: snapshotLead(lead), score: q.score, checklist, recommendation: q.recommendation, framework: { id: 'bant', version: 1, label: 'BANT' }, configVersion: 3 },
    author,
    at,
  });
}
const reject: Decision = { outcome: 'reject', reasonCode: 'no_budget', note: 'Frozen until June.' };
const accept: Decision = { outcome: 'accept', stage: 'sql', nextStepId: 'demo', nextStepOn: '2026-11-25', note: 'Budget found.' };

let n = 0;
function note(r: Revision, createdBy: Author | undefined, recordId = r.snapshot.lead.recordId, body = formatDispositionNote(r, config, 65_536).body): TeamNoteInput {
  return { noteId: `n${++n}`, recordId, body, at: r.at, createdBy: createdBy && { id: createdBy.id, name: createdBy.name } };
}

describe('the team record read back from the CRM', () => {
  it('verifies a chain across reps: authors the CRM confirms, records that match, hashes that check', () => {
    const r1 = rev(undefined, ana, reject);
    const r2 = rev(r1, ben, accept, '555', '2026-11-21T09:00:00.000Z');
    const team = readTeamRecord([note(r2, ben), note(r1, ana)], 'demo');
    expect(team.decisions.map((d) => [d.rev, d.trust.state, d.summary.author.name])).toEqual([[1, 'verified', 'Ana Souza'], [2, 'verified', 'Ben Ito']]);
    expect(team.decisions[0]!.summary).toMatchObject({ outcome: 'reject', reasonCode: 'no_budget', reasonLabel: expect.any(String), note: 'Frozen until June.', configVersion: 3 });
    expect(trustedChains(team.decisions).map((c) => c.map((d) => d.rev))).toEqual([[1, 2]]);
  });

  it('flags a block whose author is not who the CRM says created the note', () => {
    const forged = rev(undefined, { id: '999', name: 'Alice Topseller', crm: 'demo' }, accept);
    const [d] = readTeamRecord([note(forged, ben)], 'demo').decisions;
    expect(d!.trust).toEqual({ state: 'flagged', notes: ['signed by Alice Topseller (999), but demo says Ben Ito (102) created the note'] });
    expect(trustedChains([d!])).toEqual([]);
  });

  it('flags a block that names another record than the one the CRM attaches it to', () => {
    const r = rev(undefined, ana, reject, '555');
    const [d] = readTeamRecord([note(r, ana, '999')], 'demo').decisions;
    expect(d!.trust.state).toBe('flagged');
    expect(d!.trust.notes[0]).toBe('it names record 555, but the CRM attaches it to record 999');
  });

  it('flags a revision whose content was changed after it was written (the hash no longer matches)', () => {
    const r = rev(undefined, ana, reject);
    const tampered: Revision = { ...r, decision: { ...r.decision, note: 'Rewritten.' } };
    const [t] = readTeamRecord([note(tampered, ana)], 'demo').decisions;
    expect(t!.trust).toMatchObject({ state: 'flagged', notes: ['its content was changed after it was written'] });
  });

  it('flags conflicting revisions of the same number, both of them, and merges neither', () => {
    const r1 = rev(undefined, ana, reject);
    const a2 = rev(r1, ben, accept, '555', '2026-11-21T09:00:00.000Z');
    const b2 = rev(r1, ana, { ...reject, note: 'Still frozen.' }, '555', '2026-11-21T10:00:00.000Z');
    const team = readTeamRecord([note(r1, ana), note(a2, ben), note(b2, ana)], 'demo');
    expect(team.decisions.filter((d) => d.rev === 2).map((d) => d.trust.state)).toEqual(['flagged', 'flagged']);
    expect(trustedChains(team.decisions).map((c) => c.map((d) => d.rev))).toEqual([[1]]);
  });

  it('a forged revision 2 that does not follow the real revision 1 is flagged', () => {
    const r1 = rev(undefined, ana, reject);
    const other = rev(undefined, ben, accept);
    const forged2 = rev({ ...other, dispositionId: 'disp-1' }, ben, accept, '555', '2026-11-22T09:00:00.000Z');
    const team = readTeamRecord([note(r1, ana), note(forged2, ben)], 'demo');
    expect(team.decisions.find((d) => d.rev === 2)!.trust).toMatchObject({ state: 'flagged', notes: ['does not follow revision 1 in the CRM'] });
  });

  it('is unconfirmed, not verified, when the CRM cannot say who wrote a note or the author typed their name', () => {
    const typed = rev(undefined, { id: 'email:sam@example.com', name: 'Sam', email: 'sam@example.com' }, reject);
    const other = createRevision(undefined, { ...typed, dispositionId: 'disp-2' });
    const team = readTeamRecord([note(rev(undefined, ana, reject), undefined), note(other, ana)], 'demo');
    expect(team.decisions.map((d) => d.trust.state)).toEqual(['unconfirmed', 'unconfirmed']);
    expect(team.decisions.flatMap((d) => d.trust.notes).join(' | ')).toContain('demo does not say who created this note');
  });

  it('reads reviews and checks their reviewer the same way', () => {
    const review = { id: 'rv-1', dispositionId: 'disp-1', reviewerId: '201', reviewerName: 'Mia Lead', verdict: 'disagree' as const, comment: 'They have budget.', at: AT, rev: 1, reviewer: { id: '201', name: 'Mia Lead', crm: 'demo' } };
    const body = formatReviewNote(review, { label: 'Rejected: No budget', repName: 'Ana Souza', rev: 1 }).body;
    const ok = readTeamRecord([{ noteId: 'r1', recordId: '555', body, at: AT, createdBy: { id: '201' } }], 'demo');
    expect(ok.reviews[0]).toMatchObject({ review: { verdict: 'disagree', reviewer: { name: 'Mia Lead' } }, trust: { state: 'verified' } });
    const forged = readTeamRecord([{ noteId: 'r1', recordId: '555', body, at: AT, createdBy: { id: '102' } }], 'demo');
    expect(forged.reviews[0]!.trust.state).toBe('flagged');
    const edited = readTeamRecord([{ noteId: 'r1', recordId: '555', body: body.replace('They have budget.', 'x'), at: AT, createdBy: { id: '201' } }], 'demo');
    expect(edited.reviews[0]!.trust.state).toBe('verified'); // the readable text is not the data: the payload is unchanged
  });

  it('the same note read twice counts once; unreadable notes say why', () => {
    const r1 = rev(undefined, ana, reject);
    const once = note(r1, ana);
    const team = readTeamRecord([once, once, { noteId: 'v', recordId: '555', body: 'Left a voicemail', at: AT }], 'demo');
    expect(team.decisions).toHaveLength(1);
    expect(team.unreadable).toEqual([{ noteId: 'v', reason: 'no structured block' }]);
  });
});
