import { CrmError, type CrmApiModule } from '../crm/api';
import type { QualificationConfig } from '../domain/config';
import { messageOf } from '../domain/errors';
import { parseDispositionNote } from '../domain/note-format';
import type { Store } from '../store/store';
import { storeImportedNotes, type ImportedNote } from '../store/imported';
import { readSetting, writeSetting } from '../store/settings';
import type { ConnectionStore } from './connections';
import { createCrmFetch, type CrmFetch } from './crm-fetch';
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
  db: Store;
  connections: ConnectionStore;
  modules: (crm: string) => CrmApiModule | undefined;
  fetch: typeof fetch;
  /** The background's one CRM fetch (a limiter per connection, shared with the sync loop and lead reads). */
  crmFetch?: CrmFetch;
  now: () => number;
  config: () => Promise<QualificationConfig>;
}

const keyOf = (crm: string) => `import:${crm}`;

export async function importProgress(db: Store, crm: string): Promise<ImportProgress> {
  return ((await readSetting(db, keyOf(crm))) as ImportProgress | undefined) ?? { crm, pages: 0, notes: 0, imported: 0, skippedLocal: 0, invalid: 0, done: false };
}

/** Reads one page of the CRM's notes and stores the decisions in it. */
export async function importStep(deps: ImportDeps, crm: string): Promise<ImportProgress> {
  const { db } = deps;
  const progress = await importProgress(db, crm);
  const module = deps.modules(crm);
  const connection = await deps.connections.get(crm);
  const at = new Date(deps.now()).toISOString();
  const save = async (p: ImportProgress) => {
    await writeSetting(db, keyOf(crm), p);
    return p;
  };
  if (!module?.create || !connection) return save({ ...progress, problem: t.import.notConnected(module?.label ?? crm) });
  const limited = (deps.crmFetch ?? createCrmFetch({ fetch: deps.fetch, now: deps.now })).forConnection(module, connection).fetch;
  const api = module.create(connection, { fetch: limited, now: deps.now, onCredentials: (c) => deps.connections.setCredentials(crm, c) });
  if (!api.importNotes) return save({ ...progress, done: true, problem: t.import.unsupported(module.label) });

  // A finished import starts again from its last page: new notes come after it.
  const cursor = progress.done ? progress.pageCursor : progress.cursor;
  let page;
  try {
    page = await api.importNotes(cursor);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'auth') await deps.connections.setState(crm, 'expired');
    return save({ ...progress, done: false, cursor, lastRunAt: at, problem: messageOf(e) });
  }
  const config = await deps.config();
  let { imported, skippedLocal, invalid } = progress;
  const found: ImportedNote[] = [];
  for (const note of page.notes) {
    const parsed = parseDispositionNote(note.body);
    if (parsed.ok) found.push({ noteId: note.noteId, block: parsed.block });
    else invalid += 1;
  }
  const stored = await storeImportedNotes(db, found, { crm, config, importedAt: at });
  imported += stored.imported;
  skippedLocal += stored.skippedLocal;
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
