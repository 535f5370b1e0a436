import type { QualificationConfig } from '../domain/config';
import type { NoteBlock } from '../domain/note-format';
import { dispositionDeadline } from '../domain/sla';
import { bandOf } from './db';
import type { DispositionRecord } from './records';
import { tablesOf, type Store } from './store';

/**
 * Decisions read back from the CRM's notes (the dashboard's import). A disposition made on this device
 * keeps its own revisions and is never overwritten by an import; an imported one gathers its blocks,
 * one per revision, with the ids of the notes they came from, so reading a note twice changes nothing.
 */

export interface ImportedNote {
  noteId: string;
  block: NoteBlock;
}

/** The dashboard row an imported history stands for (its latest block). */
export function importedRow(blocks: NoteBlock[], noteIds: string[], crm: string, config: Pick<QualificationConfig, 'sla'>, importedAt: string): DispositionRecord {
  const sorted = [...blocks].sort((a, b) => a.rev - b.rev);
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  const sla = dispositionDeadline({ firstContactAt: last.firstContactAt, decidedAt: first.at }, config.sla, Date.parse(first.at));
  return {
    id: last.dispositionId,
    leadKey: `${crm}:imported:${last.recordId}`,
    crm,
    recordId: last.recordId,
    leadName: last.leadName ?? '',
    company: last.company ?? '',
    repId: last.author.id,
    repName: last.author.name,
    outcome: last.outcome,
    reasonCode: last.outcome === 'reject' ? (last.reasonCode ?? '') : '',
    rev: last.rev,
    decidedAt: first.at,
    day: first.at.slice(0, 10),
    updatedAt: last.at,
    source: last.source ?? '',
    campaign: last.campaign ?? '',
    score: last.score,
    fit: last.fit,
    engagement: last.engagement,
    scoreBand: bandOf(last.score),
    frameworkId: last.frameworkId,
    slaState: sla?.state ?? 'unknown',
    mqlAt: last.mqlAt,
    firstContactAt: last.firstContactAt,
    previousOutcomes: sorted.slice(0, -1).map((b) => b.outcome),
    noteSearch: last.note.toLowerCase(),
    origin: 'imported',
    sync: 'imported',
    imported: { crm, blocks: sorted, noteIds, importedAt },
  };
}

/** Stores the decisions in one page of notes, in one transaction. */
export async function storeImportedNotes(
  store: Store,
  notes: readonly ImportedNote[],
  from: { crm: string; config: Pick<QualificationConfig, 'sla'>; importedAt: string },
): Promise<{ imported: number; skippedLocal: number }> {
  const db = tablesOf(store);
  let imported = 0;
  let skippedLocal = 0;
  await db.transaction('rw', [db.dispositions, db.revisions], async () => {
    for (const { noteId, block } of notes) {
      if ((await db.revisions.where('dispositionId').equals(block.dispositionId).count()) > 0) {
        skippedLocal += 1;
        continue;
      }
      const history = (await db.dispositions.get(block.dispositionId))?.imported;
      if (history?.noteIds.includes(noteId)) continue;
      const blocks = [...(history?.blocks ?? []).filter((b) => b.rev !== block.rev), block];
      await db.dispositions.put(importedRow(blocks, [...(history?.noteIds ?? []), noteId], from.crm, from.config, from.importedAt));
      imported += 1;
    }
  });
  return { imported, skippedLocal };
}
