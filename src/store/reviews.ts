import { z } from 'zod';
import { reviewKey } from '../domain/note-format';
import { authorSchema } from '../domain/revision-schema';
import { backgroundStrings as t } from '../i18n/background';
import { enqueue, firstEntryOf, isQueued, newEntry } from './outbox';
import type { DispositionRecord, ReviewRecord } from './records';
import type { LeadRef } from '../domain/lead-ref';
import { tablesOf, type Store } from './store';

/** A manager's review of a decision: checked, stored, and queued for the CRM as a note of its own. */

export const reviewSchema = z.object({
  id: z.string().min(1).max(100),
  dispositionId: z.string().min(1).max(200),
  reviewerId: z.string().min(1).max(200),
  reviewerName: z.string().min(1).max(200),
  verdict: z.enum(['agree', 'disagree']),
  comment: z.string().max(2000),
  at: z.iso.datetime({ offset: true }),
  rev: z.number().int().positive().optional(),
  reviewer: authorSchema.optional(),
});

export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

/** Stores a manager's verdict on a decision. Reviews are appended, never edited: each one is history. */
export async function saveReview(store: Store, review: ReviewRecord): Promise<ReviewRecord> {
  const db = tablesOf(store);
  const parsed = reviewSchema.safeParse(review);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReviewError(t.review.invalid(issue.path.join('.') || t.review.wholeReview, issue.message));
  }
  if (parsed.data.verdict === 'disagree' && !parsed.data.comment.trim()) {
    throw new ReviewError(t.review.disagreeNeedsComment);
  }
  return db.transaction('rw', [db.reviews, db.dispositions, db.outbox, db.leads], async () => {
    const disposition = await db.dispositions.get(parsed.data.dispositionId);
    if (!disposition) throw new ReviewError(t.review.decisionGone);
    await db.reviews.put(parsed.data);
    // The review also goes to the CRM as its own note, queued in this same transaction, on the record the
    // decision is on (for a decision imported from the CRM, the record its note is attached to).
    // A review saved again (same id) is already queued: queueing it twice could send a second note.
    const ref = (await firstEntryOf(db, disposition.id))?.ref ?? (await db.leads.get(disposition.leadKey))?.ref ?? importedRef(disposition);
    const key = reviewKey(parsed.data);
    if (ref && !(await isQueued(db, key))) {
      await enqueue(db, newEntry({ key, dispositionId: disposition.id, rev: disposition.rev, crm: ref.crm, ref, reviewId: parsed.data.id }, new Date().toISOString()));
    }
    return parsed.data;
  });
}

/** Where an imported decision's record is, from what its revisions carry (the record id the CRM confirmed). */
function importedRef(d: DispositionRecord): LeadRef | undefined {
  if (d.origin !== 'imported' || !d.recordId || !d.objectType) return undefined;
  return { crm: d.crm, recordId: d.recordId, objectType: d.objectType, url: d.url ?? '', host: '', ...(d.account ? { account: d.account } : {}) };
}

/** A stored review, if any. */
export function reviewOf(store: Store, id: string): Promise<ReviewRecord | undefined> {
  const db = tablesOf(store);
  return db.reviews.get(id);
}
