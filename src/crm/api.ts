import { z } from 'zod';
import type { LeadProfileInput } from '../domain/lead';
import type { LeadRef } from '../domain/lead-ref';
import type { CallOutcome } from '../domain/calls';

/**
 * What every CRM's API module provides: `src/crm/<name>/api.ts`, default export a `CrmApiModule`.
 * These run in the background service worker only (tokens and API calls never leave it). The sync
 * loop (`src/sync`) owns retries, backoff, rate limiting and idempotency bookkeeping; a module only
 * speaks its CRM's HTTP dialect and says, per item, what happened.
 */

/** Credentials for one connected CRM account. Kept in the background's storage only. */
export const credentialsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), token: z.string().min(1).max(4000) }),
  z.object({
    kind: z.literal('oauth'),
    accessToken: z.string().min(1).max(4000),
    refreshToken: z.string().max(4000).optional(),
    /** Where refresh requests go, e.g. `https://login.salesforce.com/services/oauth2/token`. */
    tokenUrl: z.string().url(),
    clientId: z.string().min(1).max(400),
  }),
]);
export type Credentials = z.infer<typeof credentialsSchema>;

/**
 * How our outcomes and reason codes appear in the CRM. Defaults come from each module; teams edit them
 * on the options page. Empty `reasonField` = the reason only travels in the note/task.
 */
export const mappingSchema = z.object({
  /** CRM field holding the lead status (HubSpot `hs_lead_status`, Salesforce `Status`). */
  statusField: z.string().min(1).max(100),
  status: z.object({ accept: z.string().min(1).max(100), reject: z.string().min(1).max(100), recycle: z.string().min(1).max(100) }),
  /** CRM field for the rejection reason; '' = none. */
  reasonField: z.string().max(100),
  /** Our reason code → the CRM's value; codes not listed are sent as their label. */
  reasons: z.record(z.string().max(60), z.string().max(255)),
});
export type Mapping = z.infer<typeof mappingSchema>;

/**
 * A CRM user as the CRM itself names them (HubSpot user + owner, Salesforce User, a demo CRM user). The
 * author of every decision and review: read from the CRM when connecting, never typed by the page.
 */
export const crmUserSchema = z.object({
  /** The CRM's own user id (HubSpot user id, Salesforce User Id `005…`, demo user id). */
  id: z.string().min(1).max(200),
  name: z.string().max(200),
  email: z.string().max(320).optional(),
  /** HubSpot only: the owner id the CRM uses for records (`/crm/v3/owners`), when different from `id`. */
  ownerId: z.string().max(200).optional(),
});
export type CrmUser = z.infer<typeof crmUserSchema>;

export const connectionSchema = z.object({
  crm: z.string().min(1).max(40),
  /** API origin: `https://api.hubapi.com`, `https://acme.my.salesforce.com`, the demo CRM's origin. */
  apiBase: z.string().url(),
  /** The CRM account the credentials belong to (HubSpot portal id, Salesforce org id), once known. */
  account: z.string().max(200).optional(),
  /** A name for people, e.g. "HubSpot portal 4412345" or the org's name. */
  label: z.string().max(200),
  credentials: credentialsSchema,
  mapping: mappingSchema,
  connectedAt: z.string(),
  /** Who the credentials belong to (`CrmApi.whoAmI`), read when connecting; absent when the CRM cannot say. */
  user: crmUserSchema.optional(),
  /** When `whoAmI` last answered (with or without a user): absent = not asked yet. */
  userCheckedAt: z.string().optional(),
  /** `expired` after a 401 the module could not recover from: sync pauses until the rep reconnects. */
  state: z.enum(['connected', 'expired']),
});
export type Connection = z.infer<typeof connectionSchema>;

/** One disposition revision to deliver to the CRM: a status (and reason) change plus a note or task. */
export interface WriteBack {
  /**
   * Idempotency key: one alphanumeric token (`lq` + hex), unique per revision. The module embeds it in
   * what it creates (note body / task subject) so it can find an earlier attempt.
   */
  key: string;
  ref: LeadRef;
  /**
   * Mapped CRM values. `status` undefined = a note only (a manager's review, or a retry after an earlier
   * attempt's status update definitely landed: each field is written once), the record is left alone.
   * `reason` undefined = leave the CRM's reason field alone; '' = clear it.
   */
  status?: string;
  reason?: string;
  note: {
    /** One line, ≤255 characters, contains the key (Salesforce Task subject; first line of a note). */
    subject: string;
    /** Plain text, human-readable with a structured block (see `src/domain/note-format.ts`); contains the key. */
    body: string;
    /** When the decision was made (ISO). */
    at: string;
    author: string;
    /** The author as this CRM knows them (the connection's user), e.g. to make them the note's owner. */
    authorUser?: CrmUser;
  };
}

/**
 * One logged call to write to the CRM as a call activity (ADR 19): a HubSpot call, a Salesforce Task with
 * `TaskSubtype` Call, a demo CRM activity. Built by the sync loop at send time from the stored call.
 */
export interface CallWrite {
  /** Idempotency key (`lq` + hex, `callKey`): in the title and the body, so an earlier attempt can be found. */
  key: string;
  ref: LeadRef;
  outcome: CallOutcome;
  /** When the call started (ISO): the activity's time on the timeline. */
  startedAt: string;
  durationSec: number;
  /** One line, ≤255 characters, contains the key (HubSpot call title, Salesforce Task subject). */
  title: string;
  /** Plain text (each module converts to its CRM's format); contains the key. */
  body: string;
  /** Who logged it, as this CRM knows them (the connection's user), e.g. to make them the owner. */
  authorUser?: CrmUser;
}

export type ItemResult =
  | { key: string; ok: true; /** The id of the note/task the CRM holds (created now or found). */ noteId?: string }
  | {
      key: string;
      ok: false;
      /** true: retrying the same request cannot succeed (validation, record deleted, no permission). */
      permanent: boolean;
      /** HTTP status of the failing call, when there was one. */
      status?: number;
      /** The CRM's own words, for "Needs attention: …". */
      message: string;
      retryAfterMs?: number;
      /**
       * This item's status/reason update definitely landed in this call (the CRM answered 2xx for it)
       * although its note/task did not: the retry sends the note alone.
       */
      statusApplied?: boolean;
    };

/**
 * A failure of a whole request (not one item): thrown by module methods.
 * - `auth`: 401 / invalid session that a token refresh did not fix → connection expired, nothing dropped.
 * - `transient`: network error, timeout, 429, 5xx, Salesforce REQUEST_LIMIT_EXCEEDED → retry later.
 * - `permanent`: a 4xx that retrying cannot fix (malformed request, missing scope).
 * `applied` says whether the CRM may have applied the request anyway (timeout, 5xx, dropped connection):
 * the sync loop then marks the items "unsure" and the module checks for them before creating again.
 */
export class CrmError extends Error {
  constructor(
    readonly kind: 'auth' | 'transient' | 'permanent',
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; mayHaveApplied?: boolean; code?: string } = {},
  ) {
    super(message);
    this.name = 'CrmError';
  }
}

export interface ReadLeadResult {
  /** Fields and activities the scorer uses; absent fields stay unknown. */
  profile: Omit<LeadProfileInput, 'crm' | 'recordId'>;
}

/** A note/task carrying our structured block, read back for the dashboard's import and the panel's history. */
export interface ImportedNote {
  noteId: string;
  /** The record the CRM attaches the note/task to ('' when the association is gone). Never from the body. */
  recordId: string;
  /** Plain text (HTML converted by the module). */
  body: string;
  at: string;
  /**
   * Who created the note/task, from the CRM's own metadata (HubSpot `hs_created_by_user_id` /
   * `hubspot_owner_id`, Salesforce `CreatedById` + `CreatedBy.Name`, the demo CRM's author id). Never
   * from the body: the importer checks the block's author against it. undefined when the CRM does not say.
   */
  createdBy?: { id: string; name?: string; ownerId?: string };
}

/** One lead's qualification history as the CRM holds it, for the panel ("Accepted by Ana Souza on 28 Nov"). */
export interface LeadHistoryRead {
  /** Our notes/tasks on this record (decisions and reviews by anyone), oldest first. */
  notes: ImportedNote[];
  /** The record's status now, as the CRM names it (the mapping's status field), when read. */
  status?: string;
}

export interface CrmApi {
  /** Most write-backs one `push` call accepts (HubSpot 100, Salesforce 200). */
  readonly maxBatch: number;
  /**
   * Delivers write-backs: the status/reason update first, then the note/task, batched with the CRM's
   * batch endpoints. Keys in `unsure` may already have their note/task in the CRM (an earlier attempt's
   * outcome is unknown): look for the key first and never create a second one. Returns one result per
   * item, in any order. Throws `CrmError` when the whole call fails.
   */
  push(items: readonly WriteBack[], unsure: ReadonlySet<string>): Promise<ItemResult[]>;
  /** Reads the profile and activities the scorer needs. Throws `CrmError` (404 → permanent). */
  readLead(ref: LeadRef): Promise<ReadLeadResult>;
  /** Checks the credentials; returns the account and a label for people. Throws `CrmError`. */
  testConnection(): Promise<{ account?: string; label: string }>;
  /**
   * Notes/tasks with our structured block, oldest first, a page per call; `cursor` from the last page
   * (opaque to callers). `since` (ISO): only notes created or changed at or after it, so a later import
   * reads what changed since the last one. A module pages past its CRM's search caps itself.
   */
  importNotes?(cursor: string | undefined, options?: { since?: string }): Promise<{ notes: ImportedNote[]; cursor?: string }>;
  /** Who these credentials belong to; undefined when the CRM cannot say (e.g. a HubSpot private-app token). */
  whoAmI?(): Promise<CrmUser | undefined>;
  /** This lead's notes/tasks with our block (anyone's) and its status now. Throws `CrmError`. */
  readHistory?(ref: LeadRef): Promise<LeadHistoryRead>;
  /**
   * Logs calls as the CRM's call activities (ADR 19), at most `maxBatch` per call, exactly once: keys in
   * `unsure` may already have their activity (an earlier attempt's outcome is unknown), so the module
   * looks for the key through a consistent read (or a uniqueness the CRM enforces) before creating one,
   * and never creates while that is unknown. One result per item (`noteId`: the activity's id). Throws
   * `CrmError` when the whole call fails. A CRM without it: logged calls stay on the device ("not supported").
   */
  logCalls?(items: readonly CallWrite[], unsure: ReadonlySet<string>): Promise<ItemResult[]>;
}

export interface CrmApiDeps {
  /** The sync loop's fetch: rate-limited and counted. Modules never call the global fetch. */
  fetch: typeof fetch;
  now: () => number;
  /**
   * Called when the module refreshed an OAuth token, so the new credentials are stored. `replaced`: the
   * credentials the refresh started from; the store keeps newer ones stored meanwhile (compare-and-set).
   */
  onCredentials?: (credentials: Credentials, replaced?: Credentials) => void | Promise<void>;
  /**
   * The connection's credentials as stored now (another module instance may have renewed them), re-read
   * before a token refresh and after a refused one; undefined when the connection is gone. Absent: the
   * module knows only the credentials it was created with.
   */
  storedCredentials?: () => Promise<Credentials | undefined>;
  /**
   * Runs `renew` as the connection's one token refresh: while one is in flight for this connection (from
   * any module instance), a caller waits for its result instead of starting another. Absent: one at a
   * time per module instance only. `src/sync/token-refresh.ts` makes these three for the background.
   */
  renewOnce?: (renew: () => Promise<Credentials>) => Promise<Credentials>;
}

export interface SignInDeps {
  /** `browser.identity.launchWebAuthFlow` with `interactive: true`: resolves to the redirect URL. */
  launchWebAuthFlow: (url: string) => Promise<string | undefined>;
  /** `browser.identity.getRedirectURL()`. */
  redirectUri: string;
  fetch: typeof fetch;
}

export interface CrmApiModule {
  /** Same id as the CRM's `page.ts`. */
  id: string;
  label: string;
  /** Sensible defaults for this CRM's mapping. */
  defaultMapping: Mapping;
  /**
   * The CRM's documented request budget per connection; every request to the CRM (sync, lead reads,
   * imports, connection checks) passes one limiter that stays under it (`src/sync/crm-fetch.ts`).
   */
  rateLimit: RateLimit;
  /**
   * A separate budget for search requests, where the CRM counts them apart (HubSpot: search is exempt
   * from the 10-second limit and has its own per-second one). `isSearch` says which requests those are.
   */
  searchRateLimit?: RateLimit & { isSearch: (url: URL, method: string) => boolean };
  /**
   * How long the CRM asks every request to wait after this answer, beyond `Retry-After` (which the
   * limiter always honours on a 429): e.g. HubSpot's rate-limit interval headers. undefined = no wait.
   */
  waitAfter?: (response: Response, now: number) => number | undefined;
  /** The longest note/task body the CRM stores (HubSpot 65,536; Salesforce task description 32,000). */
  noteMaxChars?: number;
  /** Optional host permissions to request at connect time (match patterns). */
  hostPermissions(apiBase: string): string[];
  create(connection: Connection, deps: CrmApiDeps): CrmApi;
  /** How the options page connects: paste a token, or sign in (OAuth). */
  connectWith: 'token' | 'oauth';
  /** OAuth sign-in (when `connectWith` is 'oauth'): returns what a connection needs. */
  signIn?(input: { loginHost: string; clientId: string }, deps: SignInDeps): Promise<{ apiBase: string; credentials: Credentials; account?: string }>;
  /** The API origin to use when the person does not give one. */
  defaultApiBase?: string;
  /**
   * Demo builds only: a connection made without asking, the first time one of this CRM's leads is shown
   * (the bundled demo CRM). Store builds never call it.
   */
  autoConnect?(ref: LeadRef, nowIso: string): Connection | undefined;
}

export interface RateLimit {
  requests: number;
  perMs: number;
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date); undefined when absent or bad. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
