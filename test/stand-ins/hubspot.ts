/**
 * A local stand-in for the parts of HubSpot's API that `src/crm/hubspot/api.ts` uses, answering with
 * HubSpot's documented shapes (see `src/crm/hubspot/fixtures/api/README.md` for the sources):
 *
 * - `GET  /account-info/v3/details`
 * - `GET  /oauth/v1/access-tokens/{token}` (no Authorization needed: the token is the path; a user's
 *   OAuth token → its metadata; a private-app `pat-` token → 400 "The access token must have the correct
 *   format", as HubSpot answers it; an unknown token → 404)
 * - `GET  /crm/v3/owners?email=…&limit=…&after=…` and `GET /crm/v3/owners/{id}?idProperty=id|userId`
 * - `GET  /crm/v3/objects/{contacts|leads}/{id}?properties=…&associations=…` (`contacts` on a lead;
 *   `notes` on either, v3 shape `associations.notes.results[{id, type}]`, paged like association reads)
 * - `POST /crm/v3/objects/{contacts|leads}/batch/update` (≤100 inputs; 207 when some ids do not exist)
 * - `POST /crm/v3/objects/notes/batch/create` (associations on create, `hs_timestamp` required; with a
 *   unique `objectWriteTraceId` on every input, inputs fail alone: 207 with `errors[].context.objectWriteTraceId`)
 * - `POST /crm/v3/objects/notes/batch/read` (≤100 ids; 207 naming the ids that do not exist)
 * - `POST /crm/v3/objects/notes/search` (filterGroups ≤5, `CONTAINS_TOKEN`, `EQ`/`NEQ`, `GT`/`GTE`/`LT`/`LTE` on
 *   dates (epoch ms or ISO) and numbers, `sorts` by `hs_timestamp`/`hs_createdate`/`hs_lastmodifieddate`,
 *   `after` paging, at most `searchResultCap` results per query: paging past them is a 400)
 * - `POST /crm/v4/associations/{from}/{to}/batch/read` (notes ↔ contacts / 0-136; `paging.next.after` per
 *   input; an input with none is a 207 error `crm.associations.NO_ASSOCIATIONS_FOUND`)
 * - `DELETE /crm/v3/objects/{notes|contacts|leads}/{id}` (archives: 404 on read, gone from associations
 *   and search)
 * - Calls (logged calls, ADR 19; `src/crm/hubspot/calls.ts` names the sources): `POST
 *   /crm/v3/objects/calls/batch/create` (`hs_timestamp` required; `hs_call_duration` in ms; direction
 *   INBOUND/OUTBOUND; `hs_call_disposition` one of HubSpot's default outcome GUIDs; associations to
 *   contacts, type 194; `objectWriteTraceId` per input as for notes, echoed on the created call), `POST
 *   /crm/v3/objects/calls/batch/read`, and `POST /crm/v4/associations/contacts/calls/batch/read` (contact →
 *   call type 193). Calls are not searchable here: the module never searches for them.
 *
 * Tokens: one private-app token (`token`, no user behind it) and any number of users' OAuth tokens
 * (`addUser`), each user with an owner record unless told otherwise. A note stores who created it as
 * HubSpot does, server-side: `hs_created_by_user_id` (and `hs_created_by`) is the creating token's user,
 * null for the private-app token (an assumption: HubSpot does not document it), and never taken from the
 * request body (both are read-only). `hubspot_owner_id` on create must name an active owner.
 *
 * Reads by id and association reads see every write at once; search sees a note only `searchLagMs` after
 * it was written (HubSpot: new objects may take a few moments to appear in search results), so code that
 * takes "not found by search" for "not created" fails here.
 *
 * Request bodies are checked against HubSpot's official OpenAPI request schemas
 * (`./fixtures/hubspot-request-schemas.json`, with its sources): a body that does not match is a 400
 * `VALIDATION_ERROR`. Plus Bearer auth (401), property validation (400 `VALIDATION_ERROR`), rate limits
 * as HubSpot documents them (a rolling 10-second window that search does not count against, search's own
 * per-second limit, the private app's daily limit; 429 with `Retry-After` and HubSpot's body, the
 * `X-HubSpot-RateLimit-*` headers on every answer) and injected faults. It seeds nothing.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fault, FaultRule, StandIn, StandInCall } from './types';

export type Props = Record<string, string | null>;

export interface StandInNote {
  id: string;
  /** `hs_note_body` as stored (HTML). */
  body: string;
  /** `hs_timestamp`, ISO. */
  timestamp: string;
  createdAt: string;
  /** `hs_lastmodifieddate`, ISO: creation, or the last `editNote`. */
  modifiedAt: string;
  /** `hs_created_by_user_id`: the creating token's user; null for the private-app token. */
  createdByUserId: string | null;
  /** `hubspot_owner_id`, as the request (or `addNote`) set it. */
  ownerId: string | null;
  associations: { objectType: 'contacts' | 'leads'; id: string; typeId: number }[];
  /** When search starts to see it (epoch ms, the stand-in's clock). */
  searchableAt: number;
  /** Deleted through the API (or `deleteNote`): gone from reads, associations and search. */
  archived: boolean;
}

/** A call engagement (`/crm/v3/objects/calls`), as the stand-in stores it. */
export interface StandInCallObject {
  id: string;
  properties: Props;
  /** The input's `objectWriteTraceId`, echoed on the created object. */
  objectWriteTraceId?: string;
  createdAt: string;
  createdByUserId: string | null;
  /** Contact ids (type 194). */
  contactIds: string[];
  archived: boolean;
}

export interface RateLimit {
  requests: number;
  perMs: number;
}

/** One input of a notes batch create, as a `noteError` rule sees it. */
export interface NoteInput {
  objectWriteTraceId?: string;
  /** `hs_note_body` (HTML). */
  body: string;
}

export interface HubSpotStandInOptions {
  port?: number;
  /** Default: HubSpot's Free/Starter private-app limit, 100 requests per 10 s (rolling). Search is not counted. */
  rateLimit?: RateLimit;
  /** Search requests' own limit, per token. Default: HubSpot's four per second. */
  searchRateLimit?: RateLimit;
  /** The private app's requests per day (UTC days here), search included. Default 250,000 (Free/Starter). */
  dailyLimit?: number;
  /** How long after it is created a note appears in search results. Default 3 s. */
  searchLagMs?: number;
  /** The clock for rate limits, search lag and timestamps. Default `Date.now`. */
  now?: () => number;
  portalId?: number;
  /** Custom contact properties the portal has (e.g. a reason field), beyond HubSpot's defaults. */
  contactProperties?: string[];
  /** Most associated ids one input of a v4 association batch read (or one object read) returns per page (default 500). */
  associationPageSize?: number;
  /** Results one search query returns at most (HubSpot: 10,000); paging past them is a 400. */
  searchResultCap?: number;
  /**
   * An error for one input of a notes batch create, instead of creating it (the portal refuses it). With
   * a unique `objectWriteTraceId` on every input it fails alone (207); otherwise the whole request (400).
   */
  noteError?: (input: NoteInput) => { category: string; message: string } | undefined;
}

export interface HubSpotStandIn extends StandIn {
  portalId: number;
  /** Contact id → properties (values as HubSpot stores them: strings). Archived ones stay here. */
  contacts: Map<string, Props>;
  /** Lead (0-136) id → properties. Archived ones stay here. */
  leads: Map<string, Props>;
  /** Every note, archived ones too. */
  notes: StandInNote[];
  /** Ids of archived contacts, leads and notes. */
  archived: Set<string>;
  /** Every call engagement created through the API. */
  callObjects: StandInCallObject[];
  addContact(props?: Props): string;
  /** Archives the contact: reads answer 404, batch updates report it in a 207, associations drop it. */
  deleteContact(id: string): void;
  /** A lead record, associated with `contactId` when given (HubSpot requires one; tests may skip it). */
  addLead(props?: Props, contactId?: string): string;
  /**
   * A note made outside the module (by a rep, or an earlier import), for search and import tests. It is
   * searchable at once (made long ago) unless `indexed: false`, then after `searchLagMs` like a new one.
   */
  addNote(note: { body: string; timestamp: string; contactId?: string; leadId?: string; indexed?: boolean; createdByUserId?: string; ownerId?: string; modifiedAt?: string }): string;
  /** Archives the note, as `DELETE /crm/v3/objects/notes/{id}` does. */
  deleteNote(id: string): void;
  /** A rep edits the note in HubSpot: a new body, `hs_lastmodifieddate` now. */
  editNote(id: string, body: string): void;
  /**
   * A HubSpot user with an OAuth access token of their own (token metadata answers for it), and an owner
   * record unless `owner: false`. Requests with the token create notes as this user.
   */
  addUser(user: { email: string; firstName?: string; lastName?: string; owner?: boolean }): StandInUser;
  /** Users by id. */
  users: Map<string, StandInUser>;
  /** Owner records by owner id. */
  owners: Map<string, StandInOwner>;
}

export interface StandInUser {
  userId: string;
  email: string;
  firstName?: string;
  lastName?: string;
  /** The user's OAuth access token (not a `pat-` token). */
  token: string;
  ownerId?: string;
}

export interface StandInOwner {
  id: string;
  userId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  archived: boolean;
}

/** HubSpot's default call outcomes (`hs_call_disposition` GUIDs): Busy, Connected, Left live message, Left voicemail, No answer, Wrong number. */
export const DEFAULT_CALL_DISPOSITIONS = [
  '9d9162e7-6cf3-4944-bf63-4dff82258764',
  'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  'a4c4c377-d246-4b32-a13b-75a56a4cd0ff',
  'b2cf5968-551e-4856-9783-52b3da59a7d0',
  '73a0d17f-1163-4015-bdd5-ec830791da20',
  '17b47fee-58de-441e-a44c-c6300d46f273',
];
/** `hs_call_status` values (the calls guide's list; the stand-in checks only what the module sends against it). */
const CALL_STATUSES = ['BUSY', 'CALLING_CRM_USER', 'CANCELED', 'COMPLETED', 'CONNECTING', 'FAILED', 'IN_PROGRESS', 'NO_ANSWER', 'QUEUED', 'RINGING'];
const CALL_PROPERTIES = [
  'hs_timestamp', 'hs_call_title', 'hs_call_body', 'hs_call_duration', 'hs_call_direction', 'hs_call_status', 'hs_call_disposition',
  'hs_call_callee_object_id', 'hs_call_callee_object_type', 'hs_call_from_number', 'hs_call_to_number', 'hs_call_recording_url',
  'hs_call_source', 'hs_activity_type', 'hubspot_owner_id',
];
/** Call → contact, as the calls guide's example associates them. */
const CALL_TO_CONTACT = 194;

/** HubSpot-defined association type ids the stand-in accepts on note create. */
export const NOTE_ASSOCIATION_TYPES: Record<number, 'contacts' | 'leads'> = { 202: 'contacts', 855: 'leads' };

const LEAD_STATUS_OPTIONS = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'];
const LIFECYCLE_OPTIONS = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];
const LEAD_STAGE_OPTIONS = ['new-stage-id', 'attempting-stage-id', 'connected-stage-id', 'qualified-stage-id', 'unqualified-stage-id'];
const READ_ONLY = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_createdate', 'hs_lastmodifieddate', 'hs_created_by_user_id', 'hs_created_by']);
const CONTACT_PROPERTIES = [
  'firstname', 'lastname', 'email', 'company', 'jobtitle', 'numemployees', 'company_size', 'industry', 'country', 'state', 'city',
  'phone', 'website', 'message', 'hs_country_region_code', 'hs_analytics_source', 'hs_latest_source',
  'hs_analytics_first_touch_converting_campaign', 'hs_analytics_last_touch_converting_campaign', 'hs_lead_status', 'lifecyclestage',
  'hs_lifecyclestage_marketingqualifiedlead_date', 'hs_first_outreach_date', 'hs_sa_first_engagement_date',
  'recent_conversion_event_name', 'recent_conversion_date', 'first_conversion_event_name', 'first_conversion_date',
  'hs_analytics_last_visit_timestamp', 'hs_analytics_last_url', 'hs_email_last_reply_date', 'hs_sales_email_last_replied',
  'hs_email_optout', 'hs_email_hard_bounce_reason_enum', 'hs_email_bad_address', 'hs_email_last_send_date', 'hubspot_owner_id',
  ...READ_ONLY,
];
const LEAD_PROPERTIES = ['hs_lead_name', 'hs_lead_type', 'hs_lead_label', 'hs_pipeline', 'hs_pipeline_stage', 'hs_lead_disqualification_reason', 'hubspot_owner_id', ...READ_ONLY];
const NOTE_PROPERTIES = ['hs_note_body', 'hs_timestamp', 'hubspot_owner_id', 'hs_attachment_ids', ...READ_ONLY];
const NOTE_BODY_MAX = 65_536;
const BATCH_MAX = 100;
const SEARCH = { groups: 5, filtersPerGroup: 10, filters: 25, limit: 200 };
const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** HubSpot's error body: `{status: 'error', message, correlationId, category, …}`. */
const error = (status: number, category: string, message: string, extra: Record<string, unknown> = {}): Reply => ({
  status,
  body: { status: 'error', message, correlationId: randomUUID(), category, ...extra },
});

const AUTH_FAILED = () =>
  error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');

/** HubSpot's 429 bodies, by policy (usage guidelines: `errorType: RATE_LIMIT`, `policyName`). */
const POLICIES = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
} as const;
type Policy = keyof typeof POLICIES;

const rateLimitedBody = (policy: Policy = 'TEN_SECONDLY_ROLLING') => ({
  status: 'error',
  message: POLICIES[policy],
  errorType: 'RATE_LIMIT',
  correlationId: randomUUID(),
  policyName: policy,
  requestId: randomUUID(),
});

/** The body a fault answers with when the rule gives none. */
function faultBody(status: number): unknown {
  if (status === 401) return AUTH_FAILED().body;
  if (status === 429) return rateLimitedBody();
  if (status >= 500) return error(status, 'INTERNAL_ERROR', 'internal error').body;
  return error(status, 'VALIDATION_ERROR', `Injected ${status}`).body;
}

class BadRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  try {
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch (e) {
    throw new BadRequest(`Invalid input JSON: ${(e as Error).message}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- request bodies against HubSpot's OpenAPI request schemas --------------------------------------

/** The subset of OpenAPI 3 schema objects HubSpot's request schemas use (plus `oneOf` for deviations). */
interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  $ref?: string;
}

interface SchemaFixture {
  deviations: { spec: string; schema: string; pointer: string; value: unknown }[];
  endpoints: Record<string, { spec: string; schema: string }>;
  schemas: Record<string, Record<string, Schema>>;
}

/** The fixture with its documented deviations applied. */
function loadRequestSchemas(): SchemaFixture {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/hubspot-request-schemas.json', import.meta.url), 'utf8')) as SchemaFixture;
  for (const d of fixture.deviations) {
    const keys = d.pointer.split('/').slice(1);
    let at = fixture.schemas[d.spec]![d.schema] as unknown as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
    at[keys.at(-1)!] = d.value;
  }
  return fixture;
}

const REQUEST_SCHEMAS = loadRequestSchemas();

/** The checked endpoint (`METHOD /path` as in the spec) a request goes to, object type ids read as names. */
export function checkedEndpoint(method: string, path: string): string | undefined {
  const named = path
    .replace(/^\/crm\/v3\/objects\/0-46\//, '/crm/v3/objects/notes/')
    .replace(/^\/crm\/v3\/objects\/0-1\//, '/crm/v3/objects/contacts/')
    .replace(/^\/crm\/v3\/objects\/0-136\//, '/crm/v3/objects/leads/')
    .replace(/^\/crm\/v3\/objects\/0-48\//, '/crm/v3/objects/calls/')
    .replace(/^\/crm\/v4\/associations\/[\w-]+\/[\w-]+\/batch\/read$/, '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read');
  const key = `${method.toUpperCase()} ${named}`;
  return Object.hasOwn(REQUEST_SCHEMAS.endpoints, key) ? key : undefined;
}

/** Where a request's body schema is. */
function endpointOf(method: string, path: string): { spec: string; schema: string } | undefined {
  const key = checkedEndpoint(method, path);
  return key ? REQUEST_SCHEMAS.endpoints[key] : undefined;
}

/** Where `value` does not match `schema` (JSON paths and what is wrong); [] when it matches. */
function schemaProblems(schema: Schema, value: unknown, path: string, spec: Record<string, Schema>): { in: string; message: string }[] {
  if (schema.$ref) return schemaProblems(spec[schema.$ref.split('/').at(-1)!]!, value, path, spec);
  const here = (message: string) => [{ in: path || '(body)', message: `${path || 'The body'} ${message}` }];
  if (schema.oneOf) return schema.oneOf.some((s) => schemaProblems(s, value, path, spec).length === 0) ? [] : here('does not match any of the shapes allowed here.');
  const type = schema.type;
  if (type === 'object') {
    if (!isRecord(value)) return here('must be an object.');
    const problems = (schema.required ?? []).filter((k) => value[k] === undefined).map((k) => ({ in: `${path}${path ? '.' : ''}${k}`, message: `${path}${path ? '.' : ''}${k} is required.` }));
    for (const [k, v] of Object.entries(value)) {
      const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (sub) problems.push(...schemaProblems(sub, v, `${path}${path ? '.' : ''}${k}`, spec));
    }
    return problems;
  }
  if (type === 'array') {
    if (!Array.isArray(value)) return here('must be an array.');
    return schema.items ? value.flatMap((v, n) => schemaProblems(schema.items!, v, `${path}[${n}]`, spec)) : [];
  }
  if (type === 'string' && typeof value !== 'string') return here('must be a string.');
  if (type === 'boolean' && typeof value !== 'boolean') return here('must be a boolean.');
  if (type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) return here('must be a number.');
  if (type === 'integer' && (!Number.isInteger(value) || (schema.format === 'int32' && Math.abs(value as number) > 2 ** 31))) return here('must be an integer.');
  if (schema.enum && !schema.enum.includes(value)) return here(`must be one of ${schema.enum.join(', ')}.`);
  return [];
}

/**
 * Where a request body does not match its endpoint's request schema in HubSpot's spec ([] when it
 * matches); undefined for a request the fixture has no schema for.
 */
export function requestBodyProblems(method: string, path: string, body: unknown): { in: string; message: string }[] | undefined {
  const endpoint = endpointOf(method, path);
  if (!endpoint) return undefined;
  const spec = REQUEST_SCHEMAS.schemas[endpoint.spec]!;
  return body === undefined ? [{ in: '(body)', message: 'The request body is required.' }] : schemaProblems(spec[endpoint.schema]!, body, '', spec);
}

/** The endpoints (`METHOD /path`) whose request bodies are checked. */
export const CHECKED_ENDPOINTS = Object.keys(REQUEST_SCHEMAS.endpoints);

/** A 400 `VALIDATION_ERROR` when the body does not match the endpoint's request schema in HubSpot's spec. */
function invalidBody(method: string, path: string, body: unknown): Reply | undefined {
  const problems = requestBodyProblems(method, path, body);
  if (!problems?.length) return undefined;
  return error(400, 'VALIDATION_ERROR', `Invalid input JSON: ${problems.map((p) => p.message).join(' ')}`, { errors: problems });
}

/**
 * Words of a note body as HubSpot's search would see them: tags dropped, entities decoded, split on
 * anything that is not a letter or digit, lower-cased. (HubSpot does not document its tokenizer; this
 * is the usual full-text behaviour, and the module never relies on more than a key between spaces or
 * punctuation.)
 */
export function tokens(html: string): Set<string> {
  // Search re-reads every note on every page: tokenize each body once (a bench imports 10,000 notes).
  const cached = tokenCache.get(html);
  if (cached) return cached;
  if (tokenCache.size >= TOKEN_CACHE_MAX) tokenCache.clear();
  const words = tokenize(html);
  tokenCache.set(html, words);
  return words;
}

const TOKEN_CACHE_MAX = 50_000;
const tokenCache = new Map<string, Set<string>>();

function tokenize(html: string): Set<string> {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (_, n: string) => {
      if (n[0] !== '#') return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' } as Record<string, string>)[n.toLowerCase()] ?? ' ';
      const code = n[1]?.toLowerCase() === 'x' ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : ' ';
    });
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
}

function tokenMatches(words: Set<string>, value: string): boolean {
  const v = value.toLowerCase();
  if (!v.includes('*')) return words.has(v);
  const re = new RegExp(`^${v.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return [...words].some((w) => re.test(w));
}

export async function startHubSpotStandIn(opts: HubSpotStandInOptions = {}): Promise<HubSpotStandIn> {
  const now = opts.now ?? Date.now;
  const portalId = opts.portalId ?? 4412345;
  const searchLagMs = opts.searchLagMs ?? 3_000;
  const pageSize = opts.associationPageSize ?? 500;
  const searchCap = opts.searchResultCap ?? 10_000;
  const contactProps = new Set([...CONTACT_PROPERTIES, ...(opts.contactProperties ?? [])]);
  const iso = () => new Date(now()).toISOString();

  const contacts = new Map<string, Props>();
  const leads = new Map<string, Props>();
  const leadContacts = new Map<string, string>();
  const notes: StandInNote[] = [];
  const callObjects: StandInCallObject[] = [];
  const archived = new Set<string>();
  const calls: StandInCall[] = [];
  const faults: (FaultRule & { left: number })[] = [];
  let token = `pat-na1-${randomUUID()}`;
  let nextId = 1000;
  const newId = () => String(++nextId);
  const users = new Map<string, StandInUser>();
  const owners = new Map<string, StandInOwner>();
  /** OAuth access token → user id. */
  const userTokens = new Map<string, string>();
  let nextUserId = 7_700_000;
  let nextOwnerId = 41_600_000;

  const objectsOf = (type: string) => (type === 'contacts' || type === '0-1' ? contacts : type === 'leads' || type === '0-136' ? leads : undefined);
  const upperName = (type: string) => (objectsOf(type) === contacts ? 'CONTACT' : 'LEAD');
  const live = (store: Map<string, Props>, id: string) => (archived.has(id) ? undefined : store.get(id));
  const liveNote = (id: string) => notes.find((n) => n.id === id && !n.archived);

  // ---- rate limits: rolling windows of request times, and a daily count --------------------------
  function rollingWindow(limit: RateLimit) {
    let hits: number[] = [];
    const count = () => {
      hits = hits.filter((t) => t > now() - limit.perMs);
      return hits.length;
    };
    return {
      limit,
      count,
      full: () => count() >= limit.requests,
      take: () => void hits.push(now()),
      /** Whole seconds until the oldest request leaves the window (at least 1). */
      retryAfterS: () => (count() ? Math.max(1, Math.ceil((hits[0]! + limit.perMs - now()) / 1000)) : 1),
    };
  }
  const general = rollingWindow(opts.rateLimit ?? { requests: 100, perMs: 10_000 });
  const search = rollingWindow(opts.searchRateLimit ?? { requests: 4, perMs: 1_000 });
  const dailyLimit = opts.dailyLimit ?? 250_000;
  const daily = { day: -1, used: 0 };
  const usedToday = () => {
    const day = Math.floor(now() / 86_400_000);
    if (day !== daily.day) Object.assign(daily, { day, used: 0 });
    return daily.used;
  };

  /** As HubSpot sends them with a private app's token: the 10-second window and the day. */
  const rateHeaders = (): Record<string, string> => ({
    'x-hubspot-ratelimit-max': String(general.limit.requests),
    'x-hubspot-ratelimit-remaining': String(Math.max(0, general.limit.requests - general.count())),
    'x-hubspot-ratelimit-interval-milliseconds': String(general.limit.perMs),
    'x-hubspot-ratelimit-daily': String(dailyLimit),
    'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, dailyLimit - usedToday())),
  });

  /** Search has its own per-second limit and is not counted in the 10-second window. */
  const isSearch = (method: string, path: string) => method === 'POST' && /^\/crm\/v3\/objects\/[\w-]+\/search$/.test(path);

  function admit(method: string, path: string): Reply | undefined {
    const limited = (policy: Policy, retryAfterS: number): Reply => ({ status: 429, body: rateLimitedBody(policy), headers: { 'retry-after': String(retryAfterS) } });
    if (usedToday() >= dailyLimit) return limited('DAILY', Math.ceil((((daily.day + 1) * 86_400_000) - now()) / 1000));
    const window = isSearch(method, path) ? search : general;
    if (window.full()) return limited(window === search ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING', window.retryAfterS());
    window.take();
    daily.used += 1;
    return undefined;
  }

  // ---- objects ------------------------------------------------------------------------------------
  function objectJson(id: string, props: Props, wanted?: string[]) {
    const properties: Props = {};
    const names = wanted ?? ['firstname', 'lastname', 'email'];
    for (const name of [...names, 'createdate', 'lastmodifieddate', 'hs_object_id']) properties[name] = props[name] ?? null;
    return { id, properties, createdAt: props.createdate, updatedAt: props.lastmodifieddate, archived: false };
  }

  /** A note's properties as HubSpot names them. */
  const noteProps = (n: StandInNote): Props => ({
    hs_note_body: n.body,
    hs_timestamp: n.timestamp,
    hs_createdate: n.createdAt,
    hs_lastmodifieddate: n.modifiedAt,
    hs_object_id: n.id,
    hs_created_by_user_id: n.createdByUserId,
    hs_created_by: n.createdByUserId,
    hubspot_owner_id: n.ownerId,
  });

  function noteJson(n: StandInNote, wanted: string[] = ['hs_note_body', 'hs_timestamp']) {
    const all = noteProps(n);
    const properties: Props = {};
    // Properties a note does not have are left out, as HubSpot ignores them.
    for (const name of [...wanted, 'hs_createdate', 'hs_lastmodifieddate', 'hs_object_id']) if (Object.hasOwn(all, name) || NOTE_PROPERTIES.includes(name)) properties[name] = all[name] ?? null;
    return { id: n.id, properties, createdAt: n.createdAt, updatedAt: n.modifiedAt, archived: false };
  }

  function ownerJson(o: StandInOwner) {
    return { id: o.id, email: o.email, type: 'PERSON', firstName: o.firstName, lastName: o.lastName, userId: Number(o.userId), userIdIncludingInactive: Number(o.userId), createdAt: iso(), updatedAt: iso(), archived: o.archived, teams: [] };
  }

  /** HubSpot's per-property checks, all reported at once: unknown, read-only, not an allowed option. */
  function invalidProperties(type: 'contacts' | 'leads', props: Record<string, unknown>) {
    const known = type === 'contacts' ? contactProps : new Set(LEAD_PROPERTIES);
    const options: Record<string, string[]> = type === 'contacts' ? { hs_lead_status: LEAD_STATUS_OPTIONS, lifecyclestage: LIFECYCLE_OPTIONS } : { hs_pipeline_stage: LEAD_STAGE_OPTIONS };
    const problems: { isValid: false; message: string; error: string; name: string }[] = [];
    for (const [name, value] of Object.entries(props)) {
      if (!known.has(name)) problems.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
      else if (READ_ONLY.has(name)) problems.push({ isValid: false, message: `"${name}" is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name });
      else if (typeof value !== 'string' && value !== null) problems.push({ isValid: false, message: `${JSON.stringify(value)} is not a valid value for ${name}`, error: 'INVALID_VALUE', name });
      else if (options[name] && value && !options[name].includes(value)) {
        problems.push({ isValid: false, message: `${value} was not one of the allowed options: [${options[name].join(', ')}]`, error: 'INVALID_OPTION', name });
      }
    }
    return problems;
  }

  const propertyError = (problems: unknown[]) => ({ category: 'VALIDATION_ERROR', message: `Property values were not valid: ${JSON.stringify(problems)}` });

  function batchUpdate(type: string, body: unknown): Reply {
    const store = objectsOf(type);
    if (!store) return error(404, 'OBJECT_NOT_FOUND', `Unable to infer object type from: ${type}`);
    const inputs = (body as { inputs: { id: string; properties: Record<string, string> }[] }).inputs;
    if (inputs.length > BATCH_MAX) return error(400, 'VALIDATION_ERROR', `Batch input limit exceeded: ${inputs.length} inputs given, the maximum is ${BATCH_MAX}.`);
    const ids = inputs.map((i) => i.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dupes.length) return error(400, 'VALIDATION_ERROR', `Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]. IDs must be unique`);
    const kind = store === contacts ? 'contacts' : 'leads';
    const problems = inputs.flatMap((i) => invalidProperties(kind, i.properties));
    if (problems.length) return error(400, 'VALIDATION_ERROR', propertyError(problems).message);

    const results = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const record = live(store, input.id);
      if (!record) {
        missing.push(input.id);
        continue;
      }
      // An empty string clears a property, as HubSpot documents.
      for (const [name, value] of Object.entries(input.properties)) record[name] = value === '' ? null : value;
      record.lastmodifieddate = iso();
      results.push(objectJson(input.id, record, Object.keys(input.properties)));
    }
    const times = { startedAt: iso(), completedAt: iso() };
    if (!missing.length) return { status: 200, body: { status: 'COMPLETE', results, requestedAt: times.startedAt, ...times, links: {} } };
    const errors = [
      { status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not get some ${upperName(type)} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids: missing }, links: {} },
    ];
    return { status: 207, body: { status: 'COMPLETE', results, numErrors: errors.length, errors, ...times } };
  }

  interface NoteCreateInput {
    properties: Record<string, string>;
    associations: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[];
    objectWriteTraceId?: string;
  }

  /** Why HubSpot would refuse this input (a property, a missing timestamp, an association), or the note it makes. */
  function noteFrom(input: NoteCreateInput, userId: string | null): { error: { category: string; message: string; context?: Record<string, string[]> } } | { note: StandInNote } {
    const props = input.properties;
    const refusedProps = Object.keys(props).flatMap((name) =>
      READ_ONLY.has(name)
        ? [{ isValid: false, message: `"${name}" is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name }]
        : !NOTE_PROPERTIES.includes(name)
          ? [{ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name }]
          : [],
    );
    if (refusedProps.length) return { error: propertyError(refusedProps) };
    const ownerId = props.hubspot_owner_id || null;
    // HubSpot checks an owner id against the portal's owners (the exact words are the stand-in's).
    if (ownerId && !(owners.get(ownerId) && !owners.get(ownerId)!.archived)) {
      return { error: propertyError([{ isValid: false, message: `${ownerId} is not a valid owner id`, error: 'INVALID_OWNER_ID', name: 'hubspot_owner_id' }]) };
    }
    const at = props.hs_timestamp;
    if (at === undefined || at === '') return { error: { category: 'VALIDATION_ERROR', message: 'Error creating NOTE. Some required properties were not set.', context: { properties: ['hs_timestamp'] } } };
    const ms = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
    if (!Number.isFinite(ms)) return { error: propertyError([{ isValid: false, message: `${at} is not a valid datetime`, error: 'INVALID_DATE', name: 'hs_timestamp' }]) };
    const noteBody = props.hs_note_body ?? '';
    if (noteBody.length > NOTE_BODY_MAX) {
      return { error: propertyError([{ isValid: false, message: `hs_note_body is ${noteBody.length} characters long; the limit is ${NOTE_BODY_MAX}`, error: 'INVALID_LENGTH', name: 'hs_note_body' }]) };
    }
    const associations: StandInNote['associations'] = [];
    for (const a of input.associations) {
      for (const t of a.types) {
        const objectType = NOTE_ASSOCIATION_TYPES[t.associationTypeId];
        if (!objectType || t.associationCategory !== 'HUBSPOT_DEFINED') return { error: { category: 'VALIDATION_ERROR', message: `${t.associationTypeId} is not a valid association type id from NOTE.` } };
        if (!live(objectsOf(objectType)!, a.to.id)) return { error: { category: 'VALIDATION_ERROR', message: 'One or more associations are invalid', context: { ids: [a.to.id] } } };
        associations.push({ objectType, id: a.to.id, typeId: t.associationTypeId });
      }
    }
    const refused = opts.noteError?.({ objectWriteTraceId: input.objectWriteTraceId, body: noteBody });
    if (refused) return { error: refused };
    return { note: { id: '', body: noteBody, timestamp: new Date(ms).toISOString(), createdAt: iso(), modifiedAt: iso(), createdByUserId: userId, ownerId, associations, searchableAt: now() + searchLagMs, archived: false } };
  }

  function createNotes(body: unknown, userId: string | null): Reply {
    const inputs = (body as { inputs: NoteCreateInput[] }).inputs;
    if (inputs.length > BATCH_MAX) return error(400, 'VALIDATION_ERROR', `Batch input limit exceeded: ${inputs.length} inputs given, the maximum is ${BATCH_MAX}.`);
    // With a unique trace id on every input HubSpot can say which input failed; without, one fails all.
    const traceIds = inputs.map((i) => i.objectWriteTraceId);
    const traced = traceIds.every((id, n) => id && traceIds.indexOf(id) === n);
    const outcomes = inputs.map((i) => noteFrom(i, userId));
    const failed = outcomes.flatMap((o, n) => ('error' in o ? [{ ...o.error, n }] : []));
    if (!traced && failed.length) {
      const { category, message, context } = failed[0]!;
      return error(400, category, message, context ? { context } : {});
    }
    const made = outcomes.flatMap((o) => ('note' in o ? [{ ...o.note, id: newId() }] : []));
    notes.push(...made);
    // HubSpot does not promise results in input order; answering in reverse keeps clients honest.
    const results = made.map((n) => noteJson(n)).reverse();
    const times = { startedAt: iso(), completedAt: iso() };
    if (!failed.length) return { status: 201, body: { status: 'COMPLETE', results, ...times } };
    const errors = failed.map((f) => ({
      status: 'error',
      category: f.category,
      message: f.message,
      context: { ...f.context, objectWriteTraceId: [traceIds[f.n]!] },
      errors: [],
      links: {},
    }));
    return { status: 207, body: { status: 'COMPLETE', results, numErrors: errors.length, errors, ...times } };
  }

  function readNotes(body: unknown): Reply {
    const req = body as { inputs: { id: string }[]; properties: string[] };
    if (req.inputs.length > BATCH_MAX) return error(400, 'VALIDATION_ERROR', `Batch input limit exceeded: ${req.inputs.length} inputs given, the maximum is ${BATCH_MAX}.`);
    const results = [];
    const missing: string[] = [];
    for (const { id } of req.inputs) {
      const note = liveNote(id);
      if (note) results.push(noteJson(note, req.properties));
      else missing.push(id);
    }
    const times = { startedAt: iso(), completedAt: iso() };
    if (!missing.length) return { status: 200, body: { status: 'COMPLETE', results, ...times } };
    const errors = [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some NOTE objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: missing }, links: {} }];
    return { status: 207, body: { status: 'COMPLETE', results, numErrors: errors.length, errors, ...times } };
  }

  function searchNotes(body: unknown): Reply {
    const req = body as { filterGroups?: { filters: Record<string, unknown>[] }[]; sorts?: unknown[]; properties?: string[]; limit?: number; after?: string };
    const groups = req.filterGroups ?? [];
    const filterCount = groups.reduce((sum, g) => sum + g.filters.length, 0);
    if (groups.length > SEARCH.groups) return error(400, 'VALIDATION_ERROR', `Too many filter groups: ${groups.length}, the maximum is ${SEARCH.groups}.`);
    if (filterCount > SEARCH.filters || groups.some((g) => g.filters.length > SEARCH.filtersPerGroup)) {
      return error(400, 'VALIDATION_ERROR', `Too many filters: at most ${SEARCH.filtersPerGroup} per group and ${SEARCH.filters} in all.`);
    }
    const size = req.limit ?? 10;
    if (size < 1 || size > SEARCH.limit) return error(400, 'VALIDATION_ERROR', `limit must be between 1 and ${SEARCH.limit}.`);
    const offset = req.after === undefined ? 0 : Number(req.after);
    if (!Number.isInteger(offset) || offset < 0) return error(400, 'VALIDATION_ERROR', `Invalid "after": ${String(req.after)}`);
    if (offset + size > searchCap) return error(400, 'VALIDATION_ERROR', `The search API returns at most ${searchCap} results.`);

    const DATES = new Set(['hs_timestamp', 'hs_createdate', 'hs_lastmodifieddate']);
    const value = (n: StandInNote, prop: string) => noteProps(n)[prop] ?? undefined;
    /** A date as epoch ms (HubSpot takes ms or ISO), a number as itself. */
    const numeric = (prop: string, v: string) => (DATES.has(prop) ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : Number(v));
    const compare = (n: StandInNote, f: Record<string, unknown>, test: (a: number, b: number) => boolean) => {
      const prop = String(f.propertyName);
      const v = value(n, prop);
      const a = v === undefined ? NaN : numeric(prop, v);
      const b = numeric(prop, String(f.value));
      if (Number.isNaN(b)) throw new BadRequest(`${String(f.value)} is not a valid value for ${prop}.`);
      return !Number.isNaN(a) && test(a, b);
    };
    const matches = (n: StandInNote, f: Record<string, unknown>): boolean => {
      const v = value(n, String(f.propertyName));
      switch (f.operator) {
        case 'GT':
          return compare(n, f, (a, b) => a > b);
        case 'GTE':
          return compare(n, f, (a, b) => a >= b);
        case 'LT':
          return compare(n, f, (a, b) => a < b);
        case 'LTE':
          return compare(n, f, (a, b) => a <= b);
        case 'CONTAINS_TOKEN':
          return v !== undefined && tokenMatches(tokens(v), String(f.value));
        case 'NOT_CONTAINS_TOKEN':
          return v === undefined || !tokenMatches(tokens(v), String(f.value));
        case 'EQ':
          return v === String(f.value);
        case 'NEQ':
          return v !== String(f.value);
        case 'HAS_PROPERTY':
          return v !== undefined && v !== '';
        default:
          throw new BadRequest(`Unsupported operator: ${String(f.operator)}`);
      }
    };
    // The index: notes not archived, written at least `searchLagMs` ago.
    const indexed = notes.filter((n) => !n.archived && n.searchableAt <= now());
    let found = indexed.filter((n) => groups.length === 0 || groups.some((g) => g.filters.every((f) => matches(n, f))));

    const sorts = req.sorts ?? [];
    if (sorts.length > 1) return error(400, 'VALIDATION_ERROR', 'Only one sort is supported.');
    const sort = sorts[0];
    const [prop, desc] = typeof sort === 'string' ? [sort.replace(/^-/, ''), sort.startsWith('-')] : isRecord(sort) ? [String(sort.propertyName), sort.direction === 'DESCENDING'] : ['hs_object_id', false];
    const key = (n: StandInNote) => (DATES.has(prop) ? Date.parse(value(n, prop)!) : Number(n.id));
    found = [...found].sort((a, b) => (key(a) - key(b) || Number(a.id) - Number(b.id)) * (desc ? -1 : 1));

    const page = found.slice(offset, offset + size).map((n) => noteJson(n, req.properties));
    const more = offset + size < found.length;
    return { status: 200, body: { total: found.length, results: page, ...(more ? { paging: { next: { after: String(offset + size), link: `?after=${offset + size}` } } } : {}) } };
  }

  // ---- calls (logged calls) -----------------------------------------------------------------------
  interface CallCreateInput {
    properties: Record<string, string>;
    associations: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[];
    objectWriteTraceId?: string;
  }

  const callJson = (c: StandInCallObject, wanted: string[] = ['hs_timestamp', 'hs_call_title']) => {
    const properties: Props = {};
    for (const name of [...wanted, 'hs_createdate', 'hs_lastmodifieddate', 'hs_object_id']) properties[name] = name === 'hs_object_id' ? c.id : name === 'hs_createdate' || name === 'hs_lastmodifieddate' ? c.createdAt : (c.properties[name] ?? null);
    return { id: c.id, properties, createdAt: c.createdAt, updatedAt: c.createdAt, archived: false, ...(c.objectWriteTraceId ? { objectWriteTraceId: c.objectWriteTraceId } : {}) };
  };

  /** Why HubSpot would refuse this call input, or the call it makes. */
  function callFrom(input: CallCreateInput, userId: string | null): { error: { category: string; message: string; context?: Record<string, string[]> } } | { call: StandInCallObject } {
    const props = input.properties;
    const problems = Object.entries(props).flatMap(([name, value]) =>
      READ_ONLY.has(name)
        ? [{ isValid: false, message: `"${name}" is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name }]
        : !CALL_PROPERTIES.includes(name)
          ? [{ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name }]
          : name === 'hs_call_duration' && !/^\d+$/.test(value)
            ? [{ isValid: false, message: `${value} is not a valid number`, error: 'INVALID_INTEGER', name }]
            : name === 'hs_call_direction' && !['INBOUND', 'OUTBOUND'].includes(value)
              ? [{ isValid: false, message: `${value} was not one of the allowed options: [INBOUND, OUTBOUND]`, error: 'INVALID_OPTION', name }]
              : name === 'hs_call_status' && !CALL_STATUSES.includes(value)
                ? [{ isValid: false, message: `${value} was not one of the allowed options: [${CALL_STATUSES.join(', ')}]`, error: 'INVALID_OPTION', name }]
                : name === 'hs_call_disposition' && !DEFAULT_CALL_DISPOSITIONS.includes(value)
                  ? [{ isValid: false, message: `${value} is not a call outcome of this portal`, error: 'INVALID_OPTION', name }]
                  : [],
    );
    if (problems.length) return { error: propertyError(problems) };
    const ownerId = props.hubspot_owner_id || null;
    if (ownerId && !(owners.get(ownerId) && !owners.get(ownerId)!.archived)) {
      return { error: propertyError([{ isValid: false, message: `${ownerId} is not a valid owner id`, error: 'INVALID_OWNER_ID', name: 'hubspot_owner_id' }]) };
    }
    const at = props.hs_timestamp;
    if (at === undefined || at === '') return { error: { category: 'VALIDATION_ERROR', message: 'Error creating CALL. Some required properties were not set.', context: { properties: ['hs_timestamp'] } } };
    const ms = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
    if (!Number.isFinite(ms)) return { error: propertyError([{ isValid: false, message: `${at} is not a valid datetime`, error: 'INVALID_DATE', name: 'hs_timestamp' }]) };
    const contactIds: string[] = [];
    for (const a of input.associations) {
      for (const t of a.types) {
        if (t.associationTypeId !== CALL_TO_CONTACT || t.associationCategory !== 'HUBSPOT_DEFINED') return { error: { category: 'VALIDATION_ERROR', message: `${t.associationTypeId} is not a valid association type id from CALL.` } };
        if (!live(contacts, a.to.id)) return { error: { category: 'VALIDATION_ERROR', message: 'One or more associations are invalid', context: { ids: [a.to.id] } } };
        contactIds.push(a.to.id);
      }
    }
    return { call: { id: '', properties: { ...props, hs_timestamp: new Date(ms).toISOString() }, ...(input.objectWriteTraceId ? { objectWriteTraceId: input.objectWriteTraceId } : {}), createdAt: iso(), createdByUserId: userId, contactIds, archived: false } };
  }

  function createCalls(body: unknown, userId: string | null): Reply {
    const inputs = (body as { inputs: CallCreateInput[] }).inputs;
    if (inputs.length > BATCH_MAX) return error(400, 'VALIDATION_ERROR', `Batch input limit exceeded: ${inputs.length} inputs given, the maximum is ${BATCH_MAX}.`);
    const traceIds = inputs.map((i) => i.objectWriteTraceId);
    const traced = traceIds.every((id, n) => id && traceIds.indexOf(id) === n);
    const outcomes = inputs.map((i) => callFrom(i, userId));
    const failed = outcomes.flatMap((o, n) => ('error' in o ? [{ ...o.error, n }] : []));
    if (!traced && failed.length) {
      const { category, message, context } = failed[0]!;
      return error(400, category, message, context ? { context } : {});
    }
    const made = outcomes.flatMap((o) => ('call' in o ? [{ ...o.call, id: newId() }] : []));
    callObjects.push(...made);
    // Not in input order (HubSpot does not promise it).
    const results = made.map((c) => callJson(c, Object.keys(c.properties))).reverse();
    const times = { startedAt: iso(), completedAt: iso() };
    if (!failed.length) return { status: 201, body: { status: 'COMPLETE', results, ...times } };
    const errors = failed.map((f) => ({ status: 'error', category: f.category, message: f.message, context: { ...f.context, objectWriteTraceId: [traceIds[f.n]!] }, errors: [], links: {} }));
    return { status: 207, body: { status: 'COMPLETE', results, numErrors: errors.length, errors, ...times } };
  }

  function readCalls(body: unknown): Reply {
    const req = body as { inputs: { id: string }[]; properties: string[] };
    if (req.inputs.length > BATCH_MAX) return error(400, 'VALIDATION_ERROR', `Batch input limit exceeded: ${req.inputs.length} inputs given, the maximum is ${BATCH_MAX}.`);
    const results = [];
    const missing: string[] = [];
    for (const { id } of req.inputs) {
      const c = callObjects.find((x) => x.id === id && !x.archived);
      if (c) results.push(callJson(c, req.properties));
      else missing.push(id);
    }
    const times = { startedAt: iso(), completedAt: iso() };
    if (!missing.length) return { status: 200, body: { status: 'COMPLETE', results, ...times } };
    const errors = [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CALL objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: missing }, links: {} }];
    return { status: 207, body: { status: 'COMPLETE', results, numErrors: errors.length, errors, ...times } };
  }

  const CALL_TYPES = ['calls', 'call', '0-48'];
  /** Contact ↔ call associations (contact → call 193, call → contact 194), as `linked` gives them for notes. */
  function linkedCalls(from: 'calls' | 'contacts', id: string): { id: string; typeId: number }[] {
    if (from === 'calls') return (callObjects.find((c) => c.id === id && !c.archived)?.contactIds ?? []).filter((c) => !archived.has(c)).map((c) => ({ id: c, typeId: CALL_TO_CONTACT }));
    if (archived.has(id) || !contacts.has(id)) return [];
    return callObjects.filter((c) => !c.archived && c.contactIds.includes(id)).map((c) => ({ id: c.id, typeId: 193 }));
  }

  const NOTE_TYPES = ['notes', 'note', '0-46'];
  const recordType = (t: string) => (objectsOf(t) === contacts ? 'contacts' : objectsOf(t) === leads ? 'leads' : undefined);
  const singular = { contacts: 'contact', leads: 'lead', notes: 'note' } as const;

  /** Live associations of one object towards the other side, as `{id, typeId}`. */
  function linked(from: 'notes' | 'contacts' | 'leads', id: string, to: 'notes' | 'contacts' | 'leads'): { id: string; typeId: number }[] {
    if (from === 'notes') return (liveNote(id)?.associations ?? []).filter((a) => a.objectType === to && !archived.has(a.id)).map((a) => ({ id: a.id, typeId: a.typeId }));
    if (archived.has(id) || !objectsOf(from)!.has(id)) return [];
    // The same association read from the record's side, with the reverse type: contact → note is 201
    // (HubSpot's association type list); lead → note is not documented, 854 is assumed as 855's pair.
    return notes.filter((n) => !n.archived && n.associations.some((a) => a.objectType === from && a.id === id)).map((n) => ({ id: n.id, typeId: from === 'contacts' ? 201 : 854 }));
  }

  function readAssociations(fromType: string, toType: string, body: unknown): Reply {
    if (CALL_TYPES.includes(fromType) || CALL_TYPES.includes(toType)) return readCallAssociations(fromType, toType, body);
    const from = NOTE_TYPES.includes(fromType) ? 'notes' : recordType(fromType);
    const to = NOTE_TYPES.includes(toType) ? 'notes' : recordType(toType);
    if (!from || !to || (from === 'notes') === (to === 'notes')) return error(400, 'VALIDATION_ERROR', `Unsupported association: ${fromType} to ${toType}.`);
    const inputs = (body as { inputs: { id: string; after?: string }[] }).inputs;
    const results = [];
    const errors = [];
    for (const input of inputs) {
      const all = linked(from, input.id, to).sort((a, b) => Number(a.id) - Number(b.id));
      const offset = input.after === undefined ? 0 : Number(input.after);
      if (!Number.isInteger(offset) || offset < 0) return error(400, 'VALIDATION_ERROR', `Invalid "after": ${input.after}`);
      const page = all.slice(offset, offset + pageSize);
      if (!all.length) {
        // As HubSpot answers it, for a record with none and for one that does not exist alike.
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${singular[to]} is associated with ${singular[from]} ${input.id}.`,
          context: { fromObjectId: [input.id], fromObjectType: [singular[from]], toObjectType: [singular[to]] },
          links: {},
        });
        continue;
      }
      const more = offset + pageSize < all.length;
      results.push({
        from: { id: input.id },
        to: page.map((a) => ({ toObjectId: Number(a.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: a.typeId, label: null }] })),
        ...(more ? { paging: { next: { after: String(offset + pageSize), link: null } } } : {}),
      });
    }
    const times = { startedAt: iso(), completedAt: iso() };
    if (!errors.length) return { status: 200, body: { status: 'COMPLETE', results, ...times } };
    return { status: 207, body: { status: 'COMPLETE', results, numErrors: errors.length, errors, ...times } };
  }

  /** The same association read, between contacts and calls. */
  function readCallAssociations(fromType: string, toType: string, body: unknown): Reply {
    const from = CALL_TYPES.includes(fromType) ? 'calls' : recordType(fromType);
    const to = CALL_TYPES.includes(toType) ? 'calls' : recordType(toType);
    if (!((from === 'calls' && to === 'contacts') || (from === 'contacts' && to === 'calls'))) return error(400, 'VALIDATION_ERROR', `Unsupported association: ${fromType} to ${toType}.`);
    const name = { calls: 'call', contacts: 'contact' } as const;
    const inputs = (body as { inputs: { id: string; after?: string }[] }).inputs;
    const results = [];
    const errors = [];
    for (const input of inputs) {
      const all = linkedCalls(from, input.id).sort((a, b) => Number(a.id) - Number(b.id));
      const offset = input.after === undefined ? 0 : Number(input.after);
      if (!Number.isInteger(offset) || offset < 0) return error(400, 'VALIDATION_ERROR', `Invalid "after": ${input.after}`);
      if (!all.length) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${name[to]} is associated with ${name[from]} ${input.id}.`,
          context: { fromObjectId: [input.id], fromObjectType: [name[from]], toObjectType: [name[to]] },
          links: {},
        });
        continue;
      }
      const page = all.slice(offset, offset + pageSize);
      const more = offset + pageSize < all.length;
      results.push({
        from: { id: input.id },
        to: page.map((a) => ({ toObjectId: Number(a.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: a.typeId, label: null }] })),
        ...(more ? { paging: { next: { after: String(offset + pageSize), link: null } } } : {}),
      });
    }
    const times = { startedAt: iso(), completedAt: iso() };
    if (!errors.length) return { status: 200, body: { status: 'COMPLETE', results, ...times } };
    return { status: 207, body: { status: 'COMPLETE', results, numErrors: errors.length, errors, ...times } };
  }

  function readObject(type: string, id: string, query: URLSearchParams): Reply {
    if (NOTE_TYPES.includes(type)) {
      const note = liveNote(id);
      return note ? { status: 200, body: noteJson(note, query.get('properties')?.split(',').filter(Boolean)) } : error(404, 'OBJECT_NOT_FOUND', 'resource not found');
    }
    const store = objectsOf(type);
    if (!store) return error(404, 'OBJECT_NOT_FOUND', `Unable to infer object type from: ${type}`);
    const record = live(store, id);
    if (!record) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
    const wanted = query.get('properties')?.split(',').filter(Boolean);
    const json: Record<string, unknown> = objectJson(id, record, wanted);
    const asked = query.get('associations')?.split(',') ?? [];
    const associations: Record<string, unknown> = {};
    if (store === leads && asked.some((a) => a === 'contacts' || a === '0-1')) {
      const contactId = leadContacts.get(id);
      if (contactId && !archived.has(contactId)) associations.contacts = { results: [{ id: contactId, type: 'lead_to_contact' }] };
    }
    if (asked.some((a) => NOTE_TYPES.includes(a))) {
      // As the v3 read lists them: a first page of ids, `paging.next` when there are more; none → no key.
      const from = store === contacts ? 'contacts' : 'leads';
      const all = linked(from, id, 'notes').sort((a, b) => Number(a.id) - Number(b.id));
      if (all.length) {
        associations.notes = {
          results: all.slice(0, pageSize).map((a) => ({ id: a.id, type: `${singular[from]}_to_note` })),
          ...(all.length > pageSize ? { paging: { next: { after: String(pageSize), link: null } } } : {}),
        };
      }
    }
    if (Object.keys(associations).length) json.associations = associations;
    return { status: 200, body: json };
  }

  /** `DELETE /crm/v3/objects/{type}/{id}`: moves it to the recycling bin (204, also when already gone). */
  function archive(type: string, id: string): Reply {
    if (NOTE_TYPES.includes(type)) {
      const note = notes.find((n) => n.id === id);
      if (note) {
        note.archived = true;
        archived.add(id);
      }
    } else if (objectsOf(type)) {
      if (objectsOf(type)!.has(id)) archived.add(id);
    } else {
      return error(404, 'OBJECT_NOT_FOUND', `Unable to infer object type from: ${type}`);
    }
    return { status: 204 };
  }

  // ---- who: token metadata and owners --------------------------------------------------------------
  /** `GET /oauth/v1/access-tokens/{token}`: a user's OAuth token's metadata, in HubSpot's shape. */
  function tokenInfo(asked: string): Reply {
    const userId = userTokens.get(asked);
    const user = userId ? users.get(userId) : undefined;
    if (user) {
      return {
        status: 200,
        body: { token: asked, user: user.email, hub_domain: `portal-${portalId}.hubspot.com`, scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.owners.read'], hub_id: portalId, app_id: 4_567_890, expires_in: 1_800, user_id: Number(user.userId), token_type: 'access' },
      };
    }
    // A private-app token, as HubSpot answers one (hubspot-api-nodejs#530); the status is assumed.
    if (/^pat-/.test(asked)) return { status: 400, body: { status: 'error', message: 'The access token must have the correct format', correlationId: randomUUID() } };
    return error(404, 'OBJECT_NOT_FOUND', 'Token not found');
  }

  function readOwners(query: URLSearchParams): Reply {
    const limit = Number(query.get('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return error(400, 'VALIDATION_ERROR', `Invalid limit: ${query.get('limit')}`);
    const offset = Number(query.get('after') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) return error(400, 'VALIDATION_ERROR', `Invalid "after": ${query.get('after')}`);
    const archivedOnly = query.get('archived') === 'true';
    const email = query.get('email')?.toLowerCase();
    const all = [...owners.values()].filter((o) => o.archived === archivedOnly && (!email || o.email.toLowerCase() === email)).sort((a, b) => Number(a.id) - Number(b.id));
    const page = all.slice(offset, offset + limit).map(ownerJson);
    const more = offset + limit < all.length;
    return { status: 200, body: { results: page, ...(more ? { paging: { next: { after: String(offset + limit), link: `?after=${offset + limit}` } } } : {}) } };
  }

  function readOwner(id: string, query: URLSearchParams): Reply {
    const by = query.get('idProperty') ?? 'id';
    if (by !== 'id' && by !== 'userId') return error(400, 'VALIDATION_ERROR', `Invalid idProperty: ${by}`);
    const archivedToo = query.get('archived') === 'true';
    const owner = [...owners.values()].find((o) => (by === 'id' ? o.id : o.userId) === id && o.archived === archivedToo);
    return owner ? { status: 200, body: ownerJson(owner) } : error(404, 'OBJECT_NOT_FOUND', `No owner with ${by} ${id}`);
  }

  // ---- routing ------------------------------------------------------------------------------------
  async function route(method: string, url: URL, req: IncomingMessage): Promise<Reply> {
    const path = url.pathname.replace(/\/+$/, '');
    let m: RegExpExecArray | null;
    // Token metadata needs no Authorization: the token it is asked about is the path.
    if (method === 'GET' && (m = /^\/oauth\/v1\/access-tokens\/([^/]+)$/.exec(path))) return admit(method, path) ?? tokenInfo(decodeURIComponent(m[1]!));

    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const userId = bearer === undefined ? undefined : bearer === token ? null : userTokens.get(bearer);
    if (userId === undefined) return AUTH_FAILED();
    const refused = admit(method, path);
    if (refused) return refused;

    if (method === 'GET' && path === '/account-info/v3/details') {
      return { status: 200, body: { portalId, accountType: 'STANDARD', timeZone: 'US/Eastern', companyCurrency: 'USD', additionalCurrencies: [], utcOffset: '-05:00', utcOffsetMilliseconds: -18_000_000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' } };
    }
    if (method === 'GET' && path === '/crm/v3/owners') return readOwners(url.searchParams);
    if (method === 'GET' && (m = /^\/crm\/v3\/owners\/(\d+)$/.exec(path))) return readOwner(m[1]!, url.searchParams);
    if (method === 'GET' && (m = /^\/crm\/v3\/objects\/([\w-]+)\/(\d+)$/.exec(path))) return readObject(m[1]!, m[2]!, url.searchParams);
    if (method === 'DELETE' && (m = /^\/crm\/v3\/objects\/([\w-]+)\/(\d+)$/.exec(path))) return archive(m[1]!, m[2]!);
    if (method !== 'POST') return error(404, 'NOT_FOUND', `No route for ${method} ${path} in the HubSpot stand-in.`);

    const body = await readJson(req);
    const invalid = invalidBody(method, path, body);
    if (invalid) return invalid;
    if ((m = /^\/crm\/v3\/objects\/(notes|0-46)\/batch\/create$/.exec(path))) return createNotes(body, userId);
    if ((m = /^\/crm\/v3\/objects\/(calls|0-48)\/batch\/create$/.exec(path))) return createCalls(body, userId);
    if ((m = /^\/crm\/v3\/objects\/(calls|0-48)\/batch\/read$/.exec(path))) return readCalls(body);
    if ((m = /^\/crm\/v3\/objects\/(notes|0-46)\/batch\/read$/.exec(path))) return readNotes(body);
    if ((m = /^\/crm\/v3\/objects\/(notes|0-46)\/search$/.exec(path))) return searchNotes(body);
    if ((m = /^\/crm\/v3\/objects\/([\w-]+)\/batch\/update$/.exec(path))) return batchUpdate(m[1]!, body);
    if ((m = /^\/crm\/v4\/associations\/([\w-]+)\/([\w-]+)\/batch\/read$/.exec(path))) return readAssociations(m[1]!, m[2]!, body);
    return error(404, 'NOT_FOUND', `No route for ${method} ${path} in the HubSpot stand-in.`);
  }

  function takeFault(method: string, path: string): Fault | undefined {
    const rule = faults.find((r) => r.left > 0 && (!r.match?.method || r.match.method.toUpperCase() === method) && (!r.match?.path || r.match.path.test(path)));
    if (!rule) return undefined;
    rule.left -= 1;
    return rule.fault;
  }

  function send(res: ServerResponse, reply: Reply) {
    const headers = { ...rateHeaders(), ...reply.headers };
    if (reply.status === 204) {
      res.writeHead(204, headers);
      return res.end();
    }
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8', ...headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://standin.invalid');
    const method = req.method ?? 'GET';
    const record = (status: number) => calls.push({ method, path: url.pathname, status, at: now() });
    const drop = () => {
      record(0);
      req.socket.destroy();
    };
    const fault = takeFault(method, url.pathname);
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'drop') return drop();
    if (fault?.kind === 'status') {
      const reply = { status: fault.status, body: fault.body ?? faultBody(fault.status), headers: fault.headers };
      record(reply.status);
      return send(res, reply);
    }
    let reply: Reply;
    try {
      reply = await route(method, url, req);
    } catch (e) {
      reply = e instanceof BadRequest ? error(400, 'VALIDATION_ERROR', e.message) : error(500, 'INTERNAL_ERROR', 'internal error');
    }
    if (fault?.kind === 'applyThenDrop') return drop();
    if (fault?.kind === 'applyThenStatus') reply = { status: fault.status, body: faultBody(fault.status) };
    record(reply.status);
    send(res, reply);
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const stamp = (props: Props): Props => ({ createdate: iso(), lastmodifieddate: iso(), ...props });
  return {
    url: `http://127.0.0.1:${port}`,
    get token() {
      return token;
    },
    portalId,
    calls,
    contacts,
    leads,
    notes,
    archived,
    callObjects,
    inject(rule) {
      faults.push({ ...rule, left: rule.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    rotateToken() {
      token = `pat-na1-${randomUUID()}`;
      return token;
    },
    addContact(props = {}) {
      const id = newId();
      contacts.set(id, { ...stamp(props), hs_object_id: id });
      return id;
    },
    deleteContact(id) {
      archive('contacts', id);
    },
    addLead(props = {}, contactId) {
      const id = newId();
      leads.set(id, { hs_pipeline: 'lead-pipeline-id', hs_pipeline_stage: 'new-stage-id', ...stamp(props), hs_object_id: id });
      if (contactId) leadContacts.set(id, contactId);
      return id;
    },
    addNote({ body, timestamp, contactId, leadId, indexed = true, createdByUserId, ownerId, modifiedAt }) {
      const id = newId();
      const associations: StandInNote['associations'] = [];
      if (contactId) associations.push({ objectType: 'contacts', id: contactId, typeId: 202 });
      if (leadId) associations.push({ objectType: 'leads', id: leadId, typeId: 855 });
      const modified = modifiedAt ? new Date(modifiedAt).toISOString() : iso();
      notes.push({ id, body, timestamp: new Date(timestamp).toISOString(), createdAt: modified, modifiedAt: modified, createdByUserId: createdByUserId ?? null, ownerId: ownerId ?? null, associations, searchableAt: indexed ? -Infinity : now() + searchLagMs, archived: false });
      return id;
    },
    deleteNote(id) {
      archive('notes', id);
    },
    editNote(id, body) {
      const note = notes.find((n) => n.id === id);
      if (!note) throw new Error(`No note ${id}`);
      Object.assign(note, { body, modifiedAt: iso() });
    },
    users,
    owners,
    addUser({ email, firstName, lastName, owner = true }) {
      const userId = String(++nextUserId);
      // An OAuth access token's look (HubSpot's are opaque base64-like strings, never `pat-…`).
      const userToken = `CKD${randomUUID().replace(/-/g, '')}`;
      const user: StandInUser = { userId, email, ...(firstName ? { firstName } : {}), ...(lastName ? { lastName } : {}), token: userToken };
      if (owner) {
        const ownerId = String(++nextOwnerId);
        owners.set(ownerId, { id: ownerId, userId, email, firstName: firstName ?? null, lastName: lastName ?? null, archived: false });
        user.ownerId = ownerId;
      }
      users.set(userId, user);
      userTokens.set(userToken, userId);
      return user;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
