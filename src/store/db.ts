import Dexie, { type DBCore, type EntityTable, type Middleware, type Table } from 'dexie';
import type {
  CacheRecord,
  CallDraftRecord,
  CallRecord,
  DispositionRecord,
  DraftRecord,
  LeadRecord,
  OutboxRecord,
  RevisionRecord,
  ReviewRecord,
  SettingRecord,
  SyncLogRecord,
} from './records';
import type { Store } from './store';

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

/**
 * Version 3: every disposition carries `storedAt`, stamped by the store on each write (see
 * `stampDispositions`), indexed so a cache of the table can tell which rows changed since it was made;
 * and `caches`, for such caches (the dashboard's row summaries). Caches can always be rebuilt.
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  dispositions: `${SCHEMA_V2.dispositions}, storedAt`,
  caches: 'key',
};

/**
 * Version 4: call mode (ADR 19). `callDrafts`: the call in progress on a lead (one per lead, autosaved on
 * every line); `calls`: logged calls, each queued for the CRM in the transaction that logs it. New tables
 * only: existing rows are untouched.
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  callDrafts: 'leadKey, callId',
  calls: 'callId, leadKey, startedAt',
};

/** A new `storedAt` for each write: the time, plus a random fraction so two writes in the same millisecond differ. */
export const newStamp = () => Date.now() + Math.random();

export const bandOf = (score: number) => Math.min(80, Math.max(0, Math.floor(score / 20) * 20));

export class LeadQualifierDb extends Dexie implements Store {
  declare readonly __store: 'lead-qualifier-store';
  leads!: EntityTable<LeadRecord, 'key'>;
  drafts!: EntityTable<DraftRecord, 'key'>;
  dispositions!: EntityTable<DispositionRecord, 'id'>;
  revisions!: Table<RevisionRecord, [string, number]>;
  outbox!: EntityTable<OutboxRecord, 'key'>;
  syncLog!: EntityTable<SyncLogRecord, 'id'>;
  settings!: EntityTable<SettingRecord, 'key'>;
  reviews!: EntityTable<ReviewRecord, 'id'>;
  caches!: EntityTable<CacheRecord, 'key'>;
  callDrafts!: EntityTable<CallDraftRecord, 'leadKey'>;
  calls!: EntityTable<CallRecord, 'callId'>;

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
    this.version(3)
      .stores(SCHEMA_V3)
      .upgrade(async (tx) => {
        await tx
          .table<DispositionRecord>('dispositions')
          .toCollection()
          .modify((row) => {
            row.storedAt = newStamp();
          });
      });
    this.version(4).stores(SCHEMA_V4);
    this.use(stampDispositions);
  }
}

/**
 * Stamps every disposition written, whoever writes it (saves, sync state, imports, the seed), with a
 * new `storedAt`. Below Dexie's API, so `put`, `bulkPut`, `update` and `modify` all pass through here.
 */
const stampDispositions: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'stamp-dispositions',
  create: (down) => ({
    ...down,
    table: (name) => {
      const table = down.table(name);
      if (name !== 'dispositions') return table;
      return {
        ...table,
        mutate: (req) =>
          table.mutate(req.type === 'add' || req.type === 'put' ? { ...req, values: req.values.map((v: DispositionRecord) => ({ ...v, storedAt: newStamp() })) } : req),
      };
    },
  }),
};
