import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/domain/defaults';
import type { Author, Revision } from '../../src/domain/dispositions';
import { formatDispositionNote, formatReviewNote } from '../../src/domain/note-format';
import { readTeamRecord, type TeamNoteInput } from '../../src/domain/team-record';
import { history } from '../../src/store/audit';
import { revisionsOf } from '../../src/store/dispositions';
import { storeTeamRecord } from '../../src/store/team';
import { freshDb } from '../support/db';
import { saveDecision } from '../support/dispositions';

/**
 * The team's record from the CRM lands next to this browser's own decisions: whole revisions (hash
 * checked again by the store's chain check), nothing overwritten, forged and conflicting notes refused
 * with the reason, honest counts.
 */

const config = defaultConfig();
const ana: Author = { id: '101', name: 'Ana Souza', crm: 'demo' };
const ben: Author = { id: '102', name: 'Ben Ito', crm: 'demo' };
const ref = (recordId: string) => ({ crm: 'demo', recordId, objectType: 'lead', url: `http://127.0.0.1/leads/${recordId}`, host: '127.0.0.1' });
const from = { crm: 'demo', config, importedAt: '2026-11-22T09:00:00.000Z' };

let n = 0;
const noteOf = (r: Revision, by: Author | undefined, recordId = r.snapshot.lead.recordId): TeamNoteInput => ({
  noteId: `N-${++n}`,
  recordId,
  body: formatDispositionNote(r, config, 65_536, { objectType: 'lead' }).body,
  at: r.at,
  createdBy: by && { id: by.id, name: by.name },
});

/** Another rep's browser makes a chain of decisions; returns its revisions. */
async function elsewhere(steps: { author: Author; decision: Parameters<typeof saveDecision>[2]; at: string }[], dispositionId = 'disp-1', recordId = 'L-1'): Promise<Revision[]> {
  const db = freshDb('elsewhere');
  for (const s of steps) await saveDecision(db, ref(recordId), s.decision, { dispositionId, at: s.at, author: s.author });
  return revisionsOf(db, dispositionId);
}

const reject = { outcome: 'reject' as const, reasonCode: 'no_budget', note: 'Frozen until June.' };
const accept = { outcome: 'accept' as const, nextStepId: 'demo', nextStepOn: '2026-12-01', note: 'Budget found.' };

describe('storing the team’s record', () => {
  it('stores other reps’ whole revisions: the dashboard audits them as it audits its own', async () => {
    const [r1, r2] = await elsewhere([
      { author: ana, decision: reject, at: '2026-11-20T12:00:00.000Z' },
      { author: ben, decision: accept, at: '2026-11-21T12:00:00.000Z' },
    ]);
    const db = freshDb('manager');
    const counts = await storeTeamRecord(db, readTeamRecord([noteOf(r1!, ana), noteOf(r2!, ben)], 'demo'), from);
    expect(counts).toMatchObject({ newDecisions: 1, newRevisions: 1, unchanged: 0, refused: 0 });
    expect(await revisionsOf(db, 'disp-1')).toEqual([r1, r2]);
    const h = await history(db, 'disp-1');
    expect(h.chain).toEqual({ ok: true });
    expect(h.disposition).toMatchObject({ origin: 'imported', outcome: 'accept', repName: 'Ben Ito', rev: 2, previousOutcomes: ['reject'], trust: 'verified', objectType: 'lead', configVersion: config.version, recommended: expect.any(String) });
    // Full fidelity: the note, reason and evidence of revision 1 are there.
    expect(h.revisions[0]!.decision).toMatchObject({ outcome: 'reject', reasonCode: 'no_budget', note: 'Frozen until June.' });
    expect(h.revisions[0]!.snapshot.checklist.answers.budget?.evidence).toBe('We set aside 40k for this.');

    const again = await storeTeamRecord(db, readTeamRecord([noteOf(r1!, ana), noteOf(r2!, ben)], 'demo'), from);
    expect(again).toMatchObject({ newDecisions: 0, newRevisions: 0, unchanged: 2, refused: 0 });
  });

  it('continues a chain across pages: revision 2 read later joins revision 1 read before', async () => {
    const [r1, r2] = await elsewhere([
      { author: ana, decision: reject, at: '2026-11-20T12:00:00.000Z' },
      { author: ben, decision: accept, at: '2026-11-21T12:00:00.000Z' },
    ]);
    const db = freshDb('pages');
    await storeTeamRecord(db, readTeamRecord([noteOf(r1!, ana)], 'demo'), from);
    const second = await storeTeamRecord(db, readTeamRecord([noteOf(r2!, ben)], 'demo'), from);
    expect(second).toMatchObject({ newDecisions: 0, newRevisions: 1, refused: 0 });
    // The page-2 read could not see revision 1; the store could: verified after all.
    expect((await db.dispositions.get('disp-1'))!.team!.revs[2]!.trust).toEqual({ state: 'verified', notes: [] });
  });

  it('refuses forged notes with the reason, and merges nothing from them', async () => {
    const [real] = await elsewhere([{ author: ana, decision: reject, at: '2026-11-20T12:00:00.000Z' }]);
    const [forged] = await elsewhere([{ author: { id: '999', name: 'Alice Topseller', crm: 'demo' }, decision: accept, at: '2026-11-20T13:00:00.000Z' }], 'disp-9', 'L-999');
    const db = freshDb('forged');
    const counts = await storeTeamRecord(db, readTeamRecord([noteOf(real!, ana), noteOf(forged!, ben), noteOf({ ...real!, dispositionId: 'disp-1' }, ana, 'L-555')], 'demo'), from);
    expect(counts.refused).toBe(2);
    expect(counts.refusedNotes.map((r) => r.why[0]).sort()).toEqual(['it names record L-1, but the CRM attaches it to record L-555', 'signed by Alice Topseller (999), but demo says Ben Ito (102) created the note']);
    expect(await db.dispositions.get('disp-9')).toBeUndefined();
    expect(await revisionsOf(db, 'disp-1')).toEqual([real]);
  });

  it('never overwrites this browser’s revision with a conflicting one from the CRM', async () => {
    const db = freshDb('mine');
    const mine = await saveDecision(db, ref('L-1'), reject, { dispositionId: 'disp-1', author: ana });
    const [theirs] = await elsewhere([{ author: ana, decision: { ...reject, note: 'Someone else’s revision 1.' }, at: '2026-11-20T12:30:00.000Z' }]);
    const counts = await storeTeamRecord(db, readTeamRecord([noteOf(theirs!, ana)], 'demo'), from);
    expect(counts).toMatchObject({ refused: 1, refusedNotes: [{ why: ['conflicts with revision 1 as this browser holds it'] }] });
    expect(await revisionsOf(db, 'disp-1')).toEqual([mine]);
    expect(await db.dispositions.get('disp-1')).toMatchObject({ origin: 'local', sync: 'saved_locally' });
  });

  it('keeps reviews from the CRM, with their trust, and queues nothing for them', async () => {
    const db = freshDb('reviews');
    const review = { id: 'rv-1', dispositionId: 'disp-1', reviewerId: '201', reviewerName: 'Mia Lead', verdict: 'agree' as const, comment: '', at: '2026-11-22T08:00:00.000Z', rev: 1, reviewer: { id: '201', name: 'Mia Lead', crm: 'demo' } };
    const body = formatReviewNote(review, { label: 'Rejected: No budget', repName: 'Ana Souza', rev: 1 }).body;
    const counts = await storeTeamRecord(db, readTeamRecord([{ noteId: 'R-1', recordId: 'L-1', body, at: review.at, createdBy: { id: '201' } }], 'demo'), from);
    expect(counts.reviews).toBe(1);
    expect(await db.reviews.get('rv-1')).toMatchObject({ verdict: 'agree', reviewerName: 'Mia Lead', team: { crm: 'demo', noteId: 'R-1', trust: { state: 'verified' } } });
    expect(await db.outbox.count()).toBe(0);
  });
});
