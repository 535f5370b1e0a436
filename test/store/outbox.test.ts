/**
 * The outbox has one owner (src/store/outbox.ts): an entry is queued only inside the transaction of the
 * change it belongs to, and a committed enqueue, whoever made it, wakes the sync loop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LeadRef } from '../../src/domain/lead-ref';
import { enqueue, newEntry, onEnqueued, OutsideTransactionError, queueOverview } from '../../src/store/outbox';
import { saveReview } from '../../src/store/reviews';
import { freshDb } from '../support/db';
import { saveDecision } from '../support/dispositions';

const REF: LeadRef = { crm: 'demo', recordId: 'L-1', objectType: 'lead', url: 'http://127.0.0.1:5180/leads/L-1', host: '127.0.0.1:5180' };
const AT = '2026-11-20T12:00:00.000Z';
const entry = (key: string) => newEntry({ key, dispositionId: 'd1', rev: 1, crm: 'demo', ref: REF }, AT);

let off: (() => void) | undefined;
afterEach(() => off?.());

function countWakes() {
  let wakes = 0;
  off = onEnqueued(() => void wakes++);
  return () => wakes;
}

describe('the outbox', () => {
  it('refuses an entry outside a read-write transaction that includes it', async () => {
    const db = freshDb();
    await expect(enqueue(db, entry('k1'))).rejects.toBeInstanceOf(OutsideTransactionError);
    await expect(db.transaction('r', db.outbox, () => enqueue(db, entry('k2')))).rejects.toBeInstanceOf(OutsideTransactionError);
    await expect(db.transaction('rw', db.reviews, () => enqueue(db, entry('k3')))).rejects.toBeInstanceOf(OutsideTransactionError);
    expect(await db.outbox.count()).toBe(0);
  });

  it('wakes the sync loop once the transaction commits, and not when it is rolled back', async () => {
    const db = freshDb();
    const wakes = countWakes();
    let seenInside = -1;
    await db.transaction('rw', db.outbox, async () => {
      await enqueue(db, entry('k1'));
      seenInside = wakes();
    });
    expect(seenInside).toBe(0);
    expect(wakes()).toBe(1);

    await expect(
      db.transaction('rw', db.outbox, async () => {
        await enqueue(db, entry('k2'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await db.outbox.get('k2')).toBeUndefined();
    expect(wakes()).toBe(1);
  });

  it('a saved decision is queued with its revision and wakes the loop', async () => {
    const db = freshDb();
    const wakes = countWakes();
    const revision = await saveDecision(db, REF, { outcome: 'recycle', recheckOn: '2026-12-20', note: 'Next quarter.' }, { dispositionId: 'd1' });
    const queued = await db.outbox.where('dispositionId').equals('d1').toArray();
    expect(queued.map((e) => [e.rev, e.state])).toEqual([[revision.rev, 'pending']]);
    expect(wakes()).toBe(1);
  });

  it("a manager's review is queued once, wakes the loop, and saving it again queues nothing more", async () => {
    const db = freshDb();
    await saveDecision(db, REF, { outcome: 'recycle', recheckOn: '2026-12-20', note: 'Next quarter.' }, { dispositionId: 'd1' });
    const wakes = countWakes();
    const review = { id: 'review-1', dispositionId: 'd1', reviewerId: 'mgr', reviewerName: 'Mia Manager', verdict: 'agree' as const, comment: '', at: AT };
    await saveReview(db, review);
    expect(wakes()).toBe(1);
    await saveReview(db, review);
    expect(wakes()).toBe(1);
    const reviews = (await db.outbox.where('dispositionId').equals('d1').toArray()).filter((e) => e.reviewId);
    expect(reviews.map((e) => [e.reviewId, e.state])).toEqual([['review-1', 'pending']]);
  });

  it("lists the queue for the options page with each lead's name", async () => {
    const db = freshDb();
    await saveDecision(db, REF, { outcome: 'recycle', recheckOn: '2026-12-20', note: 'Next quarter.' }, { dispositionId: 'd1', name: 'Dana Whitfield' });
    const overview = await queueOverview(db, 10);
    expect(overview.counts).toEqual({ pending: 1, failed: 0, done: 0 });
    expect(overview.items.map((i) => i.leadName)).toEqual(['Dana Whitfield']);
  });
});
