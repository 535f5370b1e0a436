import Dexie, { type EntityTable, type Table } from 'dexie';
import type {
  DispositionRecord,
  DraftRecord,
  LeadRecord,
  OutboxRecord,
  RevisionRecord,
  ReviewRecord,
  SettingRecord,
  SyncLogRecord,
} from './records';

/**
 * The local store. Opened only in the background service worker and in top-level extension pages
 * (options, dashboard): never in a content script (the CRM site's origin) nor in the panel iframe
 * (third-party storage can be denied there). Every schema change is a new `version()` with an upgrade
 * that keeps existing rows; `test/store/migrations.test.ts` opens a version-1 database with this code.
 */
export const DB_NAME = 'lead-qualifier';

/** Version 1: the first schema shipped. Kept verbatim: Dexie needs it to upgrade old databases. */
export const SCHEMA_V1 = {
  leads: 'key, updatedAt',
  drafts: 'key, updatedAt',
  dispositions: 'id, leadKey, repId, outcome, reasonCode, decidedAt, day, source, campaign, score, frameworkId, sync',
  revisions: '[dispositionId+rev], dispositionId, at',
  outbox: 'key, state, nextAt, dispositionId',
  syncLog: '++id, at, key, dispositionId',
  settings: 'key',
};

/**
 * Version 2: manager reviews; score bands and SLA state as indexed columns; compound indexes so the
 * dashboard's common filters (rep, outcome, reason within a date range) stay index-only at 100k rows.
 */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  dispositions:
    'id, leadKey, repId, outcome, reasonCode, decidedAt, day, source, campaign, score, scoreBand, frameworkId, slaState, sync, origin, updatedAt, [repId+decidedAt], [outcome+decidedAt], [reasonCode+decidedAt]',
  outbox: 'key, state, nextAt, dispositionId, [state+nextAt]',
  reviews: 'id, dispositionId, at',
};

export const bandOf = (score: number) => Math.min(80, Math.max(0, Math.floor(score / 20) * 20));

export class LeadQualifierDb extends Dexie {
  leads!: EntityTable<LeadRecord, 'key'>;
  drafts!: EntityTable<DraftRecord, 'key'>;
  dispositions!: EntityTable<DispositionRecord, 'id'>;
  revisions!: Table<RevisionRecord, [string, number]>;
  outbox!: EntityTable<OutboxRecord, 'key'>;
  syncLog!: EntityTable<SyncLogRecord, 'id'>;
  settings!: EntityTable<SettingRecord, 'key'>;
  reviews!: EntityTable<ReviewRecord, 'id'>;

  constructor(name = DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade(async (tx) => {
        // Rows written by version 1 had no band, SLA state or origin: derive them, keep everything else.
        await tx
          .table<DispositionRecord>('dispositions')
          .toCollection()
          .modify((row) => {
            row.scoreBand ??= bandOf(row.score ?? 0);
            row.slaState ??= 'unknown';
            row.origin ??= 'local';
            row.updatedAt ??= row.decidedAt;
          });
      });
  }
}

let shared: LeadQualifierDb | undefined;

/** The one database of this extension page or worker. */
export function openDb(): LeadQualifierDb {
  shared ??= new LeadQualifierDb();
  return shared;
}

/** What a storage failure means for the person using the product, without losing anything stored. */
export function storageErrorMessage(error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? '';
  const inner = (error as { inner?: { name?: string } } | null)?.inner?.name ?? '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return 'This device is out of storage space for the extension. Free some disk space; nothing saved so far is lost.';
  }
  if (name === 'VersionError' || name === 'UpgradeError' || name === 'DatabaseClosedError' || name === 'BlockedError') {
    return 'The extension’s storage is being upgraded in another window. Close other extension tabs (dashboard, options) and try again; nothing is lost.';
  }
  if (name === 'DataError' || name === 'DataCloneError' || name === 'ConstraintError') {
    return 'A stored record could not be read or written. Nothing saved so far is lost; reload the page and try again.';
  }
  return `The extension’s storage failed (${name || 'unknown error'}). Nothing saved so far is lost; try again.`;
}
