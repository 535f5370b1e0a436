import Dexie from 'dexie';
import { verifyChain, type ChainCheck } from '../domain/dispositions';
import { checkImportedChain } from '../domain/note-format';
import { matchDispositions, readRows } from './match';
import type { DispositionRecord, RevisionRecord, ReviewRecord } from './records';
import { tablesOf, type Store } from './store';

/**
 * What a manager checks: one disposition's history (its revisions and reviews, and the hash chain's
 * verdict), and the latest rejections with their reviews. The reviews are written by ./reviews.ts.
 */

export interface DispositionHistory {
  disposition: DispositionRecord | undefined;
  /** Oldest first. */
  revisions: RevisionRecord[];
  /** Oldest first. */
  reviews: ReviewRecord[];
  /** The hash chain's verdict; null when there are no revisions to check (imported from the CRM). */
  chain: ChainCheck | null;
  /** Where the dashboard row disagrees with its latest revision (edited outside the engine). */
  rowProblems: string[];
}

export async function history(store: Store, dispositionId: string): Promise<DispositionHistory> {
  const db = tablesOf(store);
  const [disposition, revisions, reviews] = await Promise.all([
    db.dispositions.get(dispositionId),
    db.revisions.where('[dispositionId+rev]').between([dispositionId, Dexie.minKey], [dispositionId, Dexie.maxKey]).toArray(),
    db.reviews.where('dispositionId').equals(dispositionId).toArray(),
  ]);
  reviews.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  // Verified as stored, never repaired: a gap or a changed revision is reported, not papered over.
  const imported = disposition?.origin === 'imported' ? disposition.imported : undefined;
  const chain = revisions.length
    ? verifyChain(revisions)
    : imported
      ? checkImportedChain(imported.blocks)
      : disposition?.origin === 'imported'
        ? null
        : { ok: false as const, rev: 1, problem: 'no revisions are stored for this decision' };
  return { disposition, revisions, reviews, chain, rowProblems: disposition && revisions.length ? rowProblems(disposition, revisions) : [] };
}

function rowProblems(row: DispositionRecord, revisions: readonly RevisionRecord[]): string[] {
  const last = revisions.at(-1)!;
  const d = last.decision;
  const expected: Partial<Record<keyof DispositionRecord, unknown>> = {
    rev: last.rev,
    outcome: d.outcome,
    reasonCode: d.outcome === 'reject' ? d.reasonCode : '',
    repId: last.author.id,
    score: last.snapshot.score.total,
    decidedAt: revisions[0]!.at,
  };
  return Object.entries(expected)
    .filter(([k, v]) => row[k as keyof DispositionRecord] !== v)
    .map(([k]) => k);
}

export interface RejectionForReview {
  disposition: DispositionRecord;
  /** Oldest first. */
  reviews: ReviewRecord[];
}

/** The latest rejections (by when they were last changed), newest first, with their reviews so far. */
export async function lastRejections(store: Store, limit = 50): Promise<RejectionForReview[]> {
  const db = tablesOf(store);
  // Reviews are read first, before anything else is awaited: under liveQuery, reads issued after awaiting
  // a cached (non-Dexie) promise may go unobserved, and a new review must show at once. The table is small.
  const [allReviews, match] = await Promise.all([db.reviews.toArray(), matchDispositions(db, { outcome: 'reject' }, { key: 'updatedAt', direction: 'desc' })]);
  const rows = await readRows(db, match.ids.slice(0, limit));
  const wanted = new Set(rows.map((r) => r.id));
  const reviews = allReviews.filter((r) => wanted.has(r.dispositionId));
  return rows.map((disposition) => ({
    disposition,
    reviews: reviews.filter((r) => r.dispositionId === disposition.id).sort((a, b) => a.at.localeCompare(b.at)),
  }));
}
