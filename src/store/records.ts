import type { Author, Outcome, Revision } from '../domain/dispositions';
import type { Checklist } from '../domain/frameworks';
import type { LeadProfile } from '../domain/lead';
import type { PageReading } from '../domain/lead-identity';
import type { NoteBlock } from '../domain/note-format';
import type { TeamDecision, TeamReview, Trust, TrustState } from '../domain/team-record';
import type { SlaState } from '../domain/sla';
import type { LeadRef } from '../domain/lead-ref';
import type { CallDraft, LoggedCall } from '../domain/calls';

/**
 * The rows the local store keeps (IndexedDB through Dexie, extension origin only). Plain data: no
 * Dates, no classes, so rows survive structured cloning and messages unchanged.
 */

/** Last read profile of a lead (from the page and the CRM's API), for working offline. */
export interface LeadRecord {
  /** `leadKey(ref)`. */
  key: string;
  ref: LeadRef;
  profile: LeadProfile;
  /** When the API last answered for this lead; undefined = only the page was read. */
  fetchedAt?: string;
  /** Why the last API read failed, shown in the panel ("Showing what the page shows: …"). */
  fetchError?: string;
  /**
   * What the page showed at its last report. Once the API has answered (`fetchedAt`), the profile's
   * name, company, title, email and status are the API's, and this is compared with them (ADR 15).
   */
  pageSaid?: PageReading;
  /** The lead's decisions and reviews as the CRM holds them (every rep's), last read for the panel. */
  team?: LeadTeamRecord;
  updatedAt: string;
}

/** What the CRM said about a lead's qualification history, when it last answered (kept for offline use). */
export interface LeadTeamRecord {
  decisions: TeamDecision[];
  reviews: TeamReview[];
  /** The record's status in the CRM at that time. */
  status?: string;
  readAt?: string;
  /** Why the last read failed (the previous answer, if any, stays). */
  problem?: string;
}

/** The rep's work in progress on a lead: checklist, questions asked, the unsaved form. Autosaved. */
export interface DraftRecord {
  key: string;
  checklist: Checklist;
  askedQuestions: string[];
  form: Record<string, unknown> | null;
  updatedAt: string;
}

export type SyncState = 'saved_locally' | 'synced' | 'needs_attention';

/**
 * One disposition as the manager's dashboard lists it: the latest revision, flattened into indexed
 * columns. The revisions table keeps the full history; this row is rewritten on every revision.
 */
export interface DispositionRecord {
  id: string;
  leadKey: string;
  crm: string;
  recordId: string;
  /** Link to the record in the CRM. */
  url?: string;
  /** The CRM's object type and account of the record (imported rows: from the note; for reviews' write-back). */
  objectType?: string;
  account?: string;
  leadName: string;
  company: string;
  repId: string;
  repName: string;
  outcome: Outcome;
  /** '' unless rejected. */
  reasonCode: string;
  /** Latest revision number. */
  rev: number;
  /** First decision (ISO) and its calendar day (UTC, YYYY-MM-DD), for date-range filters. */
  decidedAt: string;
  day: string;
  /** Latest revision (ISO). */
  updatedAt: string;
  /** '' when unknown. */
  source: string;
  campaign: string;
  score: number;
  fit: number;
  engagement: number;
  /** Lower bound of the score's band: 0, 20, 40, 60, 80. */
  scoreBand: number;
  frameworkId: string;
  /** The disposition SLA at decision time (first contact → decision). */
  slaState: SlaState | 'unknown';
  mqlAt?: string;
  firstContactAt?: string;
  /** Outcomes of earlier revisions, oldest first ("SQL later disqualified"). */
  previousOutcomes: Outcome[];
  /** The latest note, lower-cased, for search. */
  noteSearch: string;
  /** Made on this device, or imported from the CRM's notes. */
  origin: 'local' | 'imported';
  sync: SyncState | 'imported';
  syncMessage?: string;
  /** Imported rows only: the structured blocks found in the CRM, one per revision, oldest first. */
  imported?: ImportedHistory;
  /** The team config's version the latest revision was made under (absent before it was recorded). */
  configVersion?: number;
  /** What the engine recommended for the latest revision (`sql`, `nurture`, `disqualify`). */
  recommended?: string;
  /** The rep decided otherwise than recommended (accept vs SQL, reject vs disqualify, recycle vs nurture). */
  override?: boolean;
  /** Revisions read from the CRM: how far each can be trusted (see `src/domain/team-record.ts`). */
  team?: { crm: string; revs: Record<number, { noteId: string; trust: Trust }> };
  /** The least trusted of `team`'s revisions; absent when every revision was made on this device. */
  trust?: TrustState;
  /** Set by the store on every write (never by callers): a new value means the row changed. */
  storedAt?: number;
}

export interface ImportedHistory {
  crm: string;
  /** Version 1 notes only (summaries); version 2 notes carry whole revisions, stored as revisions. */
  blocks: NoteBlock[];
  /** The CRM's note/task ids the blocks came from (dedupes re-reads). */
  noteIds: string[];
  importedAt: string;
}

/** Each revision as the engine made it (hash-chained). Primary key [dispositionId+rev]. */
export type RevisionRecord = Revision;

export type OutboxState = 'pending' | 'failed' | 'expired' | 'done';

/**
 * A write-back waiting for the CRM. Written in the same transaction as its revision. `unsure` is set
 * before each attempt and cleared when the CRM answers definitively, so after a killed worker or a
 * timeout the next attempt looks for the key before creating anything.
 */
export interface OutboxRecord {
  /** The idempotency key (`WriteBack.key`). */
  key: string;
  dispositionId: string;
  rev: number;
  crm: string;
  /** The lead. What is sent is built at send time from the revision, the config and the mapping, so a
   * fixed mapping applies on retry; the key (from the revision's hash) stays the same. */
  ref: LeadRef;
  /** Set for a manager's review (a note only); absent for a revision of the decision. */
  reviewId?: string;
  /**
   * Set for a logged call (`src/store/calls.ts`): the CRM gets a call activity, nothing else. Its
   * `dispositionId` is `call:<callId>` (no disposition: the loop orders and logs by that id) and `rev` 1.
   */
  callId?: string;
  /** Done without a write: the CRM's connector cannot log calls (shown as "not supported", not an error). */
  unsupported?: boolean;
  state: OutboxState;
  attempts: number;
  /** Epoch ms before which the loop leaves it alone (backoff, Retry-After). */
  nextAt: number;
  unsure: boolean;
  /**
   * The status/reason update definitely landed in an earlier attempt (its note did not): retries send
   * the note alone, so each field is written once.
   */
  statusDone?: boolean;
  lastError?: string;
  lastStatus?: number;
  createdAt: string;
  updatedAt: string;
}

/** The call in progress on a lead (ADR 19): one per lead, written on every line, kept until it is logged or discarded. */
export interface CallDraftRecord extends CallDraft {
  leadKey: string;
  ref: LeadRef;
  updatedAt: string;
}

/** A logged call: stored with its outbox entry in one transaction; the CRM receives it once. */
export interface CallRecord extends LoggedCall {
  leadKey: string;
  ref: LeadRef;
  /** When it was stored (ISO). */
  loggedAt: string;
}

export interface SyncLogRecord {
  id?: number;
  at: string;
  key: string;
  dispositionId: string;
  event: 'attempt' | 'synced' | 'found_existing' | 'retry' | 'failed' | 'expired' | 'requeued' | 'unsupported';
  detail?: string;
}

/** A manager's verdict on a rejection ("Review the last 50 rejections"). */
export interface ReviewRecord {
  id: string;
  dispositionId: string;
  reviewerId: string;
  reviewerName: string;
  verdict: 'agree' | 'disagree';
  comment: string;
  at: string;
  /** The revision reviewed (absent on reviews saved before it was recorded). */
  rev?: number;
  /** The reviewer as their CRM names them (absent on older reviews and typed names). */
  reviewer?: Author;
  /** Read from the CRM (another manager's review, or this one's from another browser). */
  team?: { crm: string; noteId: string; trust: Trust };
}

/** A cache the store can rebuild from its tables at any time (e.g. the dashboard's row summaries). */
export interface CacheRecord {
  key: string;
  /** The cache's own format version: a cache of another format is rebuilt, not read. */
  format: number;
  savedAt: string;
  value: unknown;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}
