import type { Mapping, WriteBack } from '../crm/api';
import type { LeadRef } from '../crm/types';
import type { QualificationConfig } from '../domain/config';
import type { Decision, Revision } from '../domain/dispositions';
import { formatDispositionNote, idempotencyKey, type NoteBlock } from '../domain/note-format';
import { dispositionDeadline } from '../domain/sla';
import { bandOf, type LeadQualifierDb } from './db';
import type { DispositionRecord, OutboxRecord, SyncState } from './records';
import { backgroundStrings as t } from '../i18n/background';

/**
 * Saving a disposition: the revision, the dashboard's row and the outbox entry are written in ONE
 * IndexedDB transaction, so a decision is either fully saved and queued for the CRM, or not at all.
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
    origin: context.origin,
    sync: context.sync,
    syncMessage: context.syncMessage,
  };
}

function mappedReason(decision: Decision, mapping: Mapping, config: Pick<QualificationConfig, 'reasonCodes'>): string | undefined {
  if (!mapping.reasonField) return undefined;
  if (decision.outcome !== 'reject') return '';
  return mapping.reasons[decision.reasonCode] ?? config.reasonCodes.find((r) => r.code === decision.reasonCode)?.label ?? decision.reasonCode;
}

/** What the CRM receives for a revision, under the team's mapping. */
export function writeBackFor(
  revision: Revision,
  ref: LeadRef,
  mapping: Mapping,
  config: Pick<QualificationConfig, 'reasonCodes' | 'nextSteps' | 'frameworks'>,
  noteMaxChars: number,
): WriteBack {
  const note = formatDispositionNote(revision, config, noteMaxChars);
  return {
    key: idempotencyKey(revision),
    ref,
    status: mapping.status[revision.decision.outcome],
    reason: mappedReason(revision.decision, mapping, config),
    note: { ...note, at: revision.at, author: revision.author.name },
  };
}

export interface SaveRevisionInput {
  revision: Revision;
  leadKey: string;
  ref: LeadRef;
  config: QualificationConfig;
  now: string;
}

/**
 * Appends a revision and queues its write-back, atomically. Refuses a revision that does not follow the
 * stored chain (another tab saved first): the caller reloads and the rep sees the newer decision.
 */
export async function saveRevision(db: LeadQualifierDb, input: SaveRevisionInput): Promise<DispositionRecord> {
  const { revision, now } = input;
  return db.transaction('rw', [db.revisions, db.dispositions, db.outbox, db.drafts], async () => {
    const previous = await db.revisions.where('dispositionId').equals(revision.dispositionId).sortBy('rev');
    const last = previous.at(-1);
    if ((last?.rev ?? 0) + 1 !== revision.rev || (last?.hash ?? null) !== revision.prevHash) {
      throw new StaleRevisionError(revision.dispositionId);
    }
    await db.revisions.add(revision);
    const sync: SyncState = 'saved_locally';
    const row = dispositionRow([...previous, revision], { leadKey: input.leadKey, url: input.ref.url, config: input.config, origin: 'local', sync });
    await db.dispositions.put(row);
    const entry: OutboxRecord = {
      key: idempotencyKey(revision),
      dispositionId: revision.dispositionId,
      rev: revision.rev,
      crm: input.ref.crm,
      ref: input.ref,
      state: 'pending',
      attempts: 0,
      nextAt: 0,
      unsure: false,
      createdAt: now,
      updatedAt: now,
    };
    await db.outbox.add(entry);
    // The form was saved: the draft's form part is done; the checklist stays for the next revision.
    await db.drafts.where('key').equals(input.leadKey).modify((d) => {
      d.form = null;
      d.updatedAt = now;
    });
    return row;
  });
}

export class StaleRevisionError extends Error {
  constructor(readonly dispositionId: string) {
    super(t.staleRevision);
    this.name = 'StaleRevisionError';
  }
}

/** The disposition's revisions, oldest first. */
export function revisionsOf(db: LeadQualifierDb, dispositionId: string): Promise<Revision[]> {
  return db.revisions.where('dispositionId').equals(dispositionId).sortBy('rev');
}

/** The latest disposition of a lead, if any. */
export async function latestDispositionOf(db: LeadQualifierDb, leadKey: string): Promise<DispositionRecord | undefined> {
  const rows = await db.dispositions.where('leadKey').equals(leadKey).toArray();
  return rows.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).at(-1);
}

export type { NoteBlock };
