import { CrmError, type CrmApiModule } from '../crm/api';
import type { QualificationConfig } from '../domain/config';
import { parseDispositionNote, type NoteBlock } from '../domain/note-format';
import { dispositionDeadline } from '../domain/sla';
import { bandOf, type LeadQualifierDb } from '../store/db';
import type { DispositionRecord } from '../store/records';
import type { ConnectionStore } from './connections';
import { backgroundStrings as t } from '../i18n/background';

/**
 * Imports the team's decisions from the CRM: the notes/tasks that sync wrote (ours and other reps'),
 * recognised by their structured block. One page per step, so the dashboard shows progress; the position
 * is saved after every page, so an interrupted import resumes, and a later import continues where the
 * last one ended (re-reading its last page, which the note ids dedupe). Decisions this browser made are
 * kept as they are (it has their full history); blocks that don't parse are counted, never guessed at.
 */

export interface ImportProgress {
  crm: string;
  pages: number;
  notes: number;
  imported: number;
  /** Decisions made on this device (full history here already). */
  skippedLocal: number;
  /** Notes whose block is missing or broken (edited in the CRM?). */
  invalid: number;
  done: boolean;
  cursor?: string;
  /** The cursor of the page being read, to re-read it next time. */
  pageCursor?: string;
  lastRunAt?: string;
  problem?: string;
}

export interface ImportDeps {
  db: LeadQualifierDb;
  connections: ConnectionStore;
  modules: (crm: string) => CrmApiModule | undefined;
  fetch: typeof fetch;
  now: () => number;
  config: () => Promise<QualificationConfig>;
}

const keyOf = (crm: string) => `import:${crm}`;

export async function importProgress(db: LeadQualifierDb, crm: string): Promise<ImportProgress> {
  const row = await db.settings.get(keyOf(crm));
  return (row?.value as ImportProgress | undefined) ?? { crm, pages: 0, notes: 0, imported: 0, skippedLocal: 0, invalid: 0, done: false };
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

/** Reads one page of the CRM's notes and stores the decisions in it. */
export async function importStep(deps: ImportDeps, crm: string): Promise<ImportProgress> {
  const { db } = deps;
  const progress = await importProgress(db, crm);
  const module = deps.modules(crm);
  const connection = await deps.connections.get(crm);
  const at = new Date(deps.now()).toISOString();
  const save = async (p: ImportProgress) => {
    await db.settings.put({ key: keyOf(crm), value: p });
    return p;
  };
  if (!module?.create || !connection) return save({ ...progress, problem: t.import.notConnected(module?.label ?? crm) });
  const api = module.create(connection, { fetch: deps.fetch, now: deps.now, onCredentials: (c) => deps.connections.setCredentials(crm, c) });
  if (!api.importNotes) return save({ ...progress, done: true, problem: t.import.unsupported(module.label) });

  // A finished import starts again from its last page: new notes come after it.
  const cursor = progress.done ? progress.pageCursor : progress.cursor;
  let page;
  try {
    page = await api.importNotes(cursor);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'auth') await deps.connections.setState(crm, 'expired');
    return save({ ...progress, done: false, cursor, lastRunAt: at, problem: e instanceof Error ? e.message : String(e) });
  }
  const config = await deps.config();
  let { imported, skippedLocal, invalid } = progress;
  await db.transaction('rw', [db.dispositions, db.revisions], async () => {
    for (const note of page.notes) {
      const parsed = parseDispositionNote(note.body);
      if (!parsed.ok) {
        invalid += 1;
        continue;
      }
      const block = parsed.block;
      if ((await db.revisions.where('dispositionId').equals(block.dispositionId).count()) > 0) {
        skippedLocal += 1;
        continue;
      }
      const existing = await db.dispositions.get(block.dispositionId);
      const history = existing?.imported ?? { crm, blocks: [], noteIds: [], importedAt: at };
      if (history.noteIds.includes(note.noteId)) continue;
      const blocks = [...history.blocks.filter((b) => b.rev !== block.rev), block];
      await db.dispositions.put(importedRow(blocks, [...history.noteIds, note.noteId], crm, config, at));
      imported += 1;
    }
  });
  return save({
    crm,
    pages: progress.pages + 1,
    notes: progress.notes + page.notes.length,
    imported,
    skippedLocal,
    invalid,
    done: !page.cursor,
    cursor: page.cursor,
    pageCursor: cursor,
    lastRunAt: at,
  });
}
