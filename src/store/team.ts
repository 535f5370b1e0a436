import type { QualificationConfig } from '../domain/config';
import type { Revision } from '../domain/dispositions';
import { closeGap, type TeamDecision, type TeamRecord, type TeamReview, type Trust } from '../domain/team-record';
import { dispositionRow, worstTrust } from './dispositions';
import { importedRow } from './imported';
import type { DispositionRecord, LeadTeamRecord, ReviewRecord } from './records';
import { tablesOf, type Store } from './store';

/**
 * The team's decisions and reviews read back from the CRM (`src/domain/team-record.ts` checks them),
 * stored next to this browser's own: a revision from the CRM becomes a revision here when it is not
 * flagged and continues the chain this store holds (or starts one). Nothing is overwritten: a revision
 * that conflicts with one stored here is refused and reported, as is every flagged note.
 */

export interface TeamImportCounts {
  /** Decisions this store did not know. */
  newDecisions: number;
  /** Revisions added to decisions it knew. */
  newRevisions: number;
  /** Revisions (and reviews) it already had. */
  unchanged: number;
  /** Flagged notes, and revisions that conflict with this store's or do not follow it. */
  refused: number;
  reviews: number;
}

export interface RefusedNote {
  noteId: string;
  dispositionId: string;
  rev?: number;
  why: string[];
}

const emptyCounts = (): TeamImportCounts => ({ newDecisions: 0, newRevisions: 0, unchanged: 0, refused: 0, reviews: 0 });

/** Stores one page of the CRM's team record, in one transaction. */
export async function storeTeamRecord(
  store: Store,
  record: Pick<TeamRecord, 'decisions' | 'reviews'>,
  from: { crm: string; config: Pick<QualificationConfig, 'sla'>; importedAt: string },
): Promise<TeamImportCounts & { refusedNotes: RefusedNote[] }> {
  const db = tablesOf(store);
  const counts = emptyCounts();
  const refusedNotes: RefusedNote[] = [];
  const refuse = (d: { noteId: string; dispositionId: string; rev?: number }, why: string[]) => {
    counts.refused += 1;
    refusedNotes.push({ noteId: d.noteId, dispositionId: d.dispositionId, rev: d.rev, why });
  };

  await db.transaction('rw', [db.dispositions, db.revisions, db.reviews], async () => {
    const byDisposition = new Map<string, TeamDecision[]>();
    for (const d of record.decisions) {
      if (d.trust.state === 'flagged') refuse(d, d.trust.notes);
      else byDisposition.set(d.dispositionId, [...(byDisposition.get(d.dispositionId) ?? []), d]);
    }
    for (const [dispositionId, entries] of byDisposition) {
      const existing = await db.dispositions.get(dispositionId);
      const revisions = await db.revisions.where('dispositionId').equals(dispositionId).sortBy('rev');
      const full = entries.filter((e) => e.revision).sort((a, b) => a.rev - b.rev);
      const legacy = entries.filter((e) => !e.revision);
      if (legacy.length) await storeLegacy(legacy, existing, revisions.length > 0);
      if (!full.length) continue;
      const team: NonNullable<DispositionRecord['team']> = { crm: from.crm, revs: { ...existing?.team?.revs } };
      let added = 0;
      for (const e of full) {
        const stored = revisions.find((r) => r.rev === e.rev);
        if (stored) {
          if (stored.hash === e.hash) counts.unchanged += 1;
          else refuse(e, [`conflicts with revision ${e.rev} as this browser holds it`]);
          continue;
        }
        const last = revisions.at(-1);
        if ((last?.rev ?? 0) + 1 !== e.rev || (last?.hash ?? null) !== e.prevHash) {
          refuse(e, last ? [`does not follow revision ${last.rev} as this browser holds it`, ...e.trust.notes] : e.trust.notes);
          continue;
        }
        const trust: Trust = last ? closeGap(e.trust, e.rev) : e.trust;
        await db.revisions.add(e.revision as Revision);
        revisions.push(e.revision as Revision);
        team.revs[e.rev] = { noteId: e.noteId, trust };
        added += 1;
      }
      if (!added) continue;
      if (existing && existing.origin !== 'imported') counts.newRevisions += added;
      else if (existing?.rev) counts.newRevisions += added;
      else {
        counts.newDecisions += 1;
        counts.newRevisions += added - 1;
      }
      const lead = revisions.at(-1)!.snapshot.lead;
      const row = dispositionRow(revisions, {
        leadKey: existing?.leadKey ?? `${lead.crm}:imported:${lead.recordId}`,
        url: existing?.url,
        config: from.config,
        origin: existing?.origin ?? 'imported',
        // The latest revision came from the CRM, so it is there already.
        sync: existing && existing.rev >= revisions.at(-1)!.rev ? existing.sync : existing?.origin === 'local' ? 'synced' : 'imported',
      });
      const record = full.at(-1)!.record;
      await db.dispositions.put({ ...row, objectType: existing?.objectType ?? record?.objectType, account: existing?.account ?? record?.account, team, trust: worstTrust(team) });
    }

    for (const r of record.reviews) {
      if (r.trust.state === 'flagged') {
        refuse({ noteId: r.noteId, dispositionId: r.review.dispositionId }, r.trust.notes);
        continue;
      }
      const known = await db.reviews.get(r.review.id);
      if (known) {
        counts.unchanged += 1;
        continue;
      }
      await db.reviews.put(reviewRecordOf(r, from.crm));
      counts.reviews += 1;
    }
  });
  return { ...counts, refusedNotes };

  // Version 1 notes carry summaries, not revisions: kept as the row's imported history, as before,
  // unless this store holds the decision's revisions itself.
  async function storeLegacy(entries: TeamDecision[], existing: DispositionRecord | undefined, hasRevisions: boolean) {
    if (hasRevisions) {
      counts.unchanged += entries.length;
      return;
    }
    const history = existing?.imported;
    const fresh = entries.filter((e) => !history?.noteIds.includes(e.noteId));
    counts.unchanged += entries.length - fresh.length;
    if (!fresh.length) return;
    const blocks = [...(history?.blocks ?? []).filter((b) => !fresh.some((e) => e.rev === b.rev)), ...fresh.map((e) => e.legacy!)];
    const noteIds = [...(history?.noteIds ?? []), ...fresh.map((e) => e.noteId)];
    const team: NonNullable<DispositionRecord['team']> = { crm: from.crm, revs: { ...existing?.team?.revs } };
    for (const e of fresh) team.revs[e.rev] = { noteId: e.noteId, trust: e.trust };
    await db.dispositions.put({ ...importedRow(blocks, noteIds, from.crm, from.config, from.importedAt), team, trust: worstTrust(team) });
    if (existing) counts.newRevisions += fresh.length;
    else {
      counts.newDecisions += 1;
      counts.newRevisions += fresh.length - 1;
    }
  }
}

/** A review read from the CRM, as this store keeps reviews. */
export function reviewRecordOf(r: TeamReview, crm: string): ReviewRecord {
  const v = r.review;
  return { id: v.id, dispositionId: v.dispositionId, reviewerId: v.reviewer.id, reviewerName: v.reviewer.name, verdict: v.verdict, comment: v.comment, at: v.at, rev: v.rev, reviewer: v.reviewer, team: { crm, noteId: r.noteId, trust: r.trust } };
}

/** Remembers what the CRM said about one lead's history (for the panel, and offline). */
export async function recordLeadTeam(store: Store, leadKey: string, team: LeadTeamRecord): Promise<void> {
  const db = tablesOf(store);
  await db.transaction('rw', db.leads, async () => {
    const row = await db.leads.get(leadKey);
    if (!row) return;
    // A failed read keeps the last answer, with why it could not be refreshed.
    const next: LeadTeamRecord = team.problem && row.team ? { ...row.team, problem: team.problem } : team;
    await db.leads.put({ ...row, team: next });
  });
}
