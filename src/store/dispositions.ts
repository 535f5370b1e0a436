import type { LeadRef } from '../domain/lead-ref';
import type { QualificationConfig } from '../domain/config';
import type { Revision } from '../domain/dispositions';
import { idempotencyKey, type NoteBlock } from '../domain/note-format';
import { TRUST_RANK } from '../domain/team-record';
import { dispositionDeadline } from '../domain/sla';
import { bandOf } from './db';
import { enqueue, newEntry } from './outbox';
import type { DispositionRecord, SyncState } from './records';
import { backgroundStrings as t } from '../i18n/background';
import { tablesOf, type Store } from './store';

/**
 * Saving a disposition: the revision, the dashboard's row and the outbox entry are written in ONE
 * IndexedDB transaction, so a decision is either fully saved and queued for the CRM, or not at all.
 * What the CRM receives for a revision is the sync loop's business (`src/sync/write-back.ts`).
 */

/** The dashboard's row for a disposition's latest revision. */
export function dispositionRow(
  revisions: readonly Revision[],
  context: { leadKey: string; url?: string; config: Pick<QualificationConfig, 'sla'>; origin: DispositionRecord['origin']; sync: DispositionRecord['sync']; syncMessage?: string },
): DispositionRecord {
  const first = revisions[0]!;
  const last = revisions.at(-1)!;
  const d = last.decision;
  const s = last.snapshot;
  const sla = dispositionDeadline({ firstContactAt: s.lead.firstContactAt, decidedAt: first.at }, context.config.sla, Date.parse(first.at));
  return {
    id: last.dispositionId,
    leadKey: context.leadKey,
    crm: s.lead.crm,
    recordId: s.lead.recordId,
    url: context.url,
    leadName: s.lead.name ?? '',
    company: s.lead.company ?? '',
    repId: last.author.id,
    repName: last.author.name,
    outcome: d.outcome,
    reasonCode: d.outcome === 'reject' ? d.reasonCode : '',
    rev: last.rev,
    decidedAt: first.at,
    day: first.at.slice(0, 10),
    updatedAt: last.at,
    source: s.lead.source ?? '',
    campaign: s.lead.campaign ?? '',
    score: s.score.total,
    fit: s.score.fit,
    engagement: s.score.engagement,
    scoreBand: bandOf(s.score.total),
    frameworkId: s.checklist.frameworkId,
    slaState: sla?.state ?? 'unknown',
    mqlAt: s.lead.mqlAt,
    firstContactAt: s.lead.firstContactAt,
    previousOutcomes: revisions.slice(0, -1).map((r) => r.decision.outcome),
    noteSearch: d.note.toLowerCase(),
    configVersion: s.configVersion,
    recommended: s.recommendation.outcome,
    override: isOverride(d.outcome, s.recommendation.outcome),
    origin: context.origin,
    sync: context.sync,
    syncMessage: context.syncMessage,
  };
}

const FOLLOWS: Record<string, string> = { accept: 'sql', reject: 'disqualify', recycle: 'nurture' };
/** The rep decided otherwise than the engine recommended. */
export const isOverride = (outcome: string, recommended: string) => FOLLOWS[outcome] !== recommended;

export interface SaveRevisionInput {
  revision: Revision;
  leadKey: string;
  ref: LeadRef;
  config: QualificationConfig;
  now: string;
  /**
   * Earlier revisions by other reps, read from the CRM, that this one follows ("Change decision" on a
   * lead someone else decided): stored first, in the same transaction, so the chain is whole here too.
   */
  teamBase?: { revisions: readonly Revision[]; team: NonNullable<DispositionRecord['team']> };
}

/**
 * Appends a revision and queues its write-back, atomically. Refuses a revision that does not follow the
 * stored chain (another tab saved first): the caller reloads and the rep sees the newer decision.
 */
export async function saveRevision(store: Store, input: SaveRevisionInput): Promise<DispositionRecord> {
  const db = tablesOf(store);
  const { revision, now } = input;
  return db.transaction('rw', [db.revisions, db.dispositions, db.outbox, db.drafts], async () => {
    const previous = await db.revisions.where('dispositionId').equals(revision.dispositionId).sortBy('rev');
    const existing = await db.dispositions.get(revision.dispositionId);
    for (const base of input.teamBase?.revisions ?? []) {
      const stored = previous.find((p) => p.rev === base.rev);
      if (stored) {
        if (stored.hash !== base.hash) throw new StaleRevisionError(revision.dispositionId);
        continue;
      }
      const last = previous.at(-1);
      if ((last?.rev ?? 0) + 1 !== base.rev || (last?.hash ?? null) !== base.prevHash) throw new StaleRevisionError(revision.dispositionId);
      await db.revisions.add(base as Revision);
      previous.push(base as Revision);
    }
    const last = previous.at(-1);
    if ((last?.rev ?? 0) + 1 !== revision.rev || (last?.hash ?? null) !== revision.prevHash) {
      throw new StaleRevisionError(revision.dispositionId);
    }
    await db.revisions.add(revision);
    const sync: SyncState = 'saved_locally';
    const row = dispositionRow([...previous, revision], { leadKey: input.leadKey, url: input.ref.url, config: input.config, origin: 'local', sync });
    const team = mergeTeam(existing?.team, input.teamBase?.team);
    await db.dispositions.put(team ? { ...row, team, trust: worstTrust(team) } : row);
    await enqueue(db, newEntry({ key: idempotencyKey(revision), dispositionId: revision.dispositionId, rev: revision.rev, crm: input.ref.crm, ref: input.ref }, now));
    // The form was saved: the draft's form part is done; the checklist stays for the next revision.
    await db.drafts.where('key').equals(input.leadKey).modify((d) => {
      d.form = null;
      d.updatedAt = now;
    });
    return row;
  });
}

/** Two records of which revisions came from the CRM, as one. */
export function mergeTeam(a: DispositionRecord['team'], b: DispositionRecord['team']): DispositionRecord['team'] {
  if (!a) return b;
  if (!b) return a;
  return { crm: b.crm, revs: { ...a.revs, ...b.revs } };
}

/** The least trusted revision's state. */
export function worstTrust(team: NonNullable<DispositionRecord['team']>): DispositionRecord['trust'] {
  let worst: DispositionRecord['trust'];
  for (const { trust } of Object.values(team.revs)) if (!worst || TRUST_RANK[trust.state] > TRUST_RANK[worst]) worst = trust.state;
  return worst;
}

export class StaleRevisionError extends Error {
  constructor(readonly dispositionId: string) {
    super(t.staleRevision);
    this.name = 'StaleRevisionError';
  }
}

/** The disposition's revisions, oldest first. */
export function revisionsOf(store: Store, dispositionId: string): Promise<Revision[]> {
  const db = tablesOf(store);
  return db.revisions.where('dispositionId').equals(dispositionId).sortBy('rev');
}

/**
 * Stores whole histories as they are (rows and their revisions), in one transaction: for demo data and
 * benches, which make them with the same `dispositionRow`; nothing is queued for the CRM.
 */
export function putHistories(store: Store, rows: readonly DispositionRecord[], revisions: readonly Revision[]): Promise<void> {
  const db = tablesOf(store);
  return db.transaction('rw', db.dispositions, db.revisions, async () => {
    await db.revisions.bulkPut(revisions as Revision[]);
    await db.dispositions.bulkPut(rows as DispositionRecord[]);
  });
}

/** One revision of a disposition, if stored. */
export function revisionOf(store: Store, dispositionId: string, rev: number): Promise<Revision | undefined> {
  const db = tablesOf(store);
  return db.revisions.get([dispositionId, rev]);
}

/** The latest disposition of a lead, if any. */
export async function latestDispositionOf(store: Store, leadKey: string): Promise<DispositionRecord | undefined> {
  const db = tablesOf(store);
  const rows = await db.dispositions.where('leadKey').equals(leadKey).toArray();
  return rows.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).at(-1);
}

export type { NoteBlock };
