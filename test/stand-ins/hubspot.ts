/**
 * A local stand-in for the parts of HubSpot's API that `src/crm/hubspot/api.ts` uses, answering with
 * HubSpot's documented shapes (see `src/crm/hubspot/fixtures/api/README.md` for the sources):
 *
 * - `GET  /account-info/v3/details`
 * - `GET  /crm/v3/objects/{contacts|leads}/{id}?properties=…&associations=…`
 * - `POST /crm/v3/objects/{contacts|leads}/batch/update` (≤100 inputs; 207 when some ids do not exist)
 * - `POST /crm/v3/objects/notes/batch/create` (associations on create, `hs_timestamp` required)
 * - `POST /crm/v3/objects/notes/search` (filterGroups ≤5, `CONTAINS_TOKEN`, `sorts`, `after` paging)
 * - `POST /crm/v4/associations/notes/{contacts|0-136}/batch/read`
 *
 * plus Bearer auth (401), property validation (400 `VALIDATION_ERROR`), a rolling rate limit (429 with
 * `X-HubSpot-RateLimit-*` headers on every answer) and injected faults. It seeds nothing.
 */
import { randomUUID } from 'node:crypto';
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
  associations: { objectType: 'contacts' | 'leads'; id: string; typeId: number }[];
}

export interface HubSpotStandInOptions {
  port?: number;
  /** Default: HubSpot's Free/Starter private-app limit, 100 requests per 10 s (rolling). */
  rateLimit?: { requests: number; perMs: number };
  now?: () => number;
  portalId?: number;
  /** Custom contact properties the portal has (e.g. a reason field), beyond HubSpot's defaults. */
  contactProperties?: string[];
}

export interface HubSpotStandIn extends StandIn {
  portalId: number;
  /** Contact id → properties (values as HubSpot stores them: strings). */
  contacts: Map<string, Props>;
  /** Lead (0-136) id → properties. */
  leads: Map<string, Props>;
  notes: StandInNote[];
  addContact(props?: Props): string;
  /** Archives the contact: reads answer 404, batch updates report it in a 207. */
  deleteContact(id: string): void;
  /** A lead record, associated with `contactId` when given (HubSpot requires one; tests may skip it). */
  addLead(props?: Props, contactId?: string): string;
  /** A note made outside the module (by a rep, or an earlier import), for search and import tests. */
  addNote(note: { body: string; timestamp: string; contactId?: string; leadId?: string }): string;
}

/** HubSpot-defined association type ids the stand-in accepts on note create. */
export const NOTE_ASSOCIATION_TYPES: Record<number, 'contacts' | 'leads'> = { 202: 'contacts', 855: 'leads' };

const LEAD_STATUS_OPTIONS = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'];
const LIFECYCLE_OPTIONS = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];
const LEAD_STAGE_OPTIONS = ['new-stage-id', 'attempting-stage-id', 'connected-stage-id', 'qualified-stage-id', 'unqualified-stage-id'];
const READ_ONLY = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_createdate', 'hs_lastmodifieddate']);
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
const SEARCH = { groups: 5, filtersPerGroup: 10, filters: 25, limit: 200, total: 10_000 };
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

const RATE_LIMITED = (): Reply => ({
  status: 429,
  body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'TEN_SECONDLY_ROLLING' },
});

/** The body a fault answers with when the rule gives none. */
function faultBody(status: number): unknown {
  if (status === 401) return AUTH_FAILED().body;
  if (status === 429) return RATE_LIMITED().body;
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

/**
 * Words of a note body as HubSpot's search would see them: tags dropped, entities decoded, split on
 * anything that is not a letter or digit, lower-cased. (HubSpot does not document its tokenizer; this
 * is the usual full-text behaviour, and the module never relies on more than a key between spaces or
 * punctuation.)
 */
export function tokens(html: string): Set<string> {
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
  const limit = opts.rateLimit ?? { requests: 100, perMs: 10_000 };
  const portalId = opts.portalId ?? 4412345;
  const contactProps = new Set([...CONTACT_PROPERTIES, ...(opts.contactProperties ?? [])]);
  const iso = () => new Date(now()).toISOString();

  const contacts = new Map<string, Props>();
  const leads = new Map<string, Props>();
  const leadContacts = new Map<string, string>();
  const notes: StandInNote[] = [];
  const calls: StandInCall[] = [];
  const faults: (FaultRule & { left: number })[] = [];
  let hits: number[] = [];
  let token = `pat-na1-${randomUUID()}`;
  let nextId = 1000;
  const newId = () => String(++nextId);

  const objectsOf = (type: string) => (type === 'contacts' || type === '0-1' ? contacts : type === 'leads' || type === '0-136' ? leads : undefined);
  const upperName = (type: string) => (objectsOf(type) === contacts ? 'CONTACT' : 'LEAD');

  // ---- rate limit: a rolling window of request times --------------------------------------------
  const inWindow = () => {
    hits = hits.filter((t) => t > now() - limit.perMs);
    return hits.length;
  };
  const rateHeaders = (): Record<string, string> => ({
    'x-hubspot-ratelimit-max': String(limit.requests),
    'x-hubspot-ratelimit-remaining': String(Math.max(0, limit.requests - inWindow())),
    'x-hubspot-ratelimit-interval-milliseconds': String(limit.perMs),
  });

  // ---- objects ------------------------------------------------------------------------------------
  function objectJson(id: string, props: Props, wanted?: string[]) {
    const properties: Props = {};
    const names = wanted ?? ['firstname', 'lastname', 'email'];
    for (const name of [...names, 'createdate', 'lastmodifieddate', 'hs_object_id']) properties[name] = props[name] ?? null;
    return { id, properties, createdAt: props.createdate, updatedAt: props.lastmodifieddate, archived: false };
  }

  function noteJson(n: StandInNote, wanted: string[] = ['hs_note_body', 'hs_timestamp']) {
    const all: Props = { hs_note_body: n.body, hs_timestamp: n.timestamp, hs_createdate: n.createdAt, hs_lastmodifieddate: n.createdAt, hs_object_id: n.id };
    const properties: Props = {};
    for (const name of [...wanted, 'hs_createdate', 'hs_lastmodifieddate', 'hs_object_id']) properties[name] = all[name] ?? null;
    return { id: n.id, properties, createdAt: n.createdAt, updatedAt: n.createdAt, archived: false };
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

  function batchUpdate(type: string, body: unknown): Reply {
    const store = objectsOf(type);
    if (!store) return error(404, 'OBJECT_NOT_FOUND', `Unable to infer object type from: ${type}`);
    const inputs = isRecord(body) && Array.isArray(body.inputs) ? body.inputs : undefined;
    if (!inputs) return error(400, 'VALIDATION_ERROR', 'Invalid input JSON: "inputs" is required.');
    if (inputs.length > BATCH_MAX) return error(400, 'VALIDATION_ERROR', `Batch input limit exceeded: ${inputs.length} inputs given, the maximum is ${BATCH_MAX}.`);
    const ids = inputs.map((i) => (isRecord(i) && (typeof i.id === 'string' || typeof i.id === 'number') ? String(i.id) : ''));
    if (ids.some((id) => !id)) return error(400, 'VALIDATION_ERROR', 'Every input needs an "id".');
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dupes.length) return error(400, 'VALIDATION_ERROR', `Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]. IDs must be unique`);
    const kind = store === contacts ? 'contacts' : 'leads';
    const problems = inputs.flatMap((i) => invalidProperties(kind, isRecord(i) && isRecord(i.properties) ? i.properties : {}));
    if (problems.length) return error(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(problems)}`);

    const results = [];
    const missing: string[] = [];
    for (const [n, input] of inputs.entries()) {
      const id = ids[n]!;
      const record = store.get(id);
      if (!record) {
        missing.push(id);
        continue;
      }
      const props = (input as { properties?: Record<string, string | null> }).properties ?? {};
      // An empty string clears a property, as HubSpot documents.
      for (const [name, value] of Object.entries(props)) record[name] = value === '' ? null : value;
      record.lastmodifieddate = iso();
      results.push(objectJson(id, record, Object.keys(props)));
    }
    const times = { startedAt: iso(), completedAt: iso() };
    if (!missing.length) return { status: 200, body: { status: 'COMPLETE', results, requestedAt: times.startedAt, ...times, links: {} } };
    const errors = [
      { status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not get some ${upperName(type)} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids: missing }, links: {} },
    ];
    return { status: 207, body: { status: 'COMPLETE', results, numErrors: errors.length, errors, ...times } };
  }

  function createNotes(body: unknown): Reply {
    const inputs = isRecord(body) && Array.isArray(body.inputs) ? body.inputs : undefined;
    if (!inputs) return error(400, 'VALIDATION_ERROR', 'Invalid input JSON: "inputs" is required.');
    if (inputs.length > BATCH_MAX) return error(400, 'VALIDATION_ERROR', `Batch input limit exceeded: ${inputs.length} inputs given, the maximum is ${BATCH_MAX}.`);
    const made: StandInNote[] = [];
    for (const input of inputs) {
      const props = isRecord(input) && isRecord(input.properties) ? input.properties : {};
      const unknown = Object.keys(props).filter((p) => !NOTE_PROPERTIES.includes(p) || READ_ONLY.has(p));
      if (unknown.length) return error(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(unknown.map((name) => ({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name })))}`);
      const at = props.hs_timestamp;
      const ms = typeof at === 'number' || (typeof at === 'string' && /^\d+$/.test(at)) ? Number(at) : typeof at === 'string' ? Date.parse(at) : NaN;
      if (at === undefined || at === null || at === '') return error(400, 'VALIDATION_ERROR', 'Error creating NOTE. Some required properties were not set.', { context: { properties: ['hs_timestamp'] } });
      if (!Number.isFinite(ms)) return error(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify([{ isValid: false, message: `${String(at)} is not a valid datetime`, error: 'INVALID_DATE', name: 'hs_timestamp' }])}`);
      const noteBody = typeof props.hs_note_body === 'string' ? props.hs_note_body : '';
      if (noteBody.length > NOTE_BODY_MAX) {
        return error(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify([{ isValid: false, message: `hs_note_body is ${noteBody.length} characters long; the limit is ${NOTE_BODY_MAX}`, error: 'INVALID_LENGTH', name: 'hs_note_body' }])}`);
      }
      const associations: StandInNote['associations'] = [];
      for (const a of isRecord(input) && Array.isArray(input.associations) ? input.associations : []) {
        const to = isRecord(a) && isRecord(a.to) ? String(a.to.id) : '';
        for (const t of isRecord(a) && Array.isArray(a.types) ? a.types : []) {
          const typeId = isRecord(t) ? Number(t.associationTypeId) : NaN;
          const objectType = NOTE_ASSOCIATION_TYPES[typeId];
          if (!objectType || (isRecord(t) && t.associationCategory !== 'HUBSPOT_DEFINED')) return error(400, 'VALIDATION_ERROR', `${String(typeId)} is not a valid association type id from NOTE.`);
          if (!objectsOf(objectType)!.has(to)) return error(400, 'VALIDATION_ERROR', 'One or more associations are invalid', { context: { ids: [to] } });
          associations.push({ objectType, id: to, typeId });
        }
      }
      made.push({ id: newId(), body: noteBody, timestamp: new Date(ms).toISOString(), createdAt: iso(), associations });
    }
    notes.push(...made);
    // HubSpot does not promise results in input order; answering in reverse keeps clients honest.
    const results = made.map((n) => noteJson(n)).reverse();
    return { status: 201, body: { status: 'COMPLETE', results, startedAt: iso(), completedAt: iso() } };
  }

  function searchNotes(body: unknown): Reply {
    const req = isRecord(body) ? body : {};
    const groups = Array.isArray(req.filterGroups) ? req.filterGroups : [];
    const filterCount = groups.reduce<number>((sum, g) => sum + (isRecord(g) && Array.isArray(g.filters) ? g.filters.length : 0), 0);
    if (groups.length > SEARCH.groups) return error(400, 'VALIDATION_ERROR', `Too many filter groups: ${groups.length}, the maximum is ${SEARCH.groups}.`);
    if (filterCount > SEARCH.filters || groups.some((g) => isRecord(g) && Array.isArray(g.filters) && g.filters.length > SEARCH.filtersPerGroup)) {
      return error(400, 'VALIDATION_ERROR', `Too many filters: at most ${SEARCH.filtersPerGroup} per group and ${SEARCH.filters} in all.`);
    }
    const size = req.limit === undefined ? 10 : Number(req.limit);
    if (!Number.isInteger(size) || size < 1 || size > SEARCH.limit) return error(400, 'VALIDATION_ERROR', `limit must be between 1 and ${SEARCH.limit}.`);
    const offset = req.after === undefined ? 0 : Number(req.after);
    if (!Number.isInteger(offset) || offset < 0) return error(400, 'VALIDATION_ERROR', `Invalid "after": ${String(req.after)}`);
    if (offset + size > SEARCH.total) return error(400, 'VALIDATION_ERROR', `The search API returns at most ${SEARCH.total} results.`);

    const value = (n: StandInNote, prop: string) => ({ hs_note_body: n.body, hs_timestamp: n.timestamp, hs_object_id: n.id, hs_createdate: n.createdAt })[prop];
    const matches = (n: StandInNote, f: unknown): boolean => {
      if (!isRecord(f)) throw new BadRequest('A filter must be an object.');
      const prop = String(f.propertyName);
      const v = value(n, prop);
      switch (f.operator) {
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
    let found = notes.filter((n) => groups.length === 0 || groups.some((g) => isRecord(g) && Array.isArray(g.filters) && g.filters.every((f) => matches(n, f))));

    const sorts = Array.isArray(req.sorts) ? req.sorts : [];
    if (sorts.length > 1) return error(400, 'VALIDATION_ERROR', 'Only one sort is supported.');
    const sort = sorts[0];
    const [prop, desc] = typeof sort === 'string' ? [sort.replace(/^-/, ''), sort.startsWith('-')] : isRecord(sort) ? [String(sort.propertyName), sort.direction === 'DESCENDING'] : ['hs_object_id', false];
    const key = (n: StandInNote) => (prop === 'hs_timestamp' ? Date.parse(n.timestamp) : prop === 'hs_createdate' ? Date.parse(n.createdAt) : Number(n.id));
    found = [...found].sort((a, b) => (key(a) - key(b) || Number(a.id) - Number(b.id)) * (desc ? -1 : 1));

    const wanted = Array.isArray(req.properties) ? req.properties.map(String) : undefined;
    const page = found.slice(offset, offset + size).map((n) => noteJson(n, wanted));
    const more = offset + size < found.length;
    return { status: 200, body: { total: found.length, results: page, ...(more ? { paging: { next: { after: String(offset + size), link: `?after=${offset + size}` } } } : {}) } };
  }

  function readAssociations(from: string, to: string, body: unknown): Reply {
    const target = objectsOf(to) === contacts ? 'contacts' : objectsOf(to) === leads ? 'leads' : undefined;
    if (!['notes', 'note', '0-46'].includes(from) || !target) return error(400, 'VALIDATION_ERROR', `Unsupported association: ${from} to ${to}.`);
    const inputs = isRecord(body) && Array.isArray(body.inputs) ? body.inputs : [];
    const results = [];
    for (const input of inputs) {
      const note = notes.find((n) => isRecord(input) && n.id === String(input.id));
      const linked = note?.associations.filter((a) => a.objectType === target) ?? [];
      if (note && linked.length) {
        results.push({
          from: { id: note.id },
          to: linked.map((a) => ({ toObjectId: Number(a.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: a.typeId, label: null }] })),
        });
      }
    }
    return { status: 200, body: { status: 'COMPLETE', results, startedAt: iso(), completedAt: iso() } };
  }

  function readObject(type: string, id: string, query: URLSearchParams): Reply {
    const store = objectsOf(type);
    if (!store) return error(404, 'OBJECT_NOT_FOUND', `Unable to infer object type from: ${type}`);
    const record = store.get(id);
    if (!record) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
    const wanted = query.get('properties')?.split(',').filter(Boolean);
    const json: Record<string, unknown> = objectJson(id, record, wanted);
    if (store === leads && query.get('associations')?.split(',').some((a) => a === 'contacts' || a === '0-1')) {
      const contactId = leadContacts.get(id);
      if (contactId) json.associations = { contacts: { results: [{ id: contactId, type: 'lead_to_contact' }] } };
    }
    return { status: 200, body: json };
  }

  // ---- routing ------------------------------------------------------------------------------------
  async function route(method: string, url: URL, req: IncomingMessage): Promise<Reply> {
    if (req.headers.authorization !== `Bearer ${token}`) return AUTH_FAILED();
    if (inWindow() >= limit.requests) return RATE_LIMITED();
    hits.push(now());

    const path = url.pathname.replace(/\/+$/, '');
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/account-info/v3/details') {
      return { status: 200, body: { portalId, accountType: 'STANDARD', timeZone: 'US/Eastern', companyCurrency: 'USD', additionalCurrencies: [], utcOffset: '-05:00', utcOffsetMilliseconds: -18_000_000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' } };
    }
    if (method === 'POST' && (m = /^\/crm\/v3\/objects\/(notes|0-46)\/batch\/create$/.exec(path))) return createNotes(await readJson(req));
    if (method === 'POST' && (m = /^\/crm\/v3\/objects\/(notes|0-46)\/search$/.exec(path))) return searchNotes(await readJson(req));
    if (method === 'POST' && (m = /^\/crm\/v3\/objects\/([\w-]+)\/batch\/update$/.exec(path))) return batchUpdate(m[1]!, await readJson(req));
    if (method === 'POST' && (m = /^\/crm\/v4\/associations\/([\w-]+)\/([\w-]+)\/batch\/read$/.exec(path))) return readAssociations(m[1]!, m[2]!, await readJson(req));
    if (method === 'GET' && (m = /^\/crm\/v3\/objects\/([\w-]+)\/(\d+)$/.exec(path))) return readObject(m[1]!, m[2]!, url.searchParams);
    return error(404, 'NOT_FOUND', `No route for ${method} ${path} in the HubSpot stand-in.`);
  }

  function takeFault(method: string, path: string): Fault | undefined {
    const rule = faults.find((r) => r.left > 0 && (!r.match?.method || r.match.method.toUpperCase() === method) && (!r.match?.path || r.match.path.test(path)));
    if (!rule) return undefined;
    rule.left -= 1;
    return rule.fault;
  }

  function send(res: ServerResponse, reply: Reply) {
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8', ...rateHeaders(), ...reply.headers });
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
      contacts.delete(id);
    },
    addLead(props = {}, contactId) {
      const id = newId();
      leads.set(id, { hs_pipeline: 'lead-pipeline-id', hs_pipeline_stage: 'new-stage-id', ...stamp(props), hs_object_id: id });
      if (contactId) leadContacts.set(id, contactId);
      return id;
    },
    addNote({ body, timestamp, contactId, leadId }) {
      const id = newId();
      const associations: StandInNote['associations'] = [];
      if (contactId) associations.push({ objectType: 'contacts', id: contactId, typeId: 202 });
      if (leadId) associations.push({ objectType: 'leads', id: leadId, typeId: 855 });
      notes.push({ id, body, timestamp: new Date(timestamp).toISOString(), createdAt: iso(), associations });
      return id;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
