/**
 * Salesforce's REST API (v66.0), spoken from the background service worker with OAuth 2.0 tokens from
 * `./oauth.ts` (`Authorization: Bearer …`; a 401 is answered by one refresh-token grant and one retry).
 * Contracts as Salesforce documents them:
 *
 * - sObject Collections update / create (≤200 records, `allOrNone`, SaveResults in request order; a
 *   well-formed request answers 200 even when records fail):
 *   https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-update.html
 *   https://developer.salesforce.com/docs/atlas.en-us.224.0.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
 *   https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_update_saveresult.htm
 * - Status codes and error bodies (`[{message, errorCode}]`; 401 = session expired or invalid; 403 with
 *   `REQUEST_LIMIT_EXCEEDED` = the org's API allocation is used up):
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 * - `Sforce-Limit-Info: api-usage=used/max` on every response (the org's 24-hour allocation):
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 * - Query and query-more (`totalSize`, `done`, `nextRecordsUrl`; up to 2,000 records a page, fewer for
 *   wide rows): https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.md
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_query_more_results.htm
 * - SOQL: long text area fields (Task.Description) cannot be filtered; strings in single quotes with
 *   backslash escapes; a URI of at most 16,384 bytes with 2,000 characters recommended:
 *   https://developer.salesforce.com/docs/atlas.en-us.236.0.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_fieldexpression.htm
 *   https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm
 *   https://help.salesforce.com/s/articleView?id=000386264&language=en_US&type=1
 * - Refresh token flow (`grant_type=refresh_token`, form-encoded; `invalid_grant` when expired or revoked):
 *   https://help.salesforce.com/apex/HTViewHelpDoc?id=remoteaccess_oauth_refresh_token_flow.htm&language=en_US
 *   https://developer.salesforce.com/docs/atlas.en-us.222.0.api_rest.meta/api/intro_understanding_refresh_token_oauth.htm
 * - UserInfo endpoint (`organization_id`): https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_using_userinfo_endpoint.htm
 * - Task fields (WhoId, Subject ≤255, Description long text, ActivityDate, Status, Priority, TaskSubtype):
 *   https://developer.salesforce.com/docs/atlas.en-us.200.0.object_reference.meta/object_reference/sforce_api_objects_openactivity.htm
 *
 * Not confirmed in Salesforce's docs as we could search them: the exact wording of per-record messages
 * (`entity is deleted`, `bad value for restricted picklist field: …`), which per-record status codes are
 * worth a retry (we retry `UNABLE_TO_LOCK_ROW` and similar), and how the identity service answers a bad
 * token (we only use it for the org id, and fall back to the id the sign-in returned).
 */
import { NOTE_MARKER } from '../../domain/note-format';
import {
  CrmError,
  retryAfterMs,
  type Connection,
  type Credentials,
  type CrmApi,
  type CrmApiDeps,
  type CrmApiModule,
  type ImportedNote,
  type ItemResult,
  type ReadLeadResult,
  type WriteBack,
} from '../api';
import type { LeadRef } from '../types';
import { crmStrings as shared } from '../../i18n/crm';
import { messages as t } from './messages';
import { startSalesforceLogin } from './oauth';
import { salesforceIdChecksum, toLeadId18 } from './page';

/** The product's name in the shared CRM sentences (`src/i18n/en/crm.ts`). */
const NAME = 'Salesforce';

export const API_VERSION = 'v66.0';
export const DATA_PATH = `/services/data/${API_VERSION}`;
/** sObject Collections take at most 200 records. */
export const MAX_BATCH = 200;
export const TASK_SUBJECT_MAX = 255;
/** Task.Description is a long text area of 32,000 characters. */
export const TASK_DESCRIPTION_MAX = 32_000;
/** Every task we create starts with this; imports and duplicate checks search for it. */
export const TASK_SUBJECT_PREFIX = 'Lead qualification';
const REQUEST_TIMEOUT_MS = 30_000;
/** The allocation is a rolling 24 hours and Salesforce sends no Retry-After: an hour is a sane pause. */
const LIMIT_EXCEEDED_WAIT_MS = 60 * 60_000;
/** Salesforce recommends URIs of at most 2,000 characters (help article 000386264). */
const QUERY_URL_MAX = 2_000;
/** Rows per import page (`Sforce-Query-Options: batchSize`, 200–2,000). */
const IMPORT_BATCH_SIZE = 200;
const ACTIVITY_LIMIT = 200;
const CAMPAIGN_LIMIT = 50;
/** Per-record failures that say "not now" rather than "never". */
const RETRYABLE_RECORD_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'REQUEST_RUNNING_TOO_LONG', 'SERVER_UNAVAILABLE', 'ALL_OR_NONE_OPERATION_ROLLED_BACK']);

// ---------------------------------------------------------------------------------------------------
// Small readers that never trust the body's types.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const clip = (s: string | undefined, max: number) => (s === undefined ? undefined : s.slice(0, max));

function parseJson(raw: string): unknown {
  try {
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** A Salesforce date (`2026-11-20`) or datetime (`2026-11-20T12:00:00.000+0000`) as ISO, or undefined. */
export function isoOf(v: unknown): string | undefined {
  const s = text(v);
  if (!s) return undefined;
  const normal = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normal);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The 18-character form of any Salesforce id (org, user, record), or undefined when malformed. */
export function id18(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(raw)) return undefined;
  const id15 = raw.slice(0, 15);
  const checksum = salesforceIdChecksum(id15);
  if (raw.length === 18 && raw.slice(15).toUpperCase() !== checksum) return undefined;
  return id15 + checksum;
}

export interface SalesforceError {
  message?: string;
  code?: string;
}

/** REST errors are `[{message, errorCode}]`; OAuth endpoints answer `{error, error_description}`. */
export function errorOf(body: unknown): SalesforceError {
  const first = Array.isArray(body) ? body[0] : body;
  if (!isRecord(first)) return {};
  return { message: text(first.message) ?? text(first.error_description), code: text(first.errorCode) ?? text(first.error) };
}

export interface LimitInfo {
  /** API requests the org used in the last 24 hours, and its allocation. */
  used: number;
  max: number;
  /** When we saw it (ISO). */
  at: string;
}

/** `api-usage=18/5000; per-app-api-usage=17/250(appName=…)` → the org-wide usage. */
export function parseLimitInfo(header: string | null, now: number): LimitInfo | undefined {
  const m = /(?:^|[;\s])api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  return m ? { used: Number(m[1]), max: Number(m[2]), at: new Date(now).toISOString() } : undefined;
}

// ---------------------------------------------------------------------------------------------------
// SOQL text. Strings go in single quotes with backslash escapes; inside LIKE, `%` and `_` are wildcards
// unless escaped.

const SOQL_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '"': '\\"' };
export const soqlString = (s: string) => `'${s.replace(/[\\'\n\r\t\b\f"]/g, (c) => SOQL_ESCAPES[c]!)}'`;
/** A LIKE pattern matching `s` anywhere, with `s`'s own wildcards escaped. */
export const soqlContains = (s: string) => `'%${s.replace(/[\\'\n\r\t\b\f"]/g, (c) => SOQL_ESCAPES[c]!).replace(/[%_]/g, '\\$&')}%'`;

// ---------------------------------------------------------------------------------------------------
// Task subject and description: what a rep reads in Salesforce, bounded to Salesforce's field sizes.

/** Cuts at most `n` UTF-16 units from the start without splitting a surrogate pair. */
function head(s: string, n: number): string {
  if (n <= 0) return '';
  if (s.length <= n) return s;
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/** The last `n` UTF-16 units without splitting a surrogate pair. */
function tail(s: string, n: number): string {
  if (n <= 0) return '';
  if (s.length <= n) return s;
  const code = s.charCodeAt(s.length - n);
  return s.slice(code >= 0xdc00 && code <= 0xdfff ? s.length - n + 1 : s.length - n);
}

/** One line, at most 255 characters, starting with our prefix and holding the key (duplicate checks search for both). */
export function taskSubject(subject: string, key: string): string {
  const line = subject.replace(/\s+/g, ' ').trim();
  const prefixed = line.startsWith(TASK_SUBJECT_PREFIX) ? line : `${TASK_SUBJECT_PREFIX}: ${line}`;
  if (prefixed.length <= TASK_SUBJECT_MAX && prefixed.includes(key)) return prefixed;
  const suffix = ` (${key})`;
  const rest = prefixed.split(suffix).join('').split(key).join('').trim();
  const room = TASK_SUBJECT_MAX - suffix.length;
  return `${rest.length <= room ? rest : `${head(rest, room - 1)}…`}${suffix}`;
}

const SHORTENED = '[The readable part was shortened to fit Salesforce’s 32,000-character task description; the extension keeps the full note.]';
const CUT = '[This description was cut to fit Salesforce’s 32,000-character task description; the extension keeps the full note.]';

/**
 * The task description for a note body, at most `max` characters. The key and the structured block at
 * the end stay intact: when too long, the human-readable part is shortened (and says so). Only a block
 * that alone does not fit gets cut in the middle, keeping the key and the block's last line.
 */
export function taskDescription(body: string, key: string, max = TASK_DESCRIPTION_MAX): string {
  const full = body.includes(key) ? body : `(${key})\n${body}`;
  if (full.length <= max) return full;
  const blockAt = full.lastIndexOf(`--- ${NOTE_MARKER}`);
  if (blockAt > 0) {
    const end = `\n…\n\n${SHORTENED}\n\n${full.slice(blockAt)}`;
    const shortened = head(full.slice(0, blockAt).trimEnd(), max - end.length) + end;
    if (end.length <= max && shortened.includes(key)) return shortened;
  }
  // The notice only where there is room for it: the key always comes first.
  const start = max >= CUT.length + key.length + 200 ? `${CUT}\n(${key})\n` : `(${key})\n`;
  const room = Math.max(0, max - start.length - 3);
  return head(`${start}${head(full, Math.floor(room / 2))}\n…\n${tail(full, room - Math.floor(room / 2))}`, max);
}

// ---------------------------------------------------------------------------------------------------
// Reading a lead into a lead profile.

/** ISO country codes → the regions the default ICP speaks of. Unlisted countries keep their name. */
const REGIONS: Record<string, readonly string[]> = {
  'North America': ['us', 'ca'],
  'Latin America': ['mx', 'br', 'ar', 'cl', 'co', 'pe', 'uy', 'py', 'bo', 'ec', 've', 'cr', 'pa', 'gt', 'hn', 'sv', 'ni', 'do', 'cu', 'pr'],
  Europe: [
    'gb', 'ie', 'fr', 'de', 'nl', 'be', 'lu', 'ch', 'at', 'it', 'es', 'pt', 'dk', 'se', 'no', 'fi', 'is', 'pl', 'cz', 'sk',
    'hu', 'ro', 'bg', 'gr', 'si', 'hr', 'rs', 'ba', 'me', 'mk', 'al', 'ee', 'lv', 'lt', 'ua', 'md', 'cy', 'mt',
  ],
  'Asia Pacific': ['au', 'nz', 'jp', 'kr', 'cn', 'hk', 'tw', 'sg', 'my', 'th', 'vn', 'ph', 'id', 'in', 'pk', 'bd', 'lk'],
  'Middle East & Africa': ['ae', 'sa', 'qa', 'kw', 'bh', 'om', 'il', 'tr', 'eg', 'za', 'ng', 'ke', 'ma', 'tn', 'gh'],
};
const REGION_OF = new Map(Object.entries(REGIONS).flatMap(([region, codes]) => codes.map((c) => [c, region] as const)));
/** Country names as reps type them in orgs without State and Country picklists. */
const COUNTRY_CODES: Record<string, string> = {
  'united states': 'us', 'united states of america': 'us', usa: 'us', 'u.s.': 'us', 'u.s.a.': 'us', canada: 'ca',
  'united kingdom': 'gb', uk: 'gb', 'great britain': 'gb', england: 'gb', scotland: 'gb', wales: 'gb', ireland: 'ie',
  germany: 'de', deutschland: 'de', france: 'fr', netherlands: 'nl', 'the netherlands': 'nl', belgium: 'be', switzerland: 'ch',
  austria: 'at', italy: 'it', spain: 'es', portugal: 'pt', denmark: 'dk', sweden: 'se', norway: 'no', finland: 'fi', poland: 'pl',
  mexico: 'mx', brazil: 'br', argentina: 'ar', chile: 'cl', colombia: 'co', australia: 'au', 'new zealand': 'nz', japan: 'jp',
  'south korea': 'kr', china: 'cn', singapore: 'sg', india: 'in', 'united arab emirates': 'ae', israel: 'il', 'south africa': 'za',
};

function regionOf(countryCode: unknown, country: unknown): string | undefined {
  const name = text(country);
  const code = text(countryCode)?.toLowerCase() ?? (name && name.length === 2 ? name.toLowerCase() : name ? COUNTRY_CODES[name.toLowerCase()] : undefined);
  return (code && REGION_OF.get(code)) ?? name;
}

type Activity = { type: string; at: string; detail?: string };

/** Campaign names → the scorer's activity types, for campaign responses. */
const CAMPAIGN_TYPES: readonly [RegExp, string][] = [
  [/\bdemo\b/i, 'demo_request'],
  [/contact (us|sales)|talk to (sales|an expert)|get in touch|request a (call|quote)|book a (call|meeting)/i, 'contact_request'],
  [/pricing/i, 'pricing_page_visit'],
  [/case stud/i, 'case_study_download'],
  [/webinar/i, 'webinar_attended'],
  [/newsletter/i, 'newsletter_signup'],
  [/\bblog\b/i, 'blog_subscription'],
  [/\btrial\b|sign ?up|create (an )?account|free account/i, 'account_created'],
  [/e-?book|white ?paper|\bguide\b|\breport\b|download|checklist|template/i, 'document_download'],
];

/** Task kinds that are a rep reaching the lead (they stop the speed-to-lead clock). */
const CONTACT_SUBTYPES: Record<string, string> = { Call: 'call', Email: 'sales_email', LinkedIn: 'linkedin_message', Cadence: 'sales_touch' };
const CONTACT_TYPES: Record<string, string> = { Call: 'call', Email: 'sales_email', Meeting: 'meeting' };

const isOurTask = (t: Record<string, unknown>) => (text(t.Subject) ?? '').startsWith(TASK_SUBJECT_PREFIX);
const isDone = (t: Record<string, unknown>) => t.Status === 'Completed' || t.IsClosed === true;

/**
 * Activities: marketing engagement is what Salesforce records natively as campaign responses, plus the
 * email bounce and opt-out flags; sales touches come from logged tasks (calls, emails). Our own
 * qualification tasks are left out.
 */
export function activitiesOf(lead: Record<string, unknown>, tasks: readonly Record<string, unknown>[], members: readonly Record<string, unknown>[]): Activity[] {
  const out: Activity[] = [];
  const add = (type: string, at: string | undefined, detail?: string) => {
    if (at) out.push({ type, at, ...(detail ? { detail: detail.slice(0, 500) } : {}) });
  };
  for (const m of members) {
    if (m.HasResponded !== true) continue;
    const campaign = isRecord(m.Campaign) ? m.Campaign : {};
    const name = text(campaign.Name) ?? t.activity.campaign;
    const type = text(campaign.Type) === 'Webinar' ? 'webinar_attended' : (CAMPAIGN_TYPES.find(([re]) => re.test(name))?.[1] ?? 'campaign_response');
    add(type, isoOf(m.FirstRespondedDate) ?? isoOf(m.CreatedDate), [name, text(m.Status)].filter(Boolean).join(': '));
  }
  for (const t of tasks) {
    // Open tasks are plans (a follow-up next week), not something that happened.
    if (isOurTask(t) || !isDone(t)) continue;
    const subtype = text(t.TaskSubtype) ?? '';
    const type = subtype === 'ListEmail' ? 'list_email' : (CONTACT_SUBTYPES[subtype] ?? CONTACT_TYPES[text(t.Type) ?? ''] ?? 'task');
    add(type, isoOf(t.CompletedDateTime) ?? isoOf(t.ActivityDate) ?? isoOf(t.CreatedDate), text(t.Subject));
  }
  const bouncedAt = isoOf(lead.EmailBouncedDate);
  if (bouncedAt) add('hard_bounce', bouncedAt, text(lead.EmailBouncedReason) ? t.activity.emailBouncedBecause(text(lead.EmailBouncedReason)!) : t.activity.emailBounced);
  // The opt-out flag has no date of its own: the record's last change is the closest Salesforce keeps.
  if (lead.HasOptedOutOfEmail === true) add('unsubscribe', isoOf(lead.LastModifiedDate), t.activity.optedOut);
  return out.slice(0, 5000);
}

/** The first time a rep reached the lead: the earliest completed call/email task, or Salesforce's own fields. */
function firstContactOf(lead: Record<string, unknown>, tasks: readonly Record<string, unknown>[]): string | undefined {
  const times = tasks
    .filter((t) => !isOurTask(t) && isDone(t) && (CONTACT_SUBTYPES[text(t.TaskSubtype) ?? ''] || CONTACT_TYPES[text(t.Type) ?? '']))
    .map((t) => isoOf(t.CompletedDateTime) ?? isoOf(t.ActivityDate) ?? isoOf(t.CreatedDate));
  // Present in orgs with Sales Engagement; absent fields are simply not in the record.
  times.push(isoOf(lead.FirstCallDateTime), isoOf(lead.FirstEmailDateTime));
  return times.filter((t): t is string => t !== undefined).sort()[0];
}

export function profileOf(lead: Record<string, unknown>, tasks: readonly Record<string, unknown>[] = [], members: readonly Record<string, unknown>[] = []): ReadLeadResult['profile'] {
  const name = text(lead.Name) ?? ([text(lead.FirstName), text(lead.LastName)].filter(Boolean).join(' ') || undefined);
  const size = lead.NumberOfEmployees;
  const responded = members.find((m) => m.HasResponded === true) ?? members[0];
  const campaign = responded && isRecord(responded.Campaign) ? text(responded.Campaign.Name) : undefined;
  return {
    name: clip(name, 300),
    email: clip(text(lead.Email), 320),
    company: clip(text(lead.Company), 300),
    title: clip(text(lead.Title), 300),
    companySize: typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : undefined,
    industry: clip(text(lead.Industry), 200),
    // From the country only: a state or province alone would read as a region that matches no ICP.
    region: clip(regionOf(lead.CountryCode, lead.Country), 200),
    source: clip(text(lead.LeadSource), 200),
    campaign: clip(campaign, 200),
    crmStatus: clip(text(lead.Status), 100),
    // Salesforce has no standard MQL date. A lead record is created when marketing hands the person to
    // sales (form, import, or the marketing automation sync), which is when the speed-to-lead clock starts.
    mqlAt: isoOf(lead.CreatedDate),
    firstContactAt: firstContactOf(lead, tasks),
    activities: activitiesOf(lead, tasks, members),
  };
}

// ---------------------------------------------------------------------------------------------------
// The API.

export interface SalesforceApiOptions {
  /** Abort a request after this long (default 30 s); an aborted write may still have been applied. */
  timeoutMs?: number;
  /** Rows per `importNotes` page (default 200). */
  importBatchSize?: number;
}

export interface SalesforceApi extends CrmApi {
  /** The org's API usage from the last `Sforce-Limit-Info` header seen, for the options page. */
  readonly lastLimitInfo: LimitInfo | undefined;
  importNotes(cursor: string | undefined): Promise<{ notes: ImportedNote[]; cursor?: string }>;
}

type Failure = Extract<ItemResult, { ok: false }>;
const failure = (key: string, permanent: boolean, message: string, status?: number): Failure => ({ key, ok: false, permanent, message, ...(status ? { status } : {}) });

interface SaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode?: string; message?: string; fields: string[] }[];
}

function saveResults(data: unknown): SaveResult[] {
  return list(data).map((r) =>
    isRecord(r)
      ? {
          id: text(r.id),
          success: r.success === true,
          errors: list(r.errors).map((e) => (isRecord(e) ? { statusCode: text(e.statusCode), message: text(e.message), fields: list(e.fields).filter((f): f is string => typeof f === 'string') } : { fields: [] })),
        }
      : { success: false, errors: [] },
  );
}

const describeErrors = (r: SaveResult) => r.errors.map((e) => `${e.message ?? t.noMessage}${e.statusCode ? ` (${e.statusCode})` : ''}`).join('; ') || t.noReason;
const retryable = (r: SaveResult) => r.errors.length > 0 && r.errors.every((e) => e.statusCode && RETRYABLE_RECORD_CODES.has(e.statusCode));

/** `MyDomainName` of a My Domain API host or a Lightning host (sandbox, developer and scratch forms too). */
function myDomainName(host: string, suffix: 'api' | 'lightning'): string | undefined {
  const re = suffix === 'api' ? /^(.+)\.my\.salesforce\.(?:com|mil)$/i : /^(.+)\.lightning\.force\.(?:com|mil)$/i;
  return re.exec(host)?.[1]?.toLowerCase();
}

export function createSalesforceApi(connection: Connection, deps: CrmApiDeps, options: SalesforceApiOptions = {}): SalesforceApi {
  const base = connection.apiBase.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const mapping = connection.mapping;
  let credentials: Credentials = connection.credentials;
  let refreshing: Promise<void> | undefined;
  let lastLimitInfo: LimitInfo | undefined;

  const accessToken = () => (credentials.kind === 'oauth' ? credentials.accessToken : credentials.token);

  const unreachable = (e: unknown, write: boolean, sentence = (why: string) => shared.unreachable(NAME, why)) => {
    const why = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? shared.noAnswerWithin(timeoutMs / 1000) : e instanceof Error ? e.message : String(e);
    return new CrmError('transient', sentence(why), { mayHaveApplied: write });
  };

  /** One HTTP exchange through the sync loop's fetch. Cookies are never sent or read: only the token. */
  async function send(method: string, path: string, token: string, body: unknown, headers: Record<string, string>, write: boolean) {
    try {
      const res = await deps.fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { res, raw: await res.text() };
    } catch (e) {
      throw unreachable(e, write);
    }
  }

  /**
   * One request. A 401 gets one token refresh and one retry; other failures become `CrmError`s: 403
   * REQUEST_LIMIT_EXCEEDED and 5xx transient (a write may have landed on a 5xx), other 4xx permanent,
   * network errors and timeouts transient with `mayHaveApplied` for writes.
   */
  async function call(method: 'GET' | 'POST' | 'PATCH', path: string, opts: { body?: unknown; write?: boolean; headers?: Record<string, string> } = {}) {
    const write = opts.write ?? method !== 'GET';
    let token = accessToken();
    let { res, raw } = await send(method, path, token, opts.body, opts.headers ?? {}, write);
    if (res.status === 401) {
      await refreshAfter(token);
      token = accessToken();
      ({ res, raw } = await send(method, path, token, opts.body, opts.headers ?? {}, write));
    }
    lastLimitInfo = parseLimitInfo(res.headers.get('sforce-limit-info'), deps.now()) ?? lastLimitInfo;
    const data = parseJson(raw);
    if (!res.ok) throw failureOf(res, data, write);
    // A success we cannot read may still have been applied.
    if (raw && data === undefined) throw new CrmError('transient', shared.notJson(NAME, res.status), { status: res.status, mayHaveApplied: write });
    return { status: res.status, data };
  }

  function failureOf(res: Response, data: unknown, write: boolean): CrmError {
    const e = errorOf(data);
    const message = `${e.message ?? shared.answered(NAME, res.status)}${e.code ? ` (${e.code})` : ''}`;
    const details = { status: res.status, code: e.code };
    const wait = retryAfterMs(res.headers.get('retry-after'), deps.now());
    if (res.status === 401) return new CrmError('auth', t.sessionRejected(message), details);
    if (res.status === 403 && e.code === 'REQUEST_LIMIT_EXCEEDED') {
      return new CrmError('transient', t.limitExceeded(message), { ...details, retryAfterMs: wait ?? LIMIT_EXCEEDED_WAIT_MS });
    }
    if (res.status === 429) return new CrmError('transient', message, { ...details, retryAfterMs: wait });
    if (res.status >= 500) return new CrmError('transient', message, { ...details, retryAfterMs: wait, mayHaveApplied: write });
    return new CrmError('permanent', message, details);
  }

  /** Renews the access token once for everyone who saw it fail; a concurrent caller waits for the same refresh. */
  async function refreshAfter(failedToken: string): Promise<void> {
    if (accessToken() !== failedToken) return; // someone else renewed it meanwhile
    refreshing ??= refresh().finally(() => (refreshing = undefined));
    await refreshing;
  }

  async function refresh(): Promise<void> {
    if (credentials.kind !== 'oauth' || !credentials.refreshToken) {
      throw new CrmError('auth', t.noRefreshToken, { status: 401, code: 'INVALID_SESSION_ID' });
    }
    const current = credentials;
    let res: Response;
    let raw: string;
    try {
      res = await deps.fetch(current.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: current.clientId, refresh_token: current.refreshToken! }).toString(),
        credentials: 'omit',
        signal: AbortSignal.timeout(timeoutMs),
      });
      raw = await res.text();
    } catch (e) {
      // The session is not known to be dead: the connection stays, the call is retried later.
      throw unreachable(e, false, t.tokenEndpointUnreachable);
    }
    const data = parseJson(raw);
    if (!res.ok) {
      const e = errorOf(data);
      const why = `${e.message ?? t.renewAnswered(res.status)}${e.code ? ` (${e.code})` : ''}`;
      if (res.status === 429 || res.status >= 500) throw new CrmError('transient', t.cannotRenewNow(why), { status: res.status, code: e.code });
      throw new CrmError('auth', t.renewRefused(why), { status: res.status, code: e.code });
    }
    const next = isRecord(data) ? text(data.access_token) : undefined;
    if (!next) throw new CrmError('transient', t.noAccessToken, { status: res.status });
    // With refresh token rotation Salesforce sends a new refresh token and retires the old one.
    credentials = { ...current, accessToken: next, refreshToken: (isRecord(data) ? text(data.refresh_token) : undefined) ?? current.refreshToken };
    try {
      await deps.onCredentials?.(credentials);
    } catch {
      // Storing failed: this call still works with the token in memory; the next start refreshes again.
    }
  }

  /** Every page of a query, following `nextRecordsUrl` (only ever a query path on this instance). */
  async function queryAll(soql: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
    const records: Record<string, unknown>[] = [];
    let path: string | undefined = `${DATA_PATH}/query?q=${encodeURIComponent(soql)}`;
    while (path) {
      const { data } = await call('GET', path, { headers });
      records.push(...list(isRecord(data) ? data.records : undefined).filter(isRecord));
      path = nextPath(data);
    }
    return records;
  }

  /** A lead from another org must never be written with this org's session. */
  function orgMismatch(ref: LeadRef): string | undefined {
    const api = myDomainName(new URL(base).hostname, 'api');
    const page = myDomainName(ref.account ?? ref.host, 'lightning');
    if (!api || !page || api === page) return undefined;
    return t.orgMismatch(ref.account ?? ref.host, new URL(base).hostname);
  }

  /** The lead's 18-character id, or why this ref cannot be a Salesforce lead of this org. */
  function leadIdOf(ref: LeadRef): { id: string } | { problem: string } {
    if (ref.objectType.toLowerCase() !== 'lead') return { problem: t.unsupportedObject(ref.objectType) };
    const id = toLeadId18(ref.recordId);
    if (!id) return { problem: t.notALeadId(ref.recordId) };
    const mismatch = orgMismatch(ref);
    return mismatch ? { problem: mismatch } : { id };
  }

  /**
   * One sObject Collections update for all leads (one record per lead: Salesforce refuses the same id
   * twice in a call, and the latest decision wins). Returns the items whose update Salesforce confirmed;
   * the others get a per-item failure in Salesforce's words.
   */
  async function updateLeads(items: { item: WriteBack; id: string }[], results: Map<string, ItemResult>) {
    const byLead = new Map<string, WriteBack[]>();
    for (const { item, id } of items) byLead.set(id, [...(byLead.get(id) ?? []), item]);
    const records = [...byLead].map(([id, group]) => {
      const latest = group.at(-1)!;
      const record: Record<string, unknown> = { attributes: { type: 'Lead' }, id, [mapping.statusField]: latest.status };
      if (mapping.reasonField && latest.reason !== undefined) record[mapping.reasonField] = latest.reason === '' ? null : latest.reason;
      return record;
    });
    if (!records.length) return [];
    const { status, data } = await call('PATCH', `${DATA_PATH}/composite/sobjects`, { body: { allOrNone: false, records } });
    const saved = saveResults(data);
    const applied: { item: WriteBack; id: string }[] = [];
    [...byLead].forEach(([id, group], i) => {
      const r = saved[i]; // SaveResults come in request order; failed ones carry no id
      for (const item of group) {
        if (r?.success) applied.push({ item, id });
        else if (!r) results.set(item.key, failure(item.key, false, t.updateNotConfirmed(id), status));
        else if (r.errors.some((e) => e.statusCode === 'ENTITY_IS_DELETED')) results.set(item.key, failure(item.key, true, t.leadDeleted(describeErrors(r)), status));
        else results.set(item.key, failure(item.key, !retryable(r), t.updateFailed(id, describeErrors(r)), status));
      }
    });
    return applied;
  }

  /** Tasks already holding these keys (an earlier attempt's outcome was unknown): key → task id. */
  async function findTasks(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const select = 'SELECT Id, Subject, WhoId FROM Task WHERE ';
    const order = ' ORDER BY CreatedDate ASC, Id ASC';
    const urlLength = (conditions: string[]) => `${base}${DATA_PATH}/query?q=`.length + encodeURIComponent(`${select}${conditions.join(' OR ')}${order}`).length;
    const groups: string[][] = [];
    for (const key of keys) {
      const condition = `Subject LIKE ${soqlContains(key)}`;
      const last = groups.at(-1);
      if (last && urlLength([...last, condition]) <= QUERY_URL_MAX) last.push(condition);
      else groups.push([condition]);
    }
    for (const conditions of groups) {
      for (const task of await queryAll(`${select}${conditions.join(' OR ')}${order}`)) {
        const subject = text(task.Subject) ?? '';
        // LIKE is case-insensitive and matches substrings: the subject check makes sure the key itself is there.
        for (const key of keys) if (subject.includes(key) && !found.has(key) && text(task.Id)) found.set(key, text(task.Id)!);
      }
    }
    return found;
  }

  /** The day of the decision (UTC), Task.ActivityDate. */
  const dayOf = (at: string) => new Date(Number.isNaN(Date.parse(at)) ? deps.now() : Date.parse(at)).toISOString().slice(0, 10);

  /** One sObject Collections create for every task still missing; results match records by position. */
  async function createTasks(items: { item: WriteBack; id: string }[], results: Map<string, ItemResult>) {
    if (!items.length) return;
    const records = items.map(({ item, id }) => ({
      attributes: { type: 'Task' },
      WhoId: id,
      Subject: taskSubject(item.note.subject, item.key),
      Description: taskDescription(item.note.body, item.key),
      ActivityDate: dayOf(item.note.at),
      Status: 'Completed',
      Priority: 'Normal',
    }));
    const { status, data } = await call('POST', `${DATA_PATH}/composite/sobjects`, { body: { allOrNone: false, records } });
    const saved = saveResults(data);
    items.forEach(({ item }, i) => {
      const r = saved[i];
      if (r?.success && r.id) results.set(item.key, { key: item.key, ok: true, noteId: r.id });
      else if (!r || r.success) results.set(item.key, failure(item.key, false, t.taskNotConfirmed, status));
      else results.set(item.key, failure(item.key, !retryable(r), t.taskFailed(describeErrors(r)), status));
    });
  }

  async function push(items: readonly WriteBack[], unsure: ReadonlySet<string>): Promise<ItemResult[]> {
    if (items.length > MAX_BATCH) {
      throw new CrmError('permanent', shared.batchTooLarge(NAME, MAX_BATCH, items.length), { code: 'BATCH_TOO_LARGE' });
    }
    const results = new Map<string, ItemResult>();
    const valid: { item: WriteBack; id: string }[] = [];
    for (const item of items) {
      const lead = leadIdOf(item.ref);
      if ('problem' in lead) results.set(item.key, failure(item.key, true, lead.problem));
      else valid.push({ item, id: lead.id });
    }
    // A note-only write-back (a manager's review) leaves the lead's fields alone.
    const updates = valid.filter(({ item }) => item.status !== undefined);
    const applied = [...valid.filter(({ item }) => item.status === undefined), ...(updates.length ? await updateLeads(updates, results) : [])];
    const found = await findTasks(applied.filter(({ item }) => unsure.has(item.key)).map(({ item }) => item.key));
    for (const [key, noteId] of found) results.set(key, { key, ok: true, noteId });
    await createTasks(applied.filter(({ item }) => !found.has(item.key)), results);
    return items.map((i) => results.get(i.key) ?? failure(i.key, false, t.itemNotConfirmed));
  }

  /**
   * A query whose failure should not sink the whole read (an org without campaigns, a field the profile
   * cannot see): such rows are simply missing. Sessions and outages still fail the read.
   */
  async function optionalQuery(soql: string): Promise<Record<string, unknown>[]> {
    try {
      return await queryAll(soql);
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'permanent') return [];
      throw e;
    }
  }

  async function readLead(ref: LeadRef): Promise<ReadLeadResult> {
    const lead = leadIdOf(ref);
    if ('problem' in lead) throw new CrmError('permanent', lead.problem, { code: 'NOT_A_LEAD' });
    let record: Record<string, unknown>;
    try {
      const { data } = await call('GET', `${DATA_PATH}/sobjects/Lead/${lead.id}`);
      if (!isRecord(data)) throw new CrmError('transient', t.unreadableLead, { status: 200 });
      record = data;
    } catch (e) {
      if (e instanceof CrmError && e.details.status === 404) throw new CrmError('permanent', t.leadGone, { status: 404, code: e.details.code });
      throw e;
    }
    const tasks = await optionalQuery(
      `SELECT Id, Subject, TaskSubtype, Type, Status, IsClosed, ActivityDate, CompletedDateTime, CreatedDate FROM Task WHERE WhoId = ${soqlString(lead.id)} ORDER BY CreatedDate DESC LIMIT ${ACTIVITY_LIMIT}`,
    );
    const members = await optionalQuery(
      `SELECT Id, Status, HasResponded, FirstRespondedDate, CreatedDate, Campaign.Name, Campaign.Type FROM CampaignMember WHERE LeadId = ${soqlString(lead.id)} ORDER BY CreatedDate DESC LIMIT ${CAMPAIGN_LIMIT}`,
    );
    return { profile: profileOf(record, tasks, members) };
  }

  async function testConnection(): Promise<{ account?: string; label: string }> {
    // The versions resource proves the session works for the REST API (and renews it if it must).
    await call('GET', `${DATA_PATH}/`);
    let orgId: string | undefined;
    try {
      const { data } = await call('GET', '/services/oauth2/userinfo');
      orgId = id18(isRecord(data) ? data.organization_id : undefined);
    } catch (e) {
      // The identity service wants its own scopes; without them the sign-in's org id stands.
      if (e instanceof CrmError && e.kind === 'auth') throw e;
    }
    const account = orgId ?? connection.account;
    const host = new URL(base).host;
    return { account, label: account ? t.connectionLabel(account, host) : t.connectionLabelNoOrg(host) };
  }

  async function importNotes(cursor: string | undefined): Promise<{ notes: ImportedNote[]; cursor?: string }> {
    if (cursor !== undefined && !isQueryPath(cursor)) throw new CrmError('permanent', t.badCursor, { code: 'BAD_CURSOR' });
    // Task.Description cannot be filtered in SOQL: the subject narrows it down, the body check decides.
    const soql = `SELECT Id, WhoId, Subject, Description, CreatedDate FROM Task WHERE Subject LIKE ${soqlString(`${TASK_SUBJECT_PREFIX}%lq%`)} ORDER BY CreatedDate ASC, Id ASC`;
    const path = cursor ?? `${DATA_PATH}/query?q=${encodeURIComponent(soql)}`;
    let data: unknown;
    try {
      ({ data } = await call('GET', path, { headers: { 'sforce-query-options': `batchSize=${options.importBatchSize ?? IMPORT_BATCH_SIZE}` } }));
    } catch (e) {
      if (e instanceof CrmError && e.details.code === 'INVALID_QUERY_LOCATOR') throw new CrmError('permanent', t.cursorExpired, e.details);
      throw e;
    }
    const notes = list(isRecord(data) ? data.records : undefined)
      .filter(isRecord)
      .filter((t) => (text(t.Description) ?? '').includes(NOTE_MARKER) && text(t.Id))
      .map((t) => ({ noteId: text(t.Id)!, recordId: text(t.WhoId) ?? '', body: typeof t.Description === 'string' ? t.Description : '', at: isoOf(t.CreatedDate) ?? '' }));
    return { notes, cursor: nextPath(data) };
  }

  return {
    maxBatch: MAX_BATCH,
    get lastLimitInfo() {
      return lastLimitInfo;
    },
    push,
    readLead,
    testConnection,
    importNotes,
  };
}

/** `nextRecordsUrl` is a path on the instance; anything else is refused so the token never goes elsewhere. */
const isQueryPath = (p: string) => /^\/services\/data\/v\d+\.\d+\/query\/[A-Za-z0-9-]+$/.test(p);

function nextPath(data: unknown): string | undefined {
  if (!isRecord(data) || data.done !== false) return undefined;
  const next = text(data.nextRecordsUrl);
  return next && isQueryPath(next) ? next : undefined;
}

const salesforceApi: CrmApiModule = {
  id: 'salesforce',
  label: 'Salesforce',
  defaultMapping: {
    statusField: 'Status',
    // The default Lead Status picklist. Accepting hands the lead to a rep who is working it ("Closed -
    // Converted" is set by Salesforce's own lead conversion, which creates the contact and opportunity);
    // rejecting closes it unconverted; recycling reopens it for marketing to nurture.
    status: { accept: 'Working - Contacted', reject: 'Closed - Not Converted', recycle: 'Open - Not Contacted' },
    // Leads have no standard reason field: teams add one (e.g. Disqualification_Reason__c); until then
    // the reason travels in the task.
    reasonField: '',
    reasons: {},
  },
  // Salesforce meters a rolling 24-hour allocation (Sforce-Limit-Info), not a per-second rate; 25 per
  // second keeps a burst of write-backs well clear of the concurrent-request limit and spreads usage.
  rateLimit: { requests: 25, perMs: 1_000 },
  noteMaxChars: TASK_DESCRIPTION_MAX,
  hostPermissions: (apiBase) => [`${new URL(apiBase).origin}/*`, 'https://login.salesforce.com/*', 'https://test.salesforce.com/*'],
  create: (connection, deps) => createSalesforceApi(connection, deps),
  connectWith: 'oauth',
  signIn: (input, deps) => startSalesforceLogin({ ...input, redirectUri: deps.redirectUri, launchWebAuthFlow: deps.launchWebAuthFlow, fetch: deps.fetch }),
};

export default salesforceApi;
