import type { QualificationConfig } from '../domain/config';
import { outcomeLabel, type Author, type Revision } from '../domain/dispositions';
import { TRUST_RANK, type TeamDecision, type Trust } from '../domain/team-record';
import type { DispositionRecord, LeadRecord } from './records';
import { tablesOf, type Store } from './store';

/**
 * "Reviews of my decisions": the managers' reviews of decisions this browser's rep made, from two
 * places — the reviews this store keeps (saved here, or read from the CRM by the dashboard's import),
 * joined with the revisions they review; and the team records of the leads this browser showed (what the
 * CRM held when the lead was last shown, `LeadRecord.team`). A review is the rep's when the revision it
 * reviews (its `rev`, else the decision's latest) was signed by who this browser is on that CRM.
 */

export interface MyReviewItem {
  id: string;
  verdict: 'agree' | 'disagree';
  reviewerName: string;
  at: string;
  comment: string;
  /** The CRM the decision is on. */
  crm: string;
  dispositionId: string;
  rev: number;
  /** "Rejected: No budget". */
  decisionLabel: string;
  leadName: string;
  /** The lead in the CRM, when known here. */
  url?: string;
  /** The review's: from the CRM's metadata when read from the CRM; a review saved here counts as verified. */
  trust: Trust;
}

export interface MyReviewsQuery {
  /** Who this browser is on a CRM (the author it signs with there), undefined when nobody is known. */
  me: (crm: string) => Pick<Author, 'id'> | undefined;
  /** Names the reasons of decisions stored here ("Rejected: No budget"). */
  config: Pick<QualificationConfig, 'reasonCodes'>;
  /** At most this many, newest first (default 50). */
  limit?: number;
}

export const MY_REVIEWS_MAX = 50;

const VERIFIED: Trust = { state: 'verified', notes: [] };
const newestFirst = (a: { at: string }, b: { at: string }) => b.at.localeCompare(a.at);

/** The reviews of this rep's decisions, newest first, each review once (the best-trusted copy). */
export async function reviewsOfMyDecisions(store: Store, query: MyReviewsQuery): Promise<MyReviewItem[]> {
  const db = tablesOf(store);
  const limit = Math.max(0, Math.min(query.limit ?? MY_REVIEWS_MAX, MY_REVIEWS_MAX));
  const mine = (crm: string, author: Pick<Author, 'id'> | undefined) => {
    const me = query.me(crm);
    return me !== undefined && author !== undefined && author.id === me.id;
  };

  return db.transaction('r', [db.reviews, db.revisions, db.dispositions, db.leads], async () => {
    const found = new Map<string, MyReviewItem>();
    const keep = (item: MyReviewItem) => {
      const known = found.get(item.id);
      if (!known || TRUST_RANK[item.trust.state] < TRUST_RANK[known.trust.state]) found.set(item.id, item);
    };
    const revisionOf = (dispositionId: string, rev: number): Promise<Revision | undefined> => db.revisions.get([dispositionId, rev]);

    // 1. The reviews this store keeps, newest first: stop once `limit` of them are the rep's (anything
    //    older cannot be among the newest `limit`, whatever the leads add).
    const stored = (await db.reviews.toArray()).sort(newestFirst);
    const ids = [...new Set(stored.map((r) => r.dispositionId))];
    const rows = new Map<string, DispositionRecord>();
    for (const d of await db.dispositions.bulkGet(ids)) if (d) rows.set(d.id, d);
    let fromTable = 0;
    for (const r of stored) {
      if (fromTable >= limit) break;
      const d = rows.get(r.dispositionId);
      if (!d) continue;
      const rev = r.rev ?? d.rev;
      // The row names the latest revision's author: most reviews of others' decisions stop here.
      if (rev === d.rev && !mine(d.crm, { id: d.repId })) continue;
      const revision = await revisionOf(d.id, rev);
      // Without the revision (a version 1 import), the row speaks for the decision's latest revision.
      const author = revision?.author ?? (rev === d.rev ? { id: d.repId } : undefined);
      const crm = revision?.snapshot.lead.crm ?? d.crm;
      if (!mine(crm, author)) continue;
      fromTable += 1;
      keep({
        id: r.id,
        verdict: r.verdict,
        reviewerName: r.reviewer?.name ?? r.reviewerName,
        at: r.at,
        comment: r.comment,
        crm,
        dispositionId: d.id,
        rev,
        decisionLabel: revision ? outcomeLabel(revision.decision, query.config) : rowLabel(d, query.config),
        leadName: revision?.snapshot.lead.name || d.leadName,
        url: d.url || (await db.leads.get(d.leadKey))?.ref.url || undefined,
        trust: r.team?.trust ?? VERIFIED,
      });
    }

    // 2. The team records of the leads this browser showed.
    const leads = await db.leads.filter((l) => (l.team?.reviews.length ?? 0) > 0).toArray();
    for (const lead of leads) {
      for (const r of lead.team!.reviews) {
        const v = r.review;
        const crm = lead.ref.crm;
        const revision = await revisionOf(v.dispositionId, v.rev);
        const decision = revision ? undefined : decisionIn(lead, v.dispositionId, v.rev);
        const author = revision?.author ?? decision?.summary.author;
        if (!mine(revision?.snapshot.lead.crm ?? crm, author)) continue;
        keep({
          id: v.id,
          verdict: v.verdict,
          reviewerName: v.reviewer.name,
          at: v.at,
          comment: v.comment,
          crm,
          dispositionId: v.dispositionId,
          rev: v.rev,
          decisionLabel: r.decisionLabel || decision?.summary.label || (revision ? outcomeLabel(revision.decision, query.config) : ''),
          leadName: revision?.snapshot.lead.name || decision?.summary.leadName || lead.profile.name || '',
          url: lead.ref.url || undefined,
          trust: r.trust,
        });
      }
    }

    return [...found.values()].sort(newestFirst).slice(0, limit);
  });
}

/**
 * The revision a review names, in a lead's team record: only one the CRM's metadata does not contradict
 * (a flagged note's author is the very thing in doubt, so it says nothing of who decided).
 */
function decisionIn(lead: LeadRecord, dispositionId: string, rev: number): TeamDecision | undefined {
  return lead.team?.decisions.find((d) => d.dispositionId === dispositionId && d.rev === rev && d.trust.state !== 'flagged');
}

/** The row's own outcome, for a decision stored without its revisions (version 1 imports). */
function rowLabel(d: DispositionRecord, config: Pick<QualificationConfig, 'reasonCodes'>): string {
  if (d.outcome === 'reject') return outcomeLabel({ outcome: 'reject', reasonCode: d.reasonCode, note: '' }, config);
  if (d.outcome === 'accept') return outcomeLabel({ outcome: 'accept', stage: 'sql', nextStepId: '', nextStepOn: '', note: '' }, config);
  return outcomeLabel({ outcome: 'recycle', recheckOn: '', trigger: '', note: '' }, config);
}
