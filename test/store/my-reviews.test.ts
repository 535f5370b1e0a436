import { describe, expect, it } from 'vitest';
import { leadKey } from '../../src/crm';
import { defaultConfig } from '../../src/domain/defaults';
import type { Author, Revision } from '../../src/domain/dispositions';
import { leadProfileSchema } from '../../src/domain/lead';
import { formatDispositionNote, formatReviewNote } from '../../src/domain/note-format';
import { readTeamRecord, type TeamNoteInput } from '../../src/domain/team-record';
import { revisionsOf } from '../../src/store/dispositions';
import { recordLeadShown } from '../../src/store/leads';
import { reviewsOfMyDecisions } from '../../src/store/my-reviews';
import type { ReviewRecord } from '../../src/store/records';
import { recordLeadTeam, reviewRecordOf, storeTeamRecord } from '../../src/store/team';
import { freshDb } from '../support/db';
import { saveDecision } from '../support/dispositions';

/**
 * "Reviews of my decisions": the reviews whose reviewed revision this browser's rep signed, from the
 * reviews table (joined with the revisions) and from the leads' cached team records, each review once.
 */

const config = defaultConfig();
const sam: Author = { id: '102', name: 'Sam Rep', crm: 'demo' };
const ana: Author = { id: '101', name: 'Ana Souza', crm: 'demo' };
const mia: Author = { id: '201', name: 'Mia Lead', crm: 'demo' };
const me = (crm: string) => (crm === 'demo' ? { id: sam.id } : undefined);
const ref = (recordId: string) => ({ crm: 'demo', recordId, objectType: 'lead', url: `http://127.0.0.1:5180/leads/${recordId}`, host: '127.0.0.1' });
const reject = { outcome: 'reject' as const, reasonCode: 'no_budget', note: 'Frozen until June.' };
const accept = { outcome: 'accept' as const, nextStepId: 'demo', nextStepOn: '2026-12-01', note: 'Budget found.' };

let n = 0;
const decisionNote = (r: Revision, by: Author | undefined = r.author): TeamNoteInput => ({
  noteId: `N-${++n}`,
  recordId: r.snapshot.lead.recordId,
  body: formatDispositionNote(r, config, 65_536, { objectType: 'lead' }).body,
  at: r.at,
  createdBy: by && { id: by.id, name: by.name },
});

function review(id: string, dispositionId: string, rev: number | undefined, at: string, over: Partial<ReviewRecord> = {}): ReviewRecord {
  return { id, dispositionId, reviewerId: mia.id, reviewerName: mia.name, verdict: 'disagree', comment: `Comment ${id}`, at, ...(rev ? { rev } : {}), reviewer: mia, ...over };
}
/** `by`: who the CRM says created the note (null: it does not say). */
const reviewNote = (r: ReviewRecord, recordId: string, label = 'Rejected: No budget', by: Author | null = mia): TeamNoteInput => ({
  noteId: `R-${++n}`,
  recordId,
  body: formatReviewNote(r, { label, repName: 'someone', rev: r.rev ?? 1 }).body,
  at: r.at,
  createdBy: by ? { id: by.id, name: by.name } : undefined,
});

/** A lead row as the panel leaves it, with its team record read from these notes. */
async function showLead(db: ReturnType<typeof freshDb>, recordId: string, name: string, notes: TeamNoteInput[]) {
  const r = ref(recordId);
  await recordLeadShown(db, leadKey(r), r, () => leadProfileSchema.parse({ crm: 'demo', recordId, name }), '2026-11-25T09:00:00.000Z');
  const team = readTeamRecord(notes, 'demo');
  await recordLeadTeam(db, leadKey(r), { decisions: team.decisions, reviews: team.reviews, readAt: '2026-11-25T09:00:00.000Z' });
}

describe('reviews of my decisions', () => {
  it('lists reviews of the revisions this rep signed, not of others’, newest first', async () => {
    const db = freshDb(`my-reviews-${Math.random()}`);
    // disp-1: Sam rejected (rev 1), Ana accepted later (rev 2). disp-2: Ana's alone.
    await saveDecision(db, ref('L-1'), reject, { dispositionId: 'disp-1', at: '2026-11-20T10:00:00.000Z', author: sam, name: 'Ada Park' });
    await saveDecision(db, ref('L-1'), accept, { dispositionId: 'disp-1', at: '2026-11-21T10:00:00.000Z', author: ana, name: 'Ada Park' });
    await saveDecision(db, ref('L-2'), reject, { dispositionId: 'disp-2', at: '2026-11-20T11:00:00.000Z', author: ana });
    await db.reviews.bulkPut([
      review('rv-sam-1', 'disp-1', 1, '2026-11-22T08:00:00.000Z'),
      review('rv-ana-2', 'disp-1', 2, '2026-11-22T09:00:00.000Z'),
      // No revision recorded: the decision's latest (Ana's).
      review('rv-latest', 'disp-1', undefined, '2026-11-22T10:00:00.000Z'),
      review('rv-other', 'disp-2', 1, '2026-11-22T11:00:00.000Z'),
      review('rv-sam-1b', 'disp-1', 1, '2026-11-23T08:00:00.000Z', { verdict: 'agree', comment: '' }),
    ]);

    const list = await reviewsOfMyDecisions(db, { me, config });
    expect(list.map((r) => r.id)).toEqual(['rv-sam-1b', 'rv-sam-1']);
    expect(list[1]).toEqual({
      id: 'rv-sam-1',
      verdict: 'disagree',
      reviewerName: 'Mia Lead',
      at: '2026-11-22T08:00:00.000Z',
      comment: 'Comment rv-sam-1',
      crm: 'demo',
      dispositionId: 'disp-1',
      rev: 1,
      decisionLabel: 'Rejected: No budget',
      leadName: 'Ada Park',
      url: 'http://127.0.0.1:5180/leads/L-1',
      trust: { state: 'verified', notes: [] },
    });
    // Ana sees hers.
    const anas = await reviewsOfMyDecisions(db, { me: () => ({ id: ana.id }), config });
    expect(anas.map((r) => r.id)).toEqual(['rv-other', 'rv-latest', 'rv-ana-2']);
    expect(anas.find((r) => r.id === 'rv-latest')).toMatchObject({ rev: 2, decisionLabel: 'Accepted as SQL' });
    // Nobody known on the CRM: nothing is anyone's.
    expect(await reviewsOfMyDecisions(db, { me: () => undefined, config })).toEqual([]);
    // The identity is per CRM: Sam on another CRM is not this decision's author.
    expect(await reviewsOfMyDecisions(db, { me: (crm) => (crm === 'hubspot' ? { id: sam.id } : undefined), config })).toEqual([]);
  });

  it('reads reviews imported from the CRM with their trust, and those in leads’ team records, each once', async () => {
    const elsewhere = freshDb(`elsewhere-${Math.random()}`);
    // Sam decided in another browser; this one knows the decision only from the CRM.
    await saveDecision(elsewhere, ref('L-3'), reject, { dispositionId: 'disp-3', at: '2026-11-20T10:00:00.000Z', author: sam, name: 'Bo Okafor' });
    await saveDecision(elsewhere, ref('L-4'), reject, { dispositionId: 'disp-4', at: '2026-11-20T10:00:00.000Z', author: ana, name: 'Cy Lee' });
    await saveDecision(elsewhere, ref('L-5'), reject, { dispositionId: 'disp-5', at: '2026-11-20T10:00:00.000Z', author: sam, name: 'Di Moss' });
    const [r3] = await revisionsOf(elsewhere, 'disp-3');
    const [r4] = await revisionsOf(elsewhere, 'disp-4');
    const [r5] = await revisionsOf(elsewhere, 'disp-5');

    const db = freshDb(`my-reviews-${Math.random()}`);
    const rv3 = review('rv-3', 'disp-3', 1, '2026-11-22T08:00:00.000Z');
    const rv3b = review('rv-3b', 'disp-3', 1, '2026-11-24T08:00:00.000Z', { verdict: 'agree', comment: 'Fair.' });
    const rv4 = review('rv-4', 'disp-4', 1, '2026-11-22T09:00:00.000Z');
    const rv5 = review('rv-5', 'disp-5', 1, '2026-11-23T09:00:00.000Z');
    // The dashboard's import stored rv-3 (the CRM did not say who wrote the note: unconfirmed).
    await storeTeamRecord(db, readTeamRecord([decisionNote(r3!), reviewNote(rv3, 'L-3', 'Rejected: No budget', null)], 'demo'), { crm: 'demo', config, importedAt: '2026-11-22T12:00:00.000Z' });
    expect(await db.reviews.get('rv-3')).toMatchObject({ team: { trust: { state: 'unconfirmed' } } });
    // Then the rep opened L-3 (rv-3 again, now with its creator, and a newer rv-3b), L-4 (Ana's) and L-5,
    // whose decision note someone else wrote in Sam's name (flagged: it says nothing of who decided).
    await showLead(db, 'L-3', 'Bo Okafor', [decisionNote(r3!), reviewNote(rv3, 'L-3'), reviewNote(rv3b, 'L-3')]);
    await showLead(db, 'L-4', 'Cy Lee', [decisionNote(r4!), reviewNote(rv4, 'L-4')]);
    await showLead(db, 'L-5', 'Di Moss', [decisionNote(r5!, ana), reviewNote(rv5, 'L-5')]);

    const list = await reviewsOfMyDecisions(db, { me, config });
    expect(list.map((r) => r.id)).toEqual(['rv-3b', 'rv-3']);
    expect(list[0]).toMatchObject({ verdict: 'agree', comment: 'Fair.', decisionLabel: 'Rejected: No budget', leadName: 'Bo Okafor', url: 'http://127.0.0.1:5180/leads/L-3', trust: { state: 'verified' } });
    // The better-trusted copy of rv-3 (the lead's read, with the note's creator) wins over the import's.
    expect(list[1]).toMatchObject({ id: 'rv-3', trust: { state: 'verified', notes: [] } });
    // Ana's decision, known only from L-4's team record, is hers.
    expect((await reviewsOfMyDecisions(db, { me: () => ({ id: ana.id }), config })).map((r) => [r.id, r.leadName])).toEqual([['rv-4', 'Cy Lee']]);
  });

  it('shows a review the CRM flags, with why; keeps the newest 50', async () => {
    const db = freshDb(`my-reviews-${Math.random()}`);
    const r6 = await saveDecision(db, ref('L-6'), reject, { dispositionId: 'disp-6', at: '2026-11-20T10:00:00.000Z', author: sam, name: 'Ed Ray' });
    // Signed by Mia, written by Ana: flagged.
    await showLead(db, 'L-6', 'Ed Ray', [decisionNote(r6), reviewNote(review('rv-forged', 'disp-6', 1, '2026-11-21T08:00:00.000Z'), 'L-6', 'Rejected: No budget', ana)]);
    const [forged] = await reviewsOfMyDecisions(db, { me, config });
    expect(forged).toMatchObject({ id: 'rv-forged', trust: { state: 'flagged', notes: [expect.stringContaining('but demo says Ana Souza (101) created the note')] } });

    await db.reviews.bulkPut(Array.from({ length: 60 }, (_, i) => review(`rv-${String(i).padStart(2, '0')}`, 'disp-6', 1, new Date(Date.parse('2026-11-22T00:00:00.000Z') + i * 60_000).toISOString())));
    const list = await reviewsOfMyDecisions(db, { me, config });
    expect(list).toHaveLength(50);
    expect(list[0]!.id).toBe('rv-59');
    expect(list.at(-1)!.id).toBe('rv-10');
    expect(await reviewsOfMyDecisions(db, { me, config, limit: 3 })).toHaveLength(3);
  });

  it('keeps a review the team record holds when the reviews table has it too (one entry, from the table)', async () => {
    const db = freshDb(`my-reviews-${Math.random()}`);
    const r7 = await saveDecision(db, ref('L-7'), reject, { dispositionId: 'disp-7', at: '2026-11-20T10:00:00.000Z', author: sam, name: 'Flo Tan' });
    const rv7 = review('rv-7', 'disp-7', 1, '2026-11-21T08:00:00.000Z');
    const note = reviewNote(rv7, 'L-7');
    await db.reviews.put(reviewRecordOf(readTeamRecord([note], 'demo').reviews[0]!, 'demo'));
    await showLead(db, 'L-7', 'Flo Tan', [decisionNote(r7), note]);
    const list = await reviewsOfMyDecisions(db, { me, config });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'rv-7', trust: { state: 'verified' }, leadName: 'Flo Tan' });
  });
});
