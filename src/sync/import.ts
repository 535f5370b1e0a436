import { CrmError } from '../crm/api';
import type { QualificationConfig } from '../domain/config';
import { messageOf } from '../domain/errors';
import { readTeamRecord } from '../domain/team-record';
import type { Store } from '../store/store';
import { storeTeamRecord, type RefusedNote } from '../store/team';
import { readSetting, writeSetting } from '../store/settings';
import type { CrmReadDeps } from './connections';
import { credentialDeps } from './token-refresh';
import { createCrmFetch } from './crm-fetch';
import { backgroundStrings as t } from '../i18n/background';

/**
 * Imports the team's decisions and reviews from the CRM: the notes/tasks that sync wrote (every rep's),
 * recognised by their marker, checked against the CRM's own record of who wrote them and where
 * (`src/domain/team-record.ts`). One page per step, so the dashboard shows progress; the position is
 * saved after every page, so an interrupted import resumes. A finished import remembers when it started:
 * the next one asks the CRM only for notes changed since then (less a margin for the CRM's search
 * index), so importing again costs what changed, not the whole history. Counts are per run and honest:
 * new decisions, new revisions of known ones, unchanged, refused (flagged or conflicting), unreadable.
 */

export interface ImportProgress {
  crm: string;
  pages: number;
  notes: number;
  newDecisions: number;
  newRevisions: number;
  unchanged: number;
  refused: number;
  reviews: number;
  /** Notes whose data is missing or broken (edited in the CRM?). */
  unreadable: number;
  /** Why notes were refused (the first few of this run). */
  refusedNotes: RefusedNote[];
  done: boolean;
  cursor?: string;
  /** When this run started; becomes `since` once it is done. */
  runStartedAt?: string;
  /** The next run reads notes changed at or after this (ISO). */
  since?: string;
  lastRunAt?: string;
  problem?: string;
}

export interface ImportDeps extends CrmReadDeps {
  config: () => Promise<QualificationConfig>;
}

const keyOf = (crm: string) => `import:${crm}`;
/** How far back the next run looks before the last run's start: CRM search indexes lag behind writes. */
const INDEX_MARGIN_MS = 10 * 60_000;
const REFUSED_KEPT = 50;

const freshRun = (crm: string, since: string | undefined, at: string): ImportProgress => ({
  crm,
  pages: 0,
  notes: 0,
  newDecisions: 0,
  newRevisions: 0,
  unchanged: 0,
  refused: 0,
  reviews: 0,
  unreadable: 0,
  refusedNotes: [],
  done: false,
  since,
  runStartedAt: at,
});

export async function importProgress(db: Store, crm: string): Promise<ImportProgress> {
  const stored = (await readSetting(db, keyOf(crm))) as Partial<ImportProgress> | undefined;
  // Progress saved by an older version has other counters: start a fresh run from it.
  if (!stored || typeof stored.newDecisions !== 'number') return { ...freshRun(crm, undefined, ''), runStartedAt: undefined };
  return stored as ImportProgress;
}

/** Reads one page of the CRM's notes and stores the decisions and reviews in it. */
export async function importStep(deps: ImportDeps, crm: string): Promise<ImportProgress> {
  const { db } = deps;
  const stored = await importProgress(db, crm);
  const at = new Date(deps.now()).toISOString();
  // A finished (or never started) run: a new one, from where the last one's changes start.
  const progress = stored.done || !stored.runStartedAt ? freshRun(crm, stored.done ? stored.since : undefined, at) : stored;
  const module = deps.modules(crm);
  const connection = await deps.connections.get(crm);
  const save = async (p: ImportProgress) => {
    await writeSetting(db, keyOf(crm), p);
    return p;
  };
  if (!module?.create || !connection) return save({ ...progress, problem: t.import.notConnected(module?.label ?? crm) });
  const limited = (deps.crmFetch ?? createCrmFetch({ fetch: deps.fetch, now: deps.now })).forConnection(module, connection).fetch;
  const api = module.create(connection, { fetch: limited, now: deps.now, ...credentialDeps(deps.connections, connection) });
  if (!api.importNotes) return save({ ...progress, done: true, problem: t.import.unsupported(module.label) });

  let page;
  try {
    page = await api.importNotes(progress.cursor, progress.since ? { since: progress.since } : undefined);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'auth') await deps.connections.setState(crm, 'expired');
    return save({ ...progress, lastRunAt: at, problem: messageOf(e) });
  }
  const config = await deps.config();
  const team = readTeamRecord(page.notes, crm);
  const stored2 = await storeTeamRecord(db, team, { crm, config, importedAt: at });
  const done = !page.cursor;
  return save({
    ...progress,
    pages: progress.pages + 1,
    notes: progress.notes + page.notes.length,
    newDecisions: progress.newDecisions + stored2.newDecisions,
    newRevisions: progress.newRevisions + stored2.newRevisions,
    unchanged: progress.unchanged + stored2.unchanged,
    refused: progress.refused + stored2.refused,
    reviews: progress.reviews + stored2.reviews,
    unreadable: progress.unreadable + team.unreadable.length,
    refusedNotes: [...progress.refusedNotes, ...stored2.refusedNotes].slice(0, REFUSED_KEPT),
    done,
    cursor: page.cursor,
    since: done ? new Date(Date.parse(progress.runStartedAt ?? at) - INDEX_MARGIN_MS).toISOString() : progress.since,
    lastRunAt: at,
    problem: undefined,
  });
}
