/**
 * HubSpot's CRM API (v3 objects, v4 associations), spoken from the background service worker with a
 * private-app token or service key (`Authorization: Bearer …`). Contracts as HubSpot documents them:
 *
 * - Batch update (≤100 inputs; 200, or 207 with `errors[]` naming failed ids in `context.ids`):
 *   https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/contacts/batch/update-contacts.md
 *   https://developers.hubspot.com/changelog/simplifying-batch-update-response-codes-for-crm-v3-apis
 * - Notes (`hs_timestamp` required, `hs_note_body` ≤65,536 characters, associations on create; note→contact
 *   type 202): https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide
 *   https://developers.hubspot.com/docs/api-reference/2026-03/crm/activities/notes/batch/create-notes
 * - Search (`CONTAINS_TOKEN`, `sorts`, `after` paging; at most 5 filterGroups since Aug 2024):
 *   https://developers.hubspot.com/docs/api-reference/search/guide
 *   https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api
 * - Leads object 0-136 (`hs_pipeline_stage`, default lead pipeline stage ids):
 *   https://developers.hubspot.com/docs/api-reference/crm-leads-v3/guide
 * - Association batch read (`to[].toObjectId`):
 *   https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/batch/get-associations
 * - Rate limits, 429 body (`errorType: RATE_LIMIT`, `policyName`) and `X-HubSpot-RateLimit-*` headers:
 *   https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 * - Account details (`portalId`): https://developers.hubspot.com/docs/api-reference/latest/account/account-information/get-account-details
 *
 * Not found in HubSpot's docs as we could search them, only in working integrations' code: the note→lead
 * association type 855 and the lead property `hs_lead_disqualification_reason` (an enumeration whose
 * options each portal edits). Check both against a portal with the Leads object before relying on them
 * (`GET /crm/v4/associations/notes/0-136/labels`, `GET /crm/v3/properties/leads`).
 */
import { NOTE_MARKER } from '../../domain/note-format';
import {
  CrmError,
  retryAfterMs,
  type Connection,
  type CrmApi,
  type CrmApiDeps,
  type CrmApiModule,
  type ImportedNote,
  type ItemResult,
  type Mapping,
  type ReadLeadResult,
  type WriteBack,
} from '../api';
import type { LeadRef } from '../types';
import { crmStrings as shared } from '../../i18n/crm';
import { messages as t } from './messages';

/** The product's name in the shared CRM sentences (`src/i18n/en/crm.ts`). */
const NAME = 'HubSpot';

export const HUBSPOT_API_BASE = 'https://api.hubapi.com';
/** HubSpot's batch endpoints take at most 100 inputs. */
export const MAX_BATCH = 100;
/** `hs_note_body` holds at most 65,536 characters (of HTML). */
export const NOTE_BODY_MAX = 65_536;
/** Search takes at most 5 filterGroups (ORed); one key per group. */
const SEARCH_GROUPS = 5;
const REQUEST_TIMEOUT_MS = 30_000;
const IMPORT_PAGE_SIZE = 100;

/** HubSpot-defined association type ids, note → record. */
export const NOTE_TO_CONTACT = 202;
export const NOTE_TO_LEAD = 855;

/** Our object names (from `page.ts`) → the API's path segment and the note association. */
const OBJECTS = {
  contact: { path: 'contacts', associationPath: 'contacts', noteTypeId: NOTE_TO_CONTACT },
  lead: { path: 'leads', associationPath: '0-136', noteTypeId: NOTE_TO_LEAD },
} as const;
type ObjectType = keyof typeof OBJECTS;
const isObjectType = (t: string): t is ObjectType => Object.hasOwn(OBJECTS, t);

/**
 * The Leads object (0-136) tracks the decision as a stage of HubSpot's default lead pipeline rather than
 * `hs_lead_status`; recycling has no stage of its own, so it disqualifies (the note says "recycle").
 */
export const LEAD_STAGE_FIELD = 'hs_pipeline_stage';
export const LEAD_REASON_FIELD = 'hs_lead_disqualification_reason';
export const LEAD_STAGES = { accept: 'qualified-stage-id', reject: 'unqualified-stage-id', recycle: 'unqualified-stage-id' } as const;

// ---------------------------------------------------------------------------------------------------
// Response shapes (only what we read) and small readers that never trust the body's types.

type Props = Record<string, string | null | undefined>;
interface HubSpotObject {
  id: string;
  properties: Props;
  associations?: Record<string, { results?: { id?: string | number }[] }>;
}
interface HubSpotErrorBody {
  message?: string;
  category?: string;
  errorType?: string;
  context?: Record<string, unknown>;
}
interface BatchBody {
  results: HubSpotObject[];
  errors: HubSpotErrorBody[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function hubspotObject(v: unknown): HubSpotObject | undefined {
  if (!isRecord(v) || (typeof v.id !== 'string' && typeof v.id !== 'number')) return undefined;
  return { id: String(v.id), properties: isRecord(v.properties) ? (v.properties as Props) : {}, associations: isRecord(v.associations) ? (v.associations as HubSpotObject['associations']) : undefined };
}

function errorBody(v: unknown): HubSpotErrorBody {
  if (!isRecord(v)) return {};
  return { message: text(v.message), category: text(v.category), errorType: text(v.errorType), context: isRecord(v.context) ? v.context : undefined };
}

function batchBody(v: unknown): BatchBody {
  const body = isRecord(v) ? v : {};
  return {
    results: list(body.results).map(hubspotObject).filter((o): o is HubSpotObject => o !== undefined),
    errors: list(body.errors).map(errorBody),
  };
}

/** The strings an error's `context` holds under `key` (HubSpot uses arrays: `{ ids: ['1', '2'] }`). */
function contextValues(e: HubSpotErrorBody, key: string): string[] {
  const v = e.context?.[key];
  return (Array.isArray(v) ? v : [v]).filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
}

// ---------------------------------------------------------------------------------------------------
// Note bodies: HubSpot stores notes as HTML. Plain text goes in escaped, one `<p>` per line, and comes
// back out as the same text, so the structured block survives the round trip.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const paragraphs = (lines: readonly string[]) => lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');

/**
 * The note's lines: the subject first (it carries the key, so the note is findable even if the block had
 * to be cut), replacing the body's own first line when the subject merely adds the key to it.
 */
function noteLines(subject: string, body: string): string[] {
  const lines = body.split(/\r?\n/);
  const first = lines[0]?.trim() ?? '';
  if (first && subject.startsWith(first)) lines[0] = subject;
  else lines.unshift(subject);
  return lines;
}

const SHORTENED = 'The readable part was shortened to fit HubSpot’s note size; the extension keeps the full note.';
const CUT = 'This note was cut to fit HubSpot’s note size; the extension keeps the full note.';

/**
 * The HTML note for a write-back, at most `max` characters. Escaping makes HTML longer than the text, so
 * when it does not fit the readable lines go first (the subject and the structured block stay); only a
 * block that alone is too long gets cut, and then the subject still holds the key.
 */
export function noteHtml(subject: string, body: string, max = NOTE_BODY_MAX): string {
  const lines = noteLines(subject, body);
  const full = paragraphs(lines);
  if (full.length <= max) return full;

  const blockAt = lines.findIndex((l, i) => i > 0 && l.includes(NOTE_MARKER));
  const block = blockAt > 0 ? lines.slice(blockAt) : [];
  const readable = lines.slice(1, blockAt > 0 ? blockAt : lines.length);
  const fixed = paragraphs([lines[0]!, SHORTENED, ...block]);
  if (fixed.length <= max) {
    let room = max - fixed.length;
    const kept: string[] = [];
    for (const line of readable) {
      const size = paragraphs([line]).length;
      if (size > room) break;
      kept.push(line);
      room -= size;
    }
    return paragraphs([lines[0]!, ...kept, SHORTENED, ...block]);
  }
  return cutToFit([lines[0]!, CUT], [...readable, ...block].join('\n'), max);
}

/** The head paragraphs plus the longest prefix of `rest` that fits in `max` (binary search). */
function cutToFit(head: string[], rest: string, max: number): string {
  const render = (n: number) => paragraphs([...head, ...rest.slice(0, n).split('\n')]);
  let lo = 0;
  let hi = rest.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render(mid).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return render(lo).length <= max ? render(lo) : paragraphs(head).slice(0, max);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * A note's HTML as plain text: block ends and `<br>` become line breaks, other tags go, entities are
 * decoded once. String work only: the service worker has no DOM, and nothing is ever rendered.
 */
export function htmlToText(html: string): string {
  const withBreaks = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(withBreaks).replace(/\n$/, '');
}

// ---------------------------------------------------------------------------------------------------
// Reading a contact into a lead profile.

/** Contact properties the profile is made of (requested by name: HubSpot returns few by default). */
export const CONTACT_PROPERTIES = [
  'firstname', 'lastname', 'email', 'company', 'jobtitle', 'numemployees', 'company_size', 'industry',
  'country', 'state', 'hs_country_region_code', 'hs_analytics_source', 'hs_latest_source',
  'hs_analytics_first_touch_converting_campaign', 'hs_analytics_last_touch_converting_campaign',
  'hs_lead_status', 'lifecyclestage', 'hs_lifecyclestage_marketingqualifiedlead_date',
  'hs_first_outreach_date', 'hs_sa_first_engagement_date',
  'recent_conversion_event_name', 'recent_conversion_date', 'first_conversion_event_name', 'first_conversion_date',
  'hs_analytics_last_visit_timestamp', 'hs_analytics_last_url',
  'hs_email_last_reply_date', 'hs_sales_email_last_replied',
  'hs_email_optout', 'hs_email_hard_bounce_reason_enum', 'hs_email_bad_address', 'hs_email_last_send_date',
  'lastmodifieddate',
] as const;

/** `hs_analytics_source` values as HubSpot's UI labels them. */
const SOURCES: Record<string, string> = {
  ORGANIC_SEARCH: 'Organic search',
  PAID_SEARCH: 'Paid search',
  EMAIL_MARKETING: 'Email marketing',
  SOCIAL_MEDIA: 'Organic social',
  PAID_SOCIAL: 'Paid social',
  REFERRALS: 'Referrals',
  OTHER_CAMPAIGNS: 'Other campaigns',
  DIRECT_TRAFFIC: 'Direct traffic',
  OFFLINE: 'Offline sources',
  AI_REFERRALS: 'AI referrals',
};

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

/** A HubSpot date or datetime value (ISO text, or epoch milliseconds in older properties) as ISO. */
function isoOf(v: unknown): string | undefined {
  const s = text(v);
  if (!s) return undefined;
  const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** `numemployees` is a range option ("25-50", "1000+"): the lower bound, so a size is never overstated. */
function companySizeOf(...values: unknown[]): number | undefined {
  for (const v of values) {
    const m = text(v)?.replace(/,/g, '').match(/^(\d+)/);
    if (m) return Number(m[1]);
  }
  return undefined;
}

const clip = (s: string | undefined, max: number) => (s === undefined ? undefined : s.slice(0, max));

/** What a form (conversion event) name says the person asked for, in the scorer's activity types. */
const CONVERSION_TYPES: readonly [RegExp, string][] = [
  [/\bdemo\b/i, 'demo_request'],
  [/contact (us|sales)|talk to (sales|an expert)|get in touch|request a (call|quote)|book a (call|meeting)/i, 'contact_request'],
  [/case stud/i, 'case_study_download'],
  [/webinar/i, 'webinar_registration'],
  [/newsletter/i, 'newsletter_signup'],
  [/\bblog\b/i, 'blog_subscription'],
  [/\btrial\b|sign ?up|create (an )?account|free account/i, 'account_created'],
  [/e-?book|white ?paper|\bguide\b|\breport\b|download|checklist|template/i, 'document_download'],
];

const conversionType = (name: string) => CONVERSION_TYPES.find(([re]) => re.test(name))?.[1] ?? 'form_submission';

type Activity = { type: string; at: string; detail?: string };

/** Activities HubSpot keeps on the contact as "latest" properties: one of each kind at most. */
export function activitiesOf(p: Props): Activity[] {
  const out: Activity[] = [];
  const add = (type: string, at: string | undefined, detail?: string) => {
    if (at) out.push({ type, at, ...(detail ? { detail: detail.slice(0, 500) } : {}) });
  };
  const recent = text(p.recent_conversion_event_name);
  const recentAt = isoOf(p.recent_conversion_date);
  if (recent) add(conversionType(recent), recentAt, recent);
  const first = text(p.first_conversion_event_name);
  const firstAt = isoOf(p.first_conversion_date);
  if (first && (first !== recent || firstAt !== recentAt)) add(conversionType(first), firstAt, first);

  const url = text(p.hs_analytics_last_url);
  add(url && /pricing/i.test(url) ? 'pricing_page_visit' : 'website_visit', isoOf(p.hs_analytics_last_visit_timestamp), url);

  add('email_reply', isoOf(p.hs_email_last_reply_date), t.activity.marketingEmailReply);
  const salesReply = isoOf(p.hs_sales_email_last_replied);
  if (salesReply !== isoOf(p.hs_email_last_reply_date)) add('email_reply', salesReply, t.activity.salesEmailReply);

  // Neither flag has a date of its own: the last send is the closest HubSpot records.
  const lastTouch = isoOf(p.hs_email_last_send_date) ?? isoOf(p.lastmodifieddate);
  const bounce = text(p.hs_email_hard_bounce_reason_enum);
  if (bounce || text(p.hs_email_bad_address) === 'true') add('hard_bounce', lastTouch, bounce ? t.activity.hardBounce(bounce) : t.activity.invalidEmail);
  if (text(p.hs_email_optout) === 'true') add('unsubscribe', lastTouch, t.activity.unsubscribed);
  return out;
}

export function profileOf(p: Props): ReadLeadResult['profile'] {
  const name = [text(p.firstname), text(p.lastname)].filter(Boolean).join(' ') || undefined;
  const code = text(p.hs_country_region_code)?.toLowerCase();
  const region = (code && REGION_OF.get(code)) ?? text(p.country);
  const sourceCode = text(p.hs_analytics_source);
  const stage = text(p.lifecyclestage);
  return {
    name: clip(name, 300),
    email: clip(text(p.email), 320),
    company: clip(text(p.company), 300),
    title: clip(text(p.jobtitle), 300),
    companySize: companySizeOf(p.numemployees, p.company_size),
    industry: clip(text(p.industry), 200),
    region: clip(region, 200),
    source: clip(sourceCode ? (SOURCES[sourceCode] ?? sourceCode) : undefined, 200),
    campaign: clip(text(p.hs_analytics_last_touch_converting_campaign) ?? text(p.hs_analytics_first_touch_converting_campaign), 200),
    crmStatus: clip(text(p.hs_lead_status), 100),
    existingCustomer: stage ? stage === 'customer' : undefined,
    mqlAt: isoOf(p.hs_lifecyclestage_marketingqualifiedlead_date),
    firstContactAt: isoOf(p.hs_first_outreach_date) ?? isoOf(p.hs_sa_first_engagement_date),
    activities: activitiesOf(p),
  };
}

// ---------------------------------------------------------------------------------------------------
// The API.

export interface HubSpotApiOptions {
  /** Abort a request after this long (default 30 s); an aborted write may still have been applied. */
  timeoutMs?: number;
  /** Notes per `importNotes` page (default 100; search allows up to 200). */
  importPageSize?: number;
}

type Failure = Extract<ItemResult, { ok: false }>;
const failure = (key: string, permanent: boolean, message: string, status?: number): Failure => ({ key, ok: false, permanent, message, ...(status ? { status } : {}) });

const chunk = <T>(xs: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

export function createHubSpotApi(connection: Connection, deps: CrmApiDeps, options: HubSpotApiOptions = {}): CrmApi {
  const base = (connection.apiBase || HUBSPOT_API_BASE).replace(/\/+$/, '');
  const token = connection.credentials.kind === 'token' ? connection.credentials.token : connection.credentials.accessToken;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const mapping = connection.mapping;

  /**
   * One request. Whole-call failures become `CrmError`s: 401 auth; 429 and 5xx transient (a write may
   * have landed on a 5xx); network errors and timeouts transient with `mayHaveApplied` for writes.
   */
  async function call(method: 'GET' | 'POST', path: string, body: unknown, write: boolean): Promise<{ status: number; data: unknown }> {
    let res: Response;
    let raw: string;
    try {
      res = await deps.fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      raw = await res.text();
    } catch (e) {
      const why = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? shared.noAnswerWithin(timeoutMs / 1000) : e instanceof Error ? e.message : String(e);
      throw new CrmError('transient', shared.unreachable(NAME, why), { mayHaveApplied: write });
    }
    const data = parseJson(raw);
    if (!res.ok) throw errorOf(res, data, write);
    // A success we cannot read may still have been applied.
    if (raw && data === undefined) throw new CrmError('transient', shared.notJson(NAME, res.status), { status: res.status, mayHaveApplied: write });
    return { status: res.status, data };
  }

  function errorOf(res: Response, data: unknown, write: boolean): CrmError {
    const e = errorBody(data);
    const message = e.message ?? shared.answered(NAME, res.status);
    const details = { status: res.status, code: e.category ?? e.errorType };
    if (res.status === 401) return new CrmError('auth', message, details);
    if (res.status === 429) {
      // HubSpot rarely sends Retry-After; its rolling window length is the next best wait.
      const interval = Number(res.headers.get('x-hubspot-ratelimit-interval-milliseconds'));
      const wait = retryAfterMs(res.headers.get('retry-after'), deps.now()) ?? (interval > 0 ? interval : undefined);
      return new CrmError('transient', message, { ...details, retryAfterMs: wait });
    }
    if (res.status >= 500) return new CrmError('transient', message, { ...details, mayHaveApplied: write });
    return new CrmError('permanent', message, details);
  }

  /** A lead from another portal must never be written with this portal's ids. */
  function portalMismatch(ref: LeadRef): string | undefined {
    if (!ref.account || !connection.account || ref.account === connection.account) return undefined;
    return t.portalMismatch(ref.account, connection.account);
  }

  /** Status (and reason) properties for one write-back, per object. */
  function statusProperties(item: WriteBack, type: ObjectType, m: Mapping): Record<string, string> {
    if (type === 'lead' && m.statusField !== LEAD_STAGE_FIELD) {
      const outcome = (['accept', 'reject', 'recycle'] as const).find((o) => m.status[o] === item.status);
      const stage = outcome ? LEAD_STAGES[outcome] : item.status!;
      const props: Record<string, string> = { [LEAD_STAGE_FIELD]: stage };
      if (stage === LEAD_STAGES.reject && item.reason !== undefined) props[LEAD_REASON_FIELD] = item.reason;
      return props;
    }
    const props: Record<string, string> = { [m.statusField]: item.status! };
    if (m.reasonField && item.reason !== undefined) props[m.reasonField] = item.reason;
    return props;
  }

  /**
   * One batch update per object type. Returns the items whose update HubSpot confirmed; the others get
   * a per-item permanent failure (a deleted record is named in a 207's `errors[].context.ids`; an id
   * missing from both lists was merged away or otherwise not updated).
   */
  async function updateStatuses(type: ObjectType, items: WriteBack[], results: Map<string, ItemResult>): Promise<WriteBack[]> {
    // One input per record: HubSpot refuses duplicate ids in a batch; the latest decision wins.
    const byRecord = new Map(items.map((i) => [i.ref.recordId, i]));
    const inputs = [...byRecord.values()].map((i) => ({ id: i.ref.recordId, properties: statusProperties(i, type, mapping) }));
    const { status, data } = await call('POST', `/crm/v3/objects/${OBJECTS[type].path}/batch/update`, { inputs }, true);
    const body = batchBody(data);
    const updated = new Set(body.results.map((r) => r.id));
    const failed = new Map<string, string>();
    for (const e of body.errors) for (const id of contextValues(e, 'ids')) failed.set(id, e.message ?? t.couldNotUpdate);

    const applied: WriteBack[] = [];
    for (const item of items) {
      const id = item.ref.recordId;
      if (failed.has(id)) results.set(item.key, failure(item.key, true, failed.get(id)!, status));
      else if (updated.has(id)) applied.push(item);
      else results.set(item.key, failure(item.key, true, t.updateNotConfirmed(id), status));
    }
    return applied;
  }

  /** Notes already holding these keys (an earlier attempt's outcome was unknown): key → note id. */
  async function findNotes(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const group of chunk(keys, SEARCH_GROUPS)) {
      let after: string | undefined;
      do {
        const body = {
          filterGroups: group.map((key) => ({ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: key }] })),
          properties: ['hs_note_body'],
          limit: 100,
          ...(after ? { after } : {}),
        };
        const { data } = await call('POST', '/crm/v3/objects/notes/search', body, false);
        for (const note of list(isRecord(data) ? data.results : undefined).map(hubspotObject)) {
          const html = note?.properties.hs_note_body ?? '';
          // The search is by token; the body check makes sure the key itself is there.
          for (const key of group) if (note && html.includes(key) && !found.has(key)) found.set(key, note.id);
        }
        after = nextAfter(data);
      } while (after);
    }
    return found;
  }

  /** One batch create for every note still missing; results are matched to items by the key in the body. */
  async function createNotes(items: WriteBack[], results: Map<string, ItemResult>): Promise<void> {
    if (items.length === 0) return;
    const inputs = items.map((item) => {
      const type = item.ref.objectType as ObjectType;
      return {
        properties: { hs_timestamp: item.note.at, hs_note_body: noteHtml(item.note.subject, item.note.body) },
        associations: [{ to: { id: item.ref.recordId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: OBJECTS[type].noteTypeId }] }],
        objectWriteTraceId: item.key,
      };
    });
    const { status, data } = await call('POST', '/crm/v3/objects/notes/batch/create', { inputs }, true);
    const body = batchBody(data);
    const failedKeys = new Map<string, string>();
    for (const e of body.errors) for (const key of contextValues(e, 'objectWriteTraceId')) failedKeys.set(key, e.message ?? t.noteNotCreated);
    for (const item of items) {
      const note = body.results.find((r) => (r.properties.hs_note_body ?? '').includes(item.key));
      if (note) results.set(item.key, { key: item.key, ok: true, noteId: note.id });
      else if (failedKeys.has(item.key)) results.set(item.key, failure(item.key, true, failedKeys.get(item.key)!, status));
      else results.set(item.key, failure(item.key, false, t.noteNotConfirmed, status));
    }
  }

  async function push(items: readonly WriteBack[], unsure: ReadonlySet<string>): Promise<ItemResult[]> {
    if (items.length > MAX_BATCH) {
      throw new CrmError('permanent', shared.batchTooLarge(NAME, MAX_BATCH, items.length), { code: 'BATCH_TOO_LARGE' });
    }
    const results = new Map<string, ItemResult>();
    const byType = new Map<ObjectType, WriteBack[]>();
    for (const item of items) {
      const mismatch = portalMismatch(item.ref);
      if (mismatch) results.set(item.key, failure(item.key, true, mismatch));
      else if (!isObjectType(item.ref.objectType)) results.set(item.key, failure(item.key, true, t.unsupportedObject(item.ref.objectType)));
      else byType.set(item.ref.objectType, [...(byType.get(item.ref.objectType) ?? []), item]);
    }

    const applied: WriteBack[] = [];
    for (const [type, group] of byType) {
      // A note-only write-back (a manager's review) leaves the record's properties alone.
      applied.push(...group.filter((i) => i.status === undefined));
      const updates = group.filter((i) => i.status !== undefined);
      if (updates.length) applied.push(...(await updateStatuses(type, updates, results)));
    }

    const found = await findNotes(applied.filter((i) => unsure.has(i.key)).map((i) => i.key));
    for (const [key, noteId] of found) results.set(key, { key, ok: true, noteId });
    await createNotes(applied.filter((i) => !found.has(i.key)), results);
    return items.map((i) => results.get(i.key)!);
  }

  async function getObject(type: ObjectType, id: string, properties: readonly string[], associations?: string): Promise<HubSpotObject> {
    const query = new URLSearchParams({ properties: properties.join(',') });
    if (associations) query.set('associations', associations);
    try {
      const { data } = await call('GET', `/crm/v3/objects/${OBJECTS[type].path}/${encodeURIComponent(id)}?${query}`, undefined, false);
      const object = hubspotObject(data);
      if (!object) throw new CrmError('transient', t.unreadableRecord, { status: 200 });
      return object;
    } catch (e) {
      if (e instanceof CrmError && e.details.status === 404) throw new CrmError('permanent', t.recordGone, { status: 404, code: e.details.code });
      throw e;
    }
  }

  async function readLead(ref: LeadRef): Promise<ReadLeadResult> {
    const mismatch = portalMismatch(ref);
    if (mismatch) throw new CrmError('permanent', mismatch, { code: 'PORTAL_MISMATCH' });
    if (!isObjectType(ref.objectType)) throw new CrmError('permanent', t.unsupportedObject(ref.objectType));
    if (ref.objectType === 'contact') return { profile: profileOf((await getObject('contact', ref.recordId, CONTACT_PROPERTIES)).properties) };

    // A lead record holds the stage; the person (and what they did) is its associated contact.
    const lead = await getObject('lead', ref.recordId, ['hs_lead_name', LEAD_STAGE_FIELD], 'contacts');
    const contactId = list(lead.associations?.contacts?.results)
      .map((r) => (isRecord(r) && (typeof r.id === 'string' || typeof r.id === 'number') ? String(r.id) : undefined))
      .find(Boolean);
    const contact = contactId ? profileOf((await getObject('contact', contactId, CONTACT_PROPERTIES)).properties) : { activities: [] };
    return { profile: { ...contact, name: contact.name ?? clip(text(lead.properties.hs_lead_name), 300), crmStatus: clip(text(lead.properties[LEAD_STAGE_FIELD]), 100) } };
  }

  async function testConnection(): Promise<{ account?: string; label: string }> {
    const { data } = await call('GET', '/account-info/v3/details', undefined, false);
    const portalId = isRecord(data) && (typeof data.portalId === 'number' || typeof data.portalId === 'string') ? String(data.portalId) : undefined;
    if (!portalId) throw new CrmError('permanent', t.noPortal);
    return { account: portalId, label: t.connectionLabel(portalId) };
  }

  /** The first associated record of each note, contacts first, then leads (v4 association batch read). */
  async function recordsOf(noteIds: readonly string[]): Promise<Map<string, string>> {
    const records = new Map<string, string>();
    for (const type of ['contact', 'lead'] as const) {
      const missing = noteIds.filter((id) => !records.has(id));
      if (missing.length === 0) break;
      const { data } = await call('POST', `/crm/v4/associations/notes/${OBJECTS[type].associationPath}/batch/read`, { inputs: missing.map((id) => ({ id })) }, false);
      for (const r of list(isRecord(data) ? data.results : undefined)) {
        if (!isRecord(r) || !isRecord(r.from)) continue;
        const to = list(r.to).find((t) => isRecord(t) && (typeof t.toObjectId === 'number' || typeof t.toObjectId === 'string'));
        if (isRecord(to)) records.set(String(r.from.id), String(to.toObjectId));
      }
    }
    return records;
  }

  async function importNotes(cursor: string | undefined): Promise<{ notes: ImportedNote[]; cursor?: string }> {
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: NOTE_MARKER }] }],
      sorts: [{ propertyName: 'hs_timestamp', direction: 'ASCENDING' }],
      properties: ['hs_note_body', 'hs_timestamp'],
      limit: options.importPageSize ?? IMPORT_PAGE_SIZE,
      ...(cursor ? { after: cursor } : {}),
    };
    const { data } = await call('POST', '/crm/v3/objects/notes/search', body, false);
    const found = list(isRecord(data) ? data.results : undefined).map(hubspotObject).filter((n): n is HubSpotObject => n !== undefined);
    const records = found.length ? await recordsOf(found.map((n) => n.id)) : new Map<string, string>();
    const notes = found.map((n) => ({
      noteId: n.id,
      // A note whose record association is gone keeps '' here; its block still names the record.
      recordId: records.get(n.id) ?? '',
      body: htmlToText(n.properties.hs_note_body ?? ''),
      at: isoOf(n.properties.hs_timestamp) ?? '',
    }));
    return { notes, cursor: nextAfter(data) };
  }

  return { maxBatch: MAX_BATCH, push, readLead, testConnection, importNotes };
}

function parseJson(raw: string): unknown {
  try {
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function nextAfter(data: unknown): string | undefined {
  const paging = isRecord(data) && isRecord(data.paging) ? data.paging : undefined;
  const next = paging && isRecord(paging.next) ? paging.next : undefined;
  return next && (typeof next.after === 'string' || typeof next.after === 'number') ? String(next.after) : undefined;
}

const hubspotApi: CrmApiModule = {
  id: 'hubspot',
  label: 'HubSpot',
  defaultMapping: {
    statusField: 'hs_lead_status',
    // HubSpot's default lead status options: an accepted lead has a deal in the works, a rejected one
    // is unqualified, a recycled one is real interest at the wrong time.
    status: { accept: 'OPEN_DEAL', reject: 'UNQUALIFIED', recycle: 'BAD_TIMING' },
    // Contacts have no standard reason property: the reason travels in the note.
    reasonField: '',
    reasons: {},
  },
  // Private apps on Free/Starter: 100 requests per 10 s (higher tiers allow more; this is the floor).
  rateLimit: { requests: 100, perMs: 10_000 },
  // `hs_note_body` holds 65,536 characters of HTML, and escaping (quotes in the JSON block above all)
  // can double the text; half leaves room, and `noteHtml` shortens whatever still does not fit.
  noteMaxChars: 32_000,
  hostPermissions: (apiBase) => [`${new URL(apiBase).origin}/*`],
  create: (connection, deps) => createHubSpotApi(connection, deps),
  connectWith: 'token',
  defaultApiBase: HUBSPOT_API_BASE,
};

export default hubspotApi;
