/**
 * A local stand-in for the parts of Salesforce that `src/crm/salesforce/api.ts` and `oauth.ts` use,
 * answering with the shapes Salesforce documents (sources in `src/crm/salesforce/fixtures/api/README.md`):
 *
 * - `PATCH|POST /services/data/v66.0/composite/sobjects` (sObject Collections: ≤200 records, `allOrNone`,
 *   one SaveResult per record in request order, failures without an `id`)
 * - `GET  /services/data/v66.0/sobjects/Lead/{id}` (all fields, or `?fields=`; 404 `NOT_FOUND`)
 * - `GET  /services/data/v66.0/query?q=…` and `/query/{locator}` (a small but honest SOQL subset: field
 *   lists with one level of parent relationship, one level of parent-to-child subquery (`(SELECT … FROM
 *   Tasks …)` on Lead: `null` without children, else its own `totalSize`/`done`/`records` and
 *   `nextRecordsUrl`), WHERE with = != < > <= >= LIKE IN / NOT IN, AND / OR / NOT and parentheses, unquoted
 *   date and dateTime literals checked against the field's type, ORDER BY, LIMIT, OFFSET; `nextRecordsUrl`
 *   paging; `Sforce-Query-Options: batchSize`)
 * - `GET  /services/data/v66.0/` (the resources of the version)
 * - `GET  /services/data/v66.0/chatter/users/me` (Connect REST API: the token's user, a User Detail subset)
 * - `POST /services/oauth2/token` (authorization_code with PKCE S256, refresh_token) and
 *   `GET /services/oauth2/userinfo` (the token's user)
 *
 * Users: every access and refresh token belongs to one User (`005…`; `addUser`, `credentials(userId)`).
 * Records get `CreatedById`, `LastModifiedById` and a default `OwnerId` from the request's token, never
 * from the body (those fields are read-only), as the platform sets them; `CreatedBy.Name` and the other
 * User relationships can be queried. `LastModifiedDate` moves on every update.
 *
 * Queries read what earlier calls committed, at once, as SOQL does (it runs against the database). SOSL
 * (`/search`, the search index that lags by minutes) is not served: it answers 404, so code relying on
 * it fails here rather than passing against an index that is always current.
 *
 * plus Bearer auth (401 `INVALID_SESSION_ID`), the org's 24-hour API allocation (`Sforce-Limit-Info` on
 * every data answer; 403 `REQUEST_LIMIT_EXCEEDED` past it), restricted picklists, field lengths,
 * soft-deleted records (`ENTITY_IS_DELETED`), validation rules and injected faults. It seeds nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fault, FaultRule, StandIn, StandInCall } from './types';

export type SfValue = string | number | boolean | null;
export type SfRecord = Record<string, SfValue>;

export interface SalesforceStandInOptions {
  port?: number;
  /** The org's 24-hour API request allocation (default 100,000, Enterprise Edition's base). */
  dailyLimit?: number;
  now?: () => number;
  /** Lead Status values the org has beyond the default four (Status is a restricted picklist here). */
  leadStatuses?: string[];
  /** Custom text fields on Lead, e.g. `Disqualification_Reason__c`. */
  leadCustomFields?: string[];
  /** Most records one query page holds (Salesforce: up to 2,000, fewer for wide rows). */
  queryBatchMax?: number;
  /** The connected app's consumer key the token endpoint accepts. */
  clientId?: string;
  /** Refresh token rotation: every refresh issues a new refresh token and invalidates the old one. */
  rotateRefreshTokens?: boolean;
  /** A validation rule: a message fails the record with `FIELD_CUSTOM_VALIDATION_EXCEPTION`. */
  validate?: (type: string, record: SfRecord) => string | undefined;
  /**
   * A per-record error to report instead of saving (e.g. `UNABLE_TO_LOCK_ROW` when another transaction
   * holds the row): the other records of the call are saved (allOrNone false).
   */
  recordError?: (type: string, record: SfRecord, op: 'create' | 'update') => { statusCode: string; message: string } | undefined;
}

export interface SalesforceStandIn extends StandIn {
  orgId: string;
  /** The default user (`Riley Rep`): `token`, `refreshToken` and `credentials()` are theirs. */
  userId: string;
  clientId: string;
  /** The refresh token the stand-in accepts now. */
  readonly refreshToken: string;
  /** `<url>/services/oauth2/token` */
  readonly tokenUrl: string;
  readonly apiUsage: { used: number; max: number };
  /** Lead id → fields, as Salesforce stores them (datetimes as `2026-11-20T12:00:00.000+0000`). */
  leads: Map<string, SfRecord>;
  /** Soft-deleted leads (the recycle bin). */
  deletedLeads: Map<string, SfRecord>;
  tasks: SfRecord[];
  campaigns: Map<string, SfRecord>;
  campaignMembers: SfRecord[];
  /** User id → fields (`Name`, `Email`, `Username`, …); the default user is there from the start. */
  users: Map<string, SfRecord>;
  /**
   * OAuth credentials as the extension stores them: the user's current tokens (the default user's when
   * no id is given; a user without tokens yet gets a fresh pair, as a sign-in would).
   */
  credentials(userId?: string): { kind: 'oauth'; accessToken: string; refreshToken: string; tokenUrl: string; clientId: string };
  /** A user of the org (`LastName` required); returns their id (`005…`). Sign them in with `credentials(id)`. */
  addUser(fields: SfRecord): string;
  /** A lead with Salesforce's defaults (Status `Open - Not Contacted`); returns its 18-character id (`00Q…`). */
  addLead(fields?: SfRecord): string;
  /** Moves the lead to the recycle bin: reads answer 404, updates fail with `ENTITY_IS_DELETED`. */
  deleteLead(id: string): void;
  /**
   * A task made outside the module (by a rep, or an earlier attempt); returns its id (`00T…`). It is
   * created by the default user unless `fields` name another `CreatedById` (a seam the API never offers).
   */
  addTask(fields: SfRecord): string;
  addCampaignMember(leadId: string, campaign: { Name: string; Type?: string }, member?: SfRecord): string;
  /** The current access token stops working (401); the refresh token still gets a new one. */
  expireAccessToken(): void;
  /** The refresh token stops working (`invalid_grant`), as when an admin revokes the app's access. */
  revokeRefreshToken(): void;
  /**
   * What `/services/oauth2/authorize` would redirect with, for this PKCE challenge (valid 15 minutes,
   * once), signing in `userId` (default: the default user).
   */
  issueAuthCode(codeChallenge: string, opts?: { redirectUri?: string; clientId?: string; userId?: string }): string;
}

export const API_VERSION = 'v66.0';
const DATA = `/services/data/${API_VERSION}`;
export const DEFAULT_LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];
const COLLECTION_MAX = 200;
const AUTH_CODE_TTL_MS = 15 * 60_000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_BATCH = 2000;

// ---------------------------------------------------------------------------------------------------
// Ids: 15 case-sensitive characters plus the 3-character checksum (computed here independently of the
// extension's `page.ts`, so the stand-in checks it rather than agreeing with it).

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function checksumOf(id15: string): string {
  return [0, 5, 10]
    .map((start) => CHECKSUM[[...id15.slice(start, start + 5)].reduce((bits, c, i) => (c >= 'A' && c <= 'Z' ? bits | (1 << i) : bits), 0)]!)
    .join('');
}

function makeId(prefix: string, n: number): string {
  let counter = '';
  for (let v = n, i = 0; i < 6; i++, v = Math.floor(v / 62)) counter = BASE62[v % 62] + counter;
  const id15 = `${prefix}5g0000${counter}`;
  return id15 + checksumOf(id15);
}

/** The 18-character form of a well-formed id, or undefined. */
function id18(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(raw)) return undefined;
  const id15 = raw.slice(0, 15);
  if (raw.length === 18 && raw.slice(15).toUpperCase() !== checksumOf(id15)) return undefined;
  return id15 + checksumOf(id15);
}

/** Salesforce's datetime format: `2026-11-20T12:00:00.000+0000`. */
export const sfDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

// ---------------------------------------------------------------------------------------------------
// The objects and fields the stand-in knows. Field names are case-insensitive in requests.

type FieldType = 'id' | 'string' | 'longtext' | 'picklist' | 'int' | 'boolean' | 'date' | 'datetime' | 'reference';
interface FieldDef {
  type: FieldType;
  max?: number;
  values?: readonly string[];
  readOnly?: boolean;
  /** Settable on create only (e.g. Task.TaskSubtype). */
  createOnly?: boolean;
}
interface ObjectDef {
  prefix: string;
  fields: Record<string, FieldDef>;
  required?: string[];
  /** Parent relationships: name → the reference field and the parent object. */
  parents?: Record<string, { field: string; object: string }>;
  /** Child relationships for subqueries: name (the plural, e.g. `Tasks`) → the child object and its reference field. */
  children?: Record<string, { object: string; field: string }>;
}

const ro = (type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ type, readOnly: true, ...extra });
const text = (max: number): FieldDef => ({ type: 'string', max });
/** Audit fields the platform sets (read-only); `OwnerId` defaults to the creating user and may be set. */
const SYSTEM: Record<string, FieldDef> = {
  Id: ro('id'), IsDeleted: ro('boolean'), CreatedDate: ro('datetime'), CreatedById: ro('reference'), LastModifiedDate: ro('datetime'),
  LastModifiedById: ro('reference'), SystemModstamp: ro('datetime'), OwnerId: { type: 'reference' },
};
/** The User relationships of the audit fields (Owner is polymorphic in Salesforce; users only here). */
const SYSTEM_PARENTS = { CreatedBy: { field: 'CreatedById', object: 'User' }, LastModifiedBy: { field: 'LastModifiedById', object: 'User' }, Owner: { field: 'OwnerId', object: 'User' } };

function objectDefs(leadStatuses: readonly string[], leadCustom: readonly string[]): Record<string, ObjectDef> {
  return {
    User: {
      prefix: '005',
      parents: { CreatedBy: SYSTEM_PARENTS.CreatedBy, LastModifiedBy: SYSTEM_PARENTS.LastModifiedBy },
      fields: {
        Id: ro('id'), CreatedDate: ro('datetime'), CreatedById: ro('reference'), LastModifiedDate: ro('datetime'), LastModifiedById: ro('reference'), SystemModstamp: ro('datetime'),
        Username: text(80), FirstName: text(40), LastName: text(80), Name: ro('string'), Alias: text(8), Email: text(128), Title: text(80), IsActive: { type: 'boolean' },
      },
    },
    Lead: {
      prefix: '00Q',
      required: ['LastName', 'Company'],
      parents: SYSTEM_PARENTS,
      children: { Tasks: { object: 'Task', field: 'WhoId' }, CampaignMembers: { object: 'CampaignMember', field: 'LeadId' } },
      fields: {
        ...SYSTEM,
        Salutation: text(40), FirstName: text(40), LastName: text(80), Name: ro('string'), Title: text(128), Company: text(255),
        Email: text(80), Phone: text(40), Street: text(255), City: text(40), State: text(80), StateCode: text(10),
        PostalCode: text(20), Country: text(80), CountryCode: text(10), Website: text(255), Description: { type: 'longtext', max: 32_000 },
        LeadSource: { type: 'picklist' }, Status: { type: 'picklist', values: leadStatuses }, Industry: { type: 'picklist' }, Rating: { type: 'picklist' },
        AnnualRevenue: { type: 'int' }, NumberOfEmployees: { type: 'int' }, HasOptedOutOfEmail: { type: 'boolean' },
        IsConverted: ro('boolean'), ConvertedDate: ro('date'), EmailBouncedReason: text(255), EmailBouncedDate: { type: 'datetime' },
        LastActivityDate: ro('date'),
        ...Object.fromEntries(leadCustom.map((name) => [name, text(255)])),
      },
    },
    Task: {
      prefix: '00T',
      parents: { ...SYSTEM_PARENTS, Who: { field: 'WhoId', object: 'Lead' } },
      fields: {
        ...SYSTEM,
        WhoId: { type: 'reference' }, WhatId: { type: 'reference' }, Subject: text(255), Description: { type: 'longtext', max: 32_000 },
        ActivityDate: { type: 'date' }, Status: { type: 'picklist', values: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] },
        Priority: { type: 'picklist', values: ['High', 'Normal', 'Low'] }, Type: { type: 'picklist' },
        TaskSubtype: { type: 'picklist', values: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], createOnly: true },
        IsClosed: ro('boolean'), CompletedDateTime: ro('datetime'),
        // Call fields (the call center guide and the field reference: src/crm/salesforce/api.ts names them).
        CallType: { type: 'picklist', values: ['Internal', 'Inbound', 'Outbound'] }, CallDurationInSeconds: { type: 'int' },
        CallDisposition: text(255), CallObject: text(255),
      },
    },
    Campaign: {
      prefix: '701',
      parents: SYSTEM_PARENTS,
      children: { CampaignMembers: { object: 'CampaignMember', field: 'CampaignId' } },
      fields: { ...SYSTEM, Name: text(80), Type: { type: 'picklist' }, Status: { type: 'picklist' }, IsActive: { type: 'boolean' }, StartDate: { type: 'date' } },
    },
    CampaignMember: {
      prefix: '00v',
      parents: { CreatedBy: SYSTEM_PARENTS.CreatedBy, LastModifiedBy: SYSTEM_PARENTS.LastModifiedBy, Campaign: { field: 'CampaignId', object: 'Campaign' }, Lead: { field: 'LeadId', object: 'Lead' } },
      fields: { ...SYSTEM, CampaignId: { type: 'reference' }, LeadId: { type: 'reference' }, ContactId: { type: 'reference' }, Status: { type: 'picklist' }, HasResponded: ro('boolean'), FirstRespondedDate: ro('date') },
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Replies and Salesforce's error bodies.

interface Reply {
  status: number;
  body?: unknown;
  /** Sent as is (not JSON), e.g. the identity service's plain-text errors. */
  text?: string;
  headers?: Record<string, string>;
}

/** REST API errors are an array of `{message, errorCode}` (plus `fields` for some). */
const sfError = (status: number, errorCode: string, message: string, fields?: string[]): Reply => ({ status, body: [{ message, errorCode, ...(fields ? { fields } : {}) }] });
const oauthError = (status: number, error: string, description: string): Reply => ({ status, body: { error, error_description: description } });

const INVALID_SESSION = () => sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
const LIMIT_EXCEEDED = () => sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
const NOT_FOUND = () => sfError(404, 'NOT_FOUND', 'The requested resource does not exist');

function faultBody(status: number): unknown {
  if (status === 401) return INVALID_SESSION().body;
  if (status === 403) return sfError(403, 'INSUFFICIENT_ACCESS', 'Injected 403').body;
  if (status === 404) return NOT_FOUND().body;
  if (status === 503) return sfError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable').body;
  if (status >= 500) return sfError(status, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1847562014-12345 (-1093824571)').body;
  return sfError(status, 'INVALID_REQUEST', `Injected ${status}`).body;
}

class RequestError extends Error {
  constructor(readonly reply: Reply) {
    super('request error');
  }
}
const malformed = (message: string) => new RequestError(sfError(400, 'MALFORMED_QUERY', message));
const invalidField = (message: string) => new RequestError(sfError(400, 'INVALID_FIELD', message));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestError(sfError(413, 'REQUEST_ENTITY_TOO_LARGE', 'The request body is too large.'));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  try {
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch (e) {
    throw new RequestError(sfError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${(e as Error).message}`));
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const base64url = (buf: Buffer) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

// ---------------------------------------------------------------------------------------------------
// SOQL: a tokenizer and a recursive-descent parser for the subset described at the top.

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; value: string; like: RegExp }
  | { kind: 'number'; value: number }
  | { kind: 'datetime'; value: number; dateOnly: boolean }
  | { kind: 'punct'; text: string };

const STRING_ESCAPES: Record<string, string> = { n: '\n', N: '\n', t: '\t', T: '\t', r: '\r', R: '\r', b: '\b', B: '\b', f: '\f', F: '\f', '"': '"', "'": "'", '\\': '\\' };

function readString(q: string, start: number): { token: Token; end: number } {
  let value = '';
  let like = '';
  for (let i = start + 1; i < q.length; i++) {
    const c = q[i]!;
    if (c === "'") return { token: { kind: 'string', value, like: new RegExp(`^${like}$`, 'is') }, end: i + 1 };
    if (c === '\\') {
      const next = q[++i] ?? '';
      if (next === '%' || next === '_') {
        value += `\\${next}`; // outside LIKE the backslash stays, as in SOQL
        like += next;
      } else if (STRING_ESCAPES[next] !== undefined) {
        value += STRING_ESCAPES[next];
        like += STRING_ESCAPES[next].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      } else throw malformed(`Invalid string literal '${q.slice(start, i + 1)}'. Illegal character sequence '\\${next}' in string literal.`);
      continue;
    }
    value += c;
    like += c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  throw malformed('unexpected token: end of query (unterminated string)');
}

export function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const rest = q.slice(i);
    let m: RegExpExecArray | null;
    if (/^\s/.test(rest)) i++;
    else if (rest[0] === "'") {
      const { token, end } = readString(q, i);
      out.push(token);
      i = end;
    } else if (rest[0] === '"') throw malformed('unexpected token: \'"\' (use single quotes for strings)');
    else if ((m = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))?/.exec(rest))) {
      const dateOnly = m[0].length === 10;
      const iso = dateOnly ? `${m[0]}T00:00:00Z` : m[0].replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
      out.push({ kind: 'datetime', value: Date.parse(iso), dateOnly });
      i += m[0].length;
    } else if ((m = /^-?\d+(?:\.\d+)?/.exec(rest))) {
      out.push({ kind: 'number', value: Number(m[0]) });
      i += m[0].length;
    } else if ((m = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest))) {
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else if ((m = /^(?:!=|<>|<=|>=|[=<>(),])/.exec(rest))) {
      out.push({ kind: 'punct', text: m[0] });
      i += m[0].length;
    } else throw malformed(`unexpected token: '${rest[0]}'`);
  }
  return out;
}

type Literal = SfValue | { like: RegExp };
/** What a literal was written as: SOQL checks it against the field's type (dates unquoted, by kind). */
type LiteralType = 'string' | 'number' | 'date' | 'datetime' | 'null' | 'boolean';
type Condition =
  | { kind: 'and'; parts: Condition[] }
  | { kind: 'or'; parts: Condition[] }
  | { kind: 'not'; part: Condition }
  | { kind: 'compare'; field: string; op: string; value: Literal | Literal[]; types: LiteralType[] };

export interface SoqlQuery {
  fields: string[];
  /** Parent-to-child subqueries in the field list; their `object` is the child relationship's name. */
  subqueries: SoqlQuery[];
  object: string;
  where?: Condition;
  orderBy: { field: string; desc: boolean; nullsLast: boolean }[];
  limit?: number;
  offset?: number;
}

export function parseSoql(q: string): SoqlQuery {
  const tokens = tokenize(q);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (t: Token | undefined, w: string): boolean => t?.kind === 'word' && t.text.toUpperCase() === w;
  const isPunct = (t: Token | undefined, p: string): boolean => t?.kind === 'punct' && t.text === p;
  const describe = (t: Token | undefined) => (!t ? 'end of query' : t.kind === 'word' || t.kind === 'punct' ? t.text : t.kind === 'string' ? `'${t.value}'` : String(t.value));
  const expectWord = (w: string) => {
    if (!isWord(peek(), w)) throw malformed(`unexpected token: ${describe(peek())} (expected ${w})`);
    pos++;
  };
  const field = (): string => {
    const t = peek();
    if (t?.kind !== 'word' || RESERVED.has(t.text.toUpperCase())) throw malformed(`unexpected token: ${describe(t)}`);
    pos++;
    return t.text;
  };
  const literal = (types: LiteralType[]): Literal => {
    const t = tokens[pos++];
    if (!t) throw malformed('unexpected token: end of query');
    const typed = (type: LiteralType, value: Literal) => (types.push(type), value);
    if (t.kind === 'string') return typed('string', t.value);
    if (t.kind === 'number') return typed('number', t.value);
    if (t.kind === 'datetime') return typed(t.dateOnly ? 'date' : 'datetime', t.value);
    if (isWord(t, 'NULL')) return typed('null', null);
    if (isWord(t, 'TRUE')) return typed('boolean', true);
    if (isWord(t, 'FALSE')) return typed('boolean', false);
    throw malformed(`unexpected token: ${describe(t)}`);
  };

  const comparison = (): Condition => {
    const name = field();
    let negate = false;
    if (isWord(peek(), 'NOT')) {
      negate = true;
      pos++;
    }
    if (isWord(peek(), 'IN')) {
      pos++;
      if (!isPunct(tokens[pos++], '(')) throw malformed('unexpected token: expected ( after IN');
      const types: LiteralType[] = [];
      const values: Literal[] = [literal(types)];
      while (isPunct(peek(), ',')) {
        pos++;
        values.push(literal(types));
      }
      if (!isPunct(tokens[pos++], ')')) throw malformed('unexpected token: expected ) after the IN list');
      return { kind: 'compare', field: name, op: negate ? 'NOT IN' : 'IN', value: values, types };
    }
    if (negate) throw malformed(`unexpected token: NOT (NOT goes before a condition, or in NOT IN)`);
    if (isWord(peek(), 'LIKE')) {
      pos++;
      const t = tokens[pos++];
      if (t?.kind !== 'string') throw malformed('LIKE takes a string');
      return { kind: 'compare', field: name, op: 'LIKE', value: { like: t.like }, types: ['string'] };
    }
    const op = tokens[pos++];
    if (op?.kind !== 'punct' || !['=', '!=', '<>', '<', '>', '<=', '>='].includes(op.text)) throw malformed(`unexpected token: ${describe(op)}`);
    const types: LiteralType[] = [];
    return { kind: 'compare', field: name, op: op.text === '<>' ? '!=' : op.text, value: literal(types), types };
  };

  const unary = (): Condition => {
    if (isWord(peek(), 'NOT')) {
      pos++;
      return { kind: 'not', part: unary() };
    }
    if (isPunct(peek(), '(')) {
      pos++;
      const inner = condition();
      if (!isPunct(tokens[pos++], ')')) throw malformed('unexpected token: expected )');
      return inner;
    }
    return comparison();
  };

  /** SOQL requires parentheses when AND and OR are mixed on one level. */
  function condition(): Condition {
    const parts = [unary()];
    let op: 'and' | 'or' | undefined;
    while (isWord(peek(), 'AND') || isWord(peek(), 'OR')) {
      const next = (peek() as { text: string }).text.toLowerCase() as 'and' | 'or';
      if (op && op !== next) throw malformed('unexpected token: mixing AND and OR requires parentheses');
      op = next;
      pos++;
      parts.push(unary());
    }
    if (parts.length === 1) return parts[0]!;
    return op === 'and' ? { kind: 'and', parts } : { kind: 'or', parts };
  }

  /** SELECT … FROM … [WHERE] [ORDER BY] [LIMIT] [OFFSET]; `nested` for a subquery (which ends at its `)`). */
  function select(nested: boolean): SoqlQuery {
    expectWord('SELECT');
    const fields: string[] = [];
    const subqueries: SoqlQuery[] = [];
    do {
      if (fields.length || subqueries.length) pos++; // the comma
      if (isPunct(peek(), '(')) {
        if (nested) throw malformed('The stand-in follows one level of parent-to-child subquery.');
        pos++;
        subqueries.push(select(true));
        if (!isPunct(tokens[pos++], ')')) throw malformed('unexpected token: expected ) after the subquery');
      } else fields.push(field());
    } while (isPunct(peek(), ','));
    expectWord('FROM');
    const object = field();
    const query: SoqlQuery = { fields, subqueries, object, orderBy: [] };
    if (isWord(peek(), 'WHERE')) {
      pos++;
      query.where = condition();
    }
    if (isWord(peek(), 'ORDER')) {
      pos++;
      expectWord('BY');
      do {
        if (isPunct(peek(), ',')) pos++;
        const name = field();
        let desc = false;
        if (isWord(peek(), 'ASC') || isWord(peek(), 'DESC')) desc = (tokens[pos++] as { text: string }).text.toUpperCase() === 'DESC';
        let nullsLast = desc; // SOQL: nulls first when ascending, last when descending
        if (isWord(peek(), 'NULLS')) {
          pos++;
          const which = tokens[pos++];
          if (!isWord(which, 'FIRST') && !isWord(which, 'LAST')) throw malformed('unexpected token: expected FIRST or LAST after NULLS');
          nullsLast = isWord(which, 'LAST');
        }
        query.orderBy.push({ field: name, desc, nullsLast });
      } while (isPunct(peek(), ','));
    }
    for (const clause of ['LIMIT', 'OFFSET'] as const) {
      if (isWord(peek(), clause)) {
        pos++;
        const n = tokens[pos++];
        if (n?.kind !== 'number' || !Number.isInteger(n.value) || n.value < 0) throw malformed(`${clause} takes a non-negative integer`);
        query[clause === 'LIMIT' ? 'limit' : 'offset'] = n.value;
      }
    }
    return query;
  }

  const query = select(false);
  if (pos < tokens.length) throw malformed(`unexpected token: ${describe(peek())}`);
  return query;
}

const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'LIKE', 'IN', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'ASC', 'DESC', 'NULLS', 'NULL', 'TRUE', 'FALSE']);

// ---------------------------------------------------------------------------------------------------
// The stand-in.

export async function startSalesforceStandIn(opts: SalesforceStandInOptions = {}): Promise<SalesforceStandIn> {
  const now = opts.now ?? Date.now;
  const dailyLimit = opts.dailyLimit ?? 100_000;
  const clientId = opts.clientId ?? '3MVG9standin.consumer.key';
  const defs = objectDefs([...DEFAULT_LEAD_STATUSES, ...(opts.leadStatuses ?? [])], opts.leadCustomFields ?? []);
  let counter = 0;
  const orgId = makeId('00D', 4242);
  const userId = makeId('005', 77);
  const newId = (object: string) => makeId(defs[object]!.prefix, ++counter);
  const users = new Map<string, SfRecord>();

  const leads = new Map<string, SfRecord>();
  const deletedLeads = new Map<string, SfRecord>();
  const tasks: SfRecord[] = [];
  const campaigns = new Map<string, SfRecord>();
  const campaignMembers: SfRecord[] = [];
  const calls: StandInCall[] = [];
  const faults: (FaultRule & { left: number })[] = [];
  const locators = new Map<string, Record<string, unknown>[]>();
  const authCodes = new Map<string, { challenge: string; clientId: string; redirectUri?: string; userId: string; expiresAt: number; used: boolean }>();
  let used = 0;

  const newAccessToken = () => `${orgId.slice(0, 15)}!AQ${base64url(randomBytes(48))}`;
  const newRefreshToken = () => `5Aep861${base64url(randomBytes(64))}`;
  /** Token → the user it belongs to. */
  const validAccess = new Map<string, string>();
  const validRefresh = new Map<string, string>();
  /** User → their latest tokens (what `credentials(userId)` hands out). */
  const latest = new Map<string, { access: string; refresh: string }>();
  const sessionOf = (user: string) => {
    let tokens = latest.get(user);
    if (!tokens) {
      tokens = { access: newAccessToken(), refresh: newRefreshToken() };
      latest.set(user, tokens);
      validAccess.set(tokens.access, user);
      validRefresh.set(tokens.refresh, user);
    }
    return tokens;
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const identityUrlOf = (user: string) => `${url}/id/${orgId}/${user}`;

  const stamp = () => sfDateTime(now());
  const storeOf = (object: string): SfRecord[] =>
    object === 'Lead'
      ? [...leads.values()]
      : object === 'Task'
        ? tasks
        : object === 'Campaign'
          ? [...campaigns.values()]
          : object === 'CampaignMember'
            ? campaignMembers
            : object === 'User'
              ? [...users.values()]
              : [];
  const findById = (object: string, id: string): SfRecord | undefined => storeOf(object).find((r) => r.Id === id);

  /** The canonical name of a field of `object`, matching case-insensitively. */
  function fieldName(object: string, name: string): string | undefined {
    return Object.keys(defs[object]!.fields).find((f) => f.toLowerCase() === name.toLowerCase());
  }

  function recordJson(object: string, record: SfRecord, wanted?: string[]) {
    const names = wanted ?? Object.keys(defs[object]!.fields);
    const out: Record<string, unknown> = { attributes: { type: object, url: `${DATA}/sobjects/${object}/${String(record.Id)}` } };
    for (const name of names) out[name] = record[name] ?? null;
    return out;
  }

  // ---- auth and limits ------------------------------------------------------------------------------
  const bearer = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  /** The user the request's access token belongs to, or undefined for a missing or dead token. */
  const userOf = (req: IncomingMessage) => validAccess.get(bearer(req) ?? '');
  const limitHeader = () => ({ 'sforce-limit-info': `api-usage=${used}/${dailyLimit}` });

  // ---- sObject Collections ---------------------------------------------------------------------------
  type SaveError = { statusCode: string; message: string; fields: string[] };
  type Plan = { errors: SaveError[]; id?: string; apply?: () => void };
  const saveError = (statusCode: string, message: string, fields: string[] = []): SaveError => ({ statusCode, message, fields });

  /** Field values of one input record, by canonical name; unknown fields fail the whole request (400). */
  function fieldsOf(object: string, input: Record<string, unknown>): SfRecord {
    const out: SfRecord = {};
    for (const [key, value] of Object.entries(input)) {
      if (key === 'attributes' || key.toLowerCase() === 'id') continue;
      const name = fieldName(object, key);
      if (!name) throw invalidField(`No such column '${key}' on sobject of type ${object}`);
      if (value !== null && typeof value === 'object') throw new RequestError(sfError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${defs[object]!.fields[name]!.type} from START_OBJECT value for field ${name}`));
      out[name] = value as SfValue;
    }
    return out;
  }

  /** Per-field checks Salesforce reports per record: read-only, restricted picklists, lengths, types. */
  function fieldErrors(object: string, values: SfRecord, creating: boolean): SaveError[] {
    const errors: SaveError[] = [];
    const readOnly = Object.keys(values).filter((n) => defs[object]!.fields[n]!.readOnly || (!creating && defs[object]!.fields[n]!.createOnly));
    if (readOnly.length) {
      errors.push(saveError('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, readOnly));
    }
    for (const [name, value] of Object.entries(values)) {
      const def = defs[object]!.fields[name]!;
      if (def.readOnly || value === null) continue;
      if (def.type === 'picklist' && def.values && !def.values.includes(String(value))) {
        errors.push(saveError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `bad value for restricted picklist field: ${String(value)}`, [name]));
      } else if ((def.type === 'string' || def.type === 'longtext') && typeof value === 'string' && def.max && value.length > def.max) {
        errors.push(saveError('STRING_TOO_LONG', `${name}: data value too large: ${value.slice(0, 40)}... (max length=${def.max})`, [name]));
      } else if (def.type === 'int' && (typeof value !== 'number' || !Number.isInteger(value))) {
        errors.push(saveError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${name}: value not of required type: ${String(value)}`, [name]));
      } else if (def.type === 'date' && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))) {
        errors.push(saveError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${name}: value not of required type: ${String(value)}`, [name]));
      }
    }
    return errors;
  }

  /** A reference field must name a live record of its object (Task.WhoId → Lead, OwnerId → an active User here). */
  function referenceErrors(values: SfRecord): SaveError[] {
    const errors: SaveError[] = [];
    if (values.OwnerId !== undefined) {
      const owner = id18(values.OwnerId);
      if (!owner || users.get(owner)?.IsActive !== true) errors.push(saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['OwnerId']));
      else values.OwnerId = owner;
    }
    if (values.WhoId === undefined || values.WhoId === null) return errors;
    const id = id18(values.WhoId);
    if (id && deletedLeads.has(id)) return [...errors, saveError('ENTITY_IS_DELETED', 'entity is deleted', ['WhoId'])];
    if (!id || !leads.has(id)) return [...errors, saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['WhoId'])];
    values.WhoId = id;
    return errors;
  }

  function planUpdate(object: string, input: Record<string, unknown>, seen: Set<string>, user: string): Plan {
    const raw = input.id ?? input.Id;
    if (raw === undefined || raw === null) return { errors: [saveError('MISSING_ARGUMENT', 'Id not specified in an update call', [])] };
    const id = id18(raw);
    if (!id || !id.startsWith(defs[object]!.prefix)) return { errors: [saveError('MALFORMED_ID', `${object} ID: id value of incorrect type: ${String(raw)}`, ['Id'])] };
    const values = fieldsOf(object, input);
    if (seen.has(id)) return { errors: [saveError('DUPLICATE_VALUE', `Duplicate id in list: ${id}`, [])] };
    seen.add(id);
    if (object === 'Lead' && deletedLeads.has(id)) return { errors: [saveError('ENTITY_IS_DELETED', 'entity is deleted', [])] };
    const record = findById(object, id);
    if (!record) return { errors: [saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [])] };
    const errors = [...fieldErrors(object, values, false), ...referenceErrors(values)];
    const rule = errors.length ? undefined : opts.validate?.(object, { ...record, ...values });
    if (rule) errors.push(saveError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule, []));
    const injected = errors.length ? undefined : opts.recordError?.(object, { ...record, ...values }, 'update');
    if (injected) errors.push(saveError(injected.statusCode, injected.message, []));
    return {
      errors,
      id,
      apply: () => {
        Object.assign(record, values, { LastModifiedDate: stamp(), LastModifiedById: user, SystemModstamp: stamp() });
        if (object === 'Lead') record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
      },
    };
  }

  function planCreate(object: string, input: Record<string, unknown>, user: string): Plan {
    if (input.id !== undefined || input.Id !== undefined) return { errors: [saveError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id'])] };
    const values = fieldsOf(object, input);
    const missing = (defs[object]!.required ?? []).filter((f) => values[f] === undefined || values[f] === null || values[f] === '');
    if (missing.length) return { errors: [saveError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)] };
    const errors = [...fieldErrors(object, values, true), ...referenceErrors(values)];
    const record = defaultsFor(object, values, user);
    const rule = errors.length ? undefined : opts.validate?.(object, record);
    if (rule) errors.push(saveError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule, []));
    const injected = errors.length ? undefined : opts.recordError?.(object, record, 'create');
    if (injected) errors.push(saveError(injected.statusCode, injected.message, []));
    return { errors, id: String(record.Id), apply: () => void insert(object, record) };
  }

  /** A new record as the platform fills it in: id, audit fields from `user` (who the session belongs to), defaults. */
  function defaultsFor(object: string, values: SfRecord, user = userId): SfRecord {
    const base: SfRecord = { Id: newId(object), IsDeleted: false, OwnerId: user, CreatedDate: stamp(), CreatedById: user, LastModifiedDate: stamp(), LastModifiedById: user, SystemModstamp: stamp() };
    if (object === 'Lead') Object.assign(base, { Status: DEFAULT_LEAD_STATUSES[0]!, IsConverted: false, HasOptedOutOfEmail: false });
    if (object === 'Task') Object.assign(base, { Status: 'Not Started', Priority: 'Normal', TaskSubtype: 'Task' });
    const record = { ...base, ...values };
    if (object === 'Lead' || object === 'User') record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
    if (object === 'User') delete record.OwnerId;
    if (object === 'Task') {
      record.IsClosed = record.Status === 'Completed';
      record.CompletedDateTime = record.IsClosed ? stamp() : null;
    }
    return record;
  }

  function insert(object: string, record: SfRecord) {
    if (object === 'Lead') leads.set(String(record.Id), record);
    else if (object === 'Task') tasks.push(record);
    else if (object === 'Campaign') campaigns.set(String(record.Id), record);
    else if (object === 'User') users.set(String(record.Id), record);
    else campaignMembers.push(record);
  }

  function collection(method: 'PATCH' | 'POST', body: unknown, user: string): Reply {
    if (!isRecord(body) || !Array.isArray(body.records)) return sfError(400, 'JSON_PARSER_ERROR', 'The request body must be an object with a "records" array.');
    const records = body.records;
    if (records.length > COLLECTION_MAX) return sfError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${COLLECTION_MAX} records into this call`);
    const seen = new Set<string>();
    const plans = records.map((input, i): Plan => {
      const type = isRecord(input) && isRecord(input.attributes) ? input.attributes.type : undefined;
      if (typeof type !== 'string') throw new RequestError(sfError(400, 'INVALID_TYPE', `sObject type is required for record ${i} (attributes.type)`));
      const object = Object.keys(defs).find((o) => o.toLowerCase() === type.toLowerCase());
      if (!object || object === 'CampaignMember' || object === 'Campaign' || object === 'User') throw new RequestError(sfError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`));
      return method === 'PATCH' ? planUpdate(object, input as Record<string, unknown>, seen, user) : planCreate(object, input as Record<string, unknown>, user);
    });
    const failed = plans.some((p) => p.errors.length);
    if (body.allOrNone === true && failed) {
      const rolledBack = saveError('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header', []);
      return { status: 200, body: plans.map((p) => ({ success: false, errors: p.errors.length ? p.errors : [rolledBack] })) };
    }
    for (const p of plans) if (!p.errors.length) p.apply?.();
    // Failed records carry no id: clients match results to records by position, as documented.
    return { status: 200, body: plans.map((p) => (p.errors.length ? { success: false, errors: p.errors } : { id: p.id, success: true, errors: [] })) };
  }

  // ---- queries ----------------------------------------------------------------------------------------
  interface Resolved {
    object: string;
    path: string[];
    def: FieldDef;
  }

  /** `Field` or `Parent.Field`, checked against the object's fields and parent relationships. */
  function resolve(object: string, name: string): Resolved {
    const parts = name.split('.');
    if (parts.length === 1) {
      const f = fieldName(object, name);
      if (!f) throw invalidField(`No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
      return { object, path: [f], def: defs[object]!.fields[f]! };
    }
    if (parts.length > 2) throw malformed(`The stand-in follows one level of relationship (${name}).`);
    const [rel, leaf] = parts as [string, string];
    const parent = Object.entries(defs[object]!.parents ?? {}).find(([r]) => r.toLowerCase() === rel.toLowerCase());
    if (!parent) throw invalidField(`Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`);
    const f = fieldName(parent[1].object, leaf);
    if (!f) throw invalidField(`No such column '${leaf}' on entity '${parent[1].object}'.`);
    return { object: parent[1].object, path: [parent[0], f], def: defs[parent[1].object]!.fields[f]! };
  }

  function parentOf(object: string, record: SfRecord, rel: string): SfRecord | undefined {
    const p = defs[object]!.parents![rel]!;
    const id = record[p.field];
    return typeof id === 'string' ? findById(p.object, id) : undefined;
  }

  function valueOf(object: string, record: SfRecord, r: Resolved): SfValue {
    if (r.path.length === 1) return record[r.path[0]!] ?? null;
    return parentOf(object, record, r.path[0]!)?.[r.path[1]!] ?? null;
  }

  const comparable = (def: FieldDef, v: SfValue): number | string | boolean | null => {
    if (v === null) return null;
    if ((def.type === 'datetime' || def.type === 'date') && typeof v === 'string') return Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return typeof v === 'string' ? v.toLowerCase() : v;
  };

  function matches(object: string, record: SfRecord, c: Condition): boolean {
    if (c.kind === 'and' || c.kind === 'or') return c.kind === 'and' ? c.parts.every((p) => matches(object, record, p)) : c.parts.some((p) => matches(object, record, p));
    if (c.kind === 'not') return !matches(object, record, c.part);
    const r = resolve(object, c.field);
    const actual = valueOf(object, record, r);
    if (c.op === 'LIKE') {
      const { like } = c.value as { like: RegExp };
      return typeof actual === 'string' && like.test(actual);
    }
    // Ids compare exactly, in their 18-character form (a 15-character literal is widened); text compares
    // case-insensitively, as SOQL does.
    const isId = r.def.type === 'id' || r.def.type === 'reference';
    const norm = (v: Literal) => (isId && typeof v === 'string' ? (id18(v) ?? v) : comparable(r.def, v as SfValue));
    const a = isId ? actual : comparable(r.def, actual);
    if (c.op === 'IN' || c.op === 'NOT IN') {
      const hit = (c.value as Literal[]).some((v) => norm(v) === a);
      return c.op === 'IN' ? hit : !hit;
    }
    const b = norm(c.value as Literal);
    switch (c.op) {
      case '=':
        return a === b;
      case '!=':
        return a !== b;
      default: {
        if (a === null || b === null) return false;
        return c.op === '<' ? a < b : c.op === '>' ? a > b : c.op === '<=' ? a <= b : a >= b;
      }
    }
  }

  /** A compiled query: resolved fields and order, and for each subquery its child object and reference field. */
  interface Compiled {
    object: string;
    query: SoqlQuery;
    fields: Resolved[];
    order: { r: Resolved; desc: boolean; nullsLast: boolean }[];
    children: { name: string; field: string; plan: Compiled }[];
  }

  /** Field names, relationships, WHERE and ORDER BY are checked before anything runs, even when no row would match. */
  function compile(object: string, query: SoqlQuery): Compiled {
    const fields = query.fields.map((f) => resolve(object, f));
    const check = (c: Condition): void => {
      if (c.kind === 'and' || c.kind === 'or') return c.parts.forEach(check);
      if (c.kind === 'not') return check(c.part);
      const r = resolve(object, c.field);
      const name = r.path.at(-1)!;
      if (r.def.type === 'longtext') throw invalidField(`field '${name}' can not be filtered in a query call`);
      // Date and dateTime values are written unquoted, each in its own format, and only compare with their own type.
      for (const type of c.types) {
        if (type === 'null') continue;
        const isDate = r.def.type === 'date' || r.def.type === 'datetime';
        if (isDate ? type !== r.def.type : type === 'date' || type === 'datetime') {
          throw invalidField(isDate ? `value of filter criterion for field '${name}' must be of type ${r.def.type === 'date' ? 'date' : 'dateTime'} and should not be enclosed in quotes` : `value of filter criterion for field '${name}' must be of type ${r.def.type} and should be enclosed in quotes`);
        }
      }
    };
    if (query.where) check(query.where);
    const order = query.orderBy.map((o) => ({ ...o, r: resolve(object, o.field) }));
    for (const o of order) if (o.r.def.type === 'longtext') throw invalidField(`field '${o.r.path.at(-1)}' can not be sorted in a query call`);
    const children = query.subqueries.map((sub) => {
      const rel = Object.entries(defs[object]!.children ?? {}).find(([name]) => name.toLowerCase() === sub.object.toLowerCase());
      if (!rel) throw new RequestError(sfError(400, 'INVALID_TYPE', `Didn't understand relationship '${sub.object}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`));
      return { name: rel[0], field: rel[1].field, plan: compile(rel[1].object, sub) };
    });
    return { object, query, fields, order, children };
  }

  /** Rows of `plan` (optionally only those whose `parentField` is `parentId`), filtered, sorted, offset and limited. */
  function rowsOf(plan: Compiled, parent?: { field: string; id: SfValue }): SfRecord[] {
    const { object, query, order } = plan;
    let rows = storeOf(object).filter((r) => (!parent || r[parent.field] === parent.id) && (!query.where || matches(object, r, query.where)));
    rows = [...rows].sort((x, y) => {
      for (const o of order) {
        const a = comparable(o.r.def, valueOf(object, x, o.r));
        const b = comparable(o.r.def, valueOf(object, y, o.r));
        if (a === b) continue;
        if (a === null) return o.nullsLast ? 1 : -1;
        if (b === null) return o.nullsLast ? -1 : 1;
        return (a < b ? -1 : 1) * (o.desc ? -1 : 1);
      }
      return 0;
    });
    return rows.slice(query.offset ?? 0, query.limit === undefined ? undefined : (query.offset ?? 0) + query.limit);
  }

  /**
   * One row as JSON: its fields (parents as nested records), and per subquery `null` when there are no
   * children, else a query result of its own, paged like a top-level one (`nextRecordsUrl` for the rest).
   */
  function output(plan: Compiled, record: SfRecord, size: number) {
    const { object, fields } = plan;
    const out: Record<string, unknown> = { attributes: { type: object, url: `${DATA}/sobjects/${object}/${String(record.Id)}` } };
    for (const r of fields) {
      if (r.path.length === 1) out[r.path[0]!] = record[r.path[0]!] ?? null;
      else {
        const [rel, leaf] = r.path as [string, string];
        const parent = parentOf(object, record, rel);
        if (!parent) out[rel] = null;
        else {
          const nested = (out[rel] as Record<string, unknown> | undefined) ?? { attributes: { type: r.object, url: `${DATA}/sobjects/${r.object}/${String(parent.Id)}` } };
          nested[leaf] = parent[leaf] ?? null;
          out[rel] = nested;
        }
      }
    }
    for (const child of plan.children) {
      const rows = rowsOf(child.plan, { field: child.field, id: record.Id ?? null }).map((r) => output(child.plan, r, size));
      out[child.name] = rows.length ? stored(rows, size) : null;
    }
    return out;
  }

  function batchSizeOf(req: IncomingMessage): number {
    const m = /batchSize=(\d+)/i.exec(String(req.headers['sforce-query-options'] ?? ''));
    const asked = m ? Math.min(2000, Math.max(200, Number(m[1]))) : DEFAULT_BATCH;
    return Math.min(asked, opts.queryBatchMax ?? DEFAULT_BATCH);
  }

  function page(rows: Record<string, unknown>[], total: number, size: number, locator: string, offset: number) {
    const batch = rows.slice(offset, offset + size);
    const done = offset + size >= rows.length;
    return { totalSize: total, done, ...(done ? {} : { nextRecordsUrl: `${DATA}/query/${locator}-${offset + size}` }), records: batch };
  }

  /** Rows kept under a new query locator (for `nextRecordsUrl`), and their first page. */
  function stored(rows: Record<string, unknown>[], size: number) {
    const locator = `01g5g0000${base64url(randomBytes(6)).replace(/[^A-Za-z0-9]/g, 'x')}`;
    locators.set(locator, rows);
    return page(rows, rows.length, size, locator, 0);
  }

  function runQuery(q: string | null, req: IncomingMessage): Reply {
    if (!q) return sfError(400, 'MALFORMED_QUERY', 'A query string (q) is required.');
    const query = parseSoql(q);
    const object = Object.keys(defs).find((o) => o.toLowerCase() === query.object.toLowerCase());
    if (!object) return sfError(400, 'INVALID_TYPE', `sObject type '${query.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`);
    const plan = compile(object, query);
    // Child pages are as large as top-level ones here (Salesforce's own child batch size is not documented).
    const size = batchSizeOf(req);
    return { status: 200, body: stored(rowsOf(plan).map((r) => output(plan, r, size)), size) };
  }

  function queryMore(locator: string, offset: number, req: IncomingMessage): Reply {
    const rows = locators.get(locator);
    if (!rows || offset >= rows.length) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return { status: 200, body: page(rows, rows.length, batchSizeOf(req), locator, offset) };
  }

  // ---- OAuth ------------------------------------------------------------------------------------------
  function tokenResponse(user: string, extra: Record<string, unknown> = {}) {
    const issuedAt = String(now());
    const identityUrl = identityUrlOf(user);
    return {
      access_token: latest.get(user)!.access,
      signature: base64url(createHash('sha256').update(`${identityUrl}${issuedAt}`).digest()),
      scope: 'refresh_token api',
      instance_url: url,
      id: identityUrl,
      token_type: 'Bearer',
      issued_at: issuedAt,
      ...extra,
    };
  }

  function issueAccessToken(user: string) {
    const access = newAccessToken();
    validAccess.set(access, user);
    latest.set(user, { refresh: latest.get(user)?.refresh ?? '', access });
  }

  function issueRefreshToken(user: string) {
    const refresh = newRefreshToken();
    validRefresh.set(refresh, user);
    latest.set(user, { access: latest.get(user)?.access ?? '', refresh });
    return refresh;
  }

  function token(form: URLSearchParams): Reply {
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const issued = authCodes.get(code);
      if (!issued || issued.used || issued.expiresAt < now()) return oauthError(400, 'invalid_grant', 'invalid authorization code');
      issued.used = true; // a code works once, whatever happens next
      if (form.get('client_id') !== issued.clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
      if (issued.redirectUri !== undefined && form.get('redirect_uri') !== issued.redirectUri) return oauthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
      const verifier = form.get('code_verifier');
      if (!verifier) return oauthError(400, 'invalid_grant', 'code_verifier is required when a code_challenge was sent');
      if (base64url(createHash('sha256').update(verifier, 'ascii').digest()) !== issued.challenge) return oauthError(400, 'invalid_request', 'invalid code verifier');
      issueAccessToken(issued.userId);
      const refresh = issueRefreshToken(issued.userId);
      return { status: 200, body: tokenResponse(issued.userId, { refresh_token: refresh }) };
    }
    if (grant === 'refresh_token') {
      if (form.get('client_id') !== clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
      const presented = form.get('refresh_token') ?? '';
      const user = validRefresh.get(presented);
      if (!user) return oauthError(400, 'invalid_grant', 'expired access/refresh token');
      issueAccessToken(user);
      if (!opts.rotateRefreshTokens) return { status: 200, body: tokenResponse(user) };
      validRefresh.delete(presented);
      const refresh = issueRefreshToken(user);
      return { status: 200, body: tokenResponse(user, { refresh_token: refresh }) };
    }
    return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
  }

  /** The UserInfo endpoint's answer for the token's user (OpenID Connect claims plus Salesforce's ids and URLs). */
  function userinfo(user: SfRecord): Reply {
    const id = String(user.Id);
    const username = String(user.Username ?? '');
    return {
      status: 200,
      body: {
        sub: identityUrlOf(id),
        user_id: id,
        organization_id: orgId,
        preferred_username: username,
        nickname: username.split('@')[0] ?? '',
        name: user.Name ?? '',
        email: user.Email ?? null,
        email_verified: true,
        given_name: user.FirstName ?? '',
        family_name: user.LastName ?? '',
        zoneinfo: 'Europe/Berlin',
        photos: { picture: `${url}/profilephoto/005/F`, thumbnail: `${url}/profilephoto/005/T` },
        profile: `${url}/${id}`,
        picture: `${url}/profilephoto/005/F`,
        address: { country: 'DE' },
        is_salesforce_integration_user: false,
        urls: { rest: `${url}/services/data/v{version}/`, sobjects: `${url}/services/data/v{version}/sobjects/`, query: `${url}/services/data/v{version}/query/`, profile: `${url}/${id}` },
        active: user.IsActive === true,
        user_type: 'STANDARD',
        language: 'en_US',
        locale: 'en_US',
        utcOffset: 3_600_000,
        updated_at: '2026-10-01T09:00:00Z',
      },
    };
  }

  /** Connect REST API `chatter/users/me`: a User Detail (the fields a client reads; Chatter's counts left out). */
  function chatterUser(user: SfRecord): Reply {
    const id = String(user.Id);
    return {
      status: 200,
      body: {
        aboutMe: null,
        additionalLabel: null,
        communityNickname: String(user.Username ?? '').split('@')[0] ?? null,
        isInThisCommunity: true,
        id,
        name: user.Name ?? '',
        firstName: user.FirstName ?? null,
        lastName: user.LastName ?? null,
        displayName: user.Name ?? '',
        email: user.Email ?? null,
        username: user.Username ?? null,
        title: user.Title ?? null,
        companyName: 'Acme',
        isActive: user.IsActive === true,
        type: 'User',
        userType: 'Internal',
        url: `${DATA}/chatter/users/${id}`,
        photo: { fullEmailPhotoUrl: `${url}/profilephoto/005/F`, smallPhotoUrl: `${url}/profilephoto/005/T`, photoVersionId: null, url: `${DATA}/connect/user-profiles/${id}/photo` },
      },
    };
  }

  // ---- routing ------------------------------------------------------------------------------------------
  async function route(method: string, u: URL, req: IncomingMessage): Promise<Reply> {
    const path = u.pathname;
    if (path === '/services/oauth2/token') {
      if (method !== 'POST') return sfError(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
      return token(new URLSearchParams(await readBody(req)));
    }
    if (path === '/services/oauth2/userinfo') {
      // The identity service answers a bad token with a plain-text 403, not the REST API's 401 body.
      const user = users.get(userOf(req) ?? '');
      if (!user) return { status: 403, text: 'Bad_OAuth_Token' };
      return userinfo(user);
    }
    if (!path.startsWith('/services/data/')) return NOT_FOUND();

    const user = userOf(req);
    if (!user) return INVALID_SESSION();
    if (used >= dailyLimit) return LIMIT_EXCEEDED();
    used += 1;

    let m: RegExpExecArray | null;
    if (method === 'GET' && (path === DATA || path === `${DATA}/`)) {
      const resources = ['sobjects', 'query', 'queryAll', 'composite', 'limits', 'search'];
      return { status: 200, body: Object.fromEntries(resources.map((r) => [r, `${DATA}/${r}`])) };
    }
    if (path === `${DATA}/composite/sobjects`) {
      if (method !== 'PATCH' && method !== 'POST') return sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are POST,PATCH,DELETE`);
      return collection(method, parseJson(await readBody(req)), user);
    }
    if (method === 'GET' && path === `${DATA}/chatter/users/me`) return chatterUser(users.get(user)!);
    if (method === 'GET' && (path === `${DATA}/query` || path === `${DATA}/query/`)) return runQuery(u.searchParams.get('q'), req);
    if (method === 'GET' && (m = /^\/services\/data\/v66\.0\/query\/([A-Za-z0-9]+)-(\d+)$/.exec(path))) return queryMore(m[1]!, Number(m[2]), req);
    if (method === 'GET' && (m = /^\/services\/data\/v66\.0\/sobjects\/Lead\/([^/]+)$/.exec(path))) {
      const id = id18(decodeURIComponent(m[1]!));
      const record = id ? leads.get(id) : undefined;
      if (!record) return NOT_FOUND();
      const wanted = u.searchParams.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
      const names = wanted?.map((f) => {
        const name = fieldName('Lead', f);
        if (!name) throw invalidField(`No such column '${f}' on sobject of type Lead`);
        return name;
      });
      return { status: 200, body: recordJson('Lead', record, names) };
    }
    return NOT_FOUND();
  }

  function takeFault(method: string, path: string): Fault | undefined {
    const rule = faults.find((r) => r.left > 0 && (!r.match?.method || r.match.method.toUpperCase() === method) && (!r.match?.path || r.match.path.test(path)));
    if (!rule) return undefined;
    rule.left -= 1;
    return rule.fault;
  }

  function send(res: ServerResponse, reply: Reply, path: string) {
    const data = path.startsWith('/services/data/') ? limitHeader() : {};
    if (reply.text !== undefined) {
      res.writeHead(reply.status, { 'content-type': 'text/plain;charset=UTF-8', ...data, ...reply.headers });
      res.end(reply.text);
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=UTF-8', ...data, ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://standin.invalid');
    const method = req.method ?? 'GET';
    const record = (status: number) => calls.push({ method, path: u.pathname, status, at: now() });
    const drop = () => {
      record(0);
      req.socket.destroy();
    };
    const fault = takeFault(method, u.pathname);
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'drop') return drop();
    if (fault?.kind === 'status') {
      const reply = { status: fault.status, body: fault.body ?? faultBody(fault.status), headers: fault.headers };
      record(reply.status);
      return send(res, reply, u.pathname);
    }
    let reply: Reply;
    try {
      reply = await route(method, u, req);
    } catch (e) {
      reply = e instanceof RequestError ? e.reply : sfError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${(e as Error).message}`);
    }
    if (fault?.kind === 'applyThenDrop') return drop();
    if (fault?.kind === 'applyThenStatus') reply = { status: fault.status, body: faultBody(fault.status) };
    record(reply.status);
    if (!res.destroyed) send(res, reply, u.pathname);
  }

  // The default user, who holds the first tokens (`token`, `credentials()`).
  users.set(userId, { Id: userId, CreatedDate: stamp(), CreatedById: userId, LastModifiedDate: stamp(), LastModifiedById: userId, SystemModstamp: stamp(), Username: 'rep@acme.example', FirstName: 'Riley', LastName: 'Rep', Name: 'Riley Rep', Alias: 'rrep', Email: 'rep@acme.example', Title: 'Sales Development Rep', IsActive: true });
  sessionOf(userId);

  return {
    url,
    get token() {
      return sessionOf(userId).access;
    },
    get refreshToken() {
      return sessionOf(userId).refresh;
    },
    tokenUrl: `${url}/services/oauth2/token`,
    get apiUsage() {
      return { used, max: dailyLimit };
    },
    orgId,
    userId,
    clientId,
    calls,
    leads,
    deletedLeads,
    tasks,
    campaigns,
    campaignMembers,
    users,
    credentials(user = userId) {
      if (!users.has(user)) throw new Error(`No user ${user} in the stand-in's org`);
      const { access, refresh } = sessionOf(user);
      return { kind: 'oauth', accessToken: access, refreshToken: refresh, tokenUrl: `${url}/services/oauth2/token`, clientId };
    },
    addUser(fields) {
      const record = defaultsFor('User', { IsActive: true, ...fields });
      record.Username ??= `${String(record.FirstName ?? '').toLowerCase()}.${String(record.LastName ?? '').toLowerCase()}@acme.example`.replace(/^\./, '');
      insert('User', record);
      return String(record.Id);
    },
    inject(rule) {
      faults.push({ ...rule, left: rule.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    rotateToken() {
      validAccess.delete(sessionOf(userId).access);
      issueAccessToken(userId);
      return sessionOf(userId).access;
    },
    expireAccessToken() {
      validAccess.delete(sessionOf(userId).access);
    },
    revokeRefreshToken() {
      validRefresh.clear();
    },
    issueAuthCode(codeChallenge, o = {}) {
      const code = `aPrx${base64url(randomBytes(24))}`;
      authCodes.set(code, { challenge: codeChallenge, clientId: o.clientId ?? clientId, redirectUri: o.redirectUri, userId: o.userId ?? userId, expiresAt: now() + AUTH_CODE_TTL_MS, used: false });
      return code;
    },
    addLead(fields = {}) {
      const record = defaultsFor('Lead', { LastName: 'Lead', Company: '[not provided]', ...fields });
      insert('Lead', record);
      return String(record.Id);
    },
    deleteLead(id) {
      const record = leads.get(id);
      if (!record) return;
      leads.delete(id);
      deletedLeads.set(id, { ...record, IsDeleted: true });
    },
    addTask(fields) {
      const record = defaultsFor('Task', fields, typeof fields.CreatedById === 'string' ? fields.CreatedById : userId);
      insert('Task', record);
      return String(record.Id);
    },
    addCampaignMember(leadId, campaign, member = {}) {
      let c = [...campaigns.values()].find((x) => x.Name === campaign.Name);
      if (!c) {
        c = defaultsFor('Campaign', { Name: campaign.Name, Type: campaign.Type ?? null, Status: 'In Progress', IsActive: true });
        insert('Campaign', c);
      }
      const m = defaultsFor('CampaignMember', { CampaignId: c.Id!, LeadId: leadId, Status: 'Sent', HasResponded: false, FirstRespondedDate: null, ...member });
      insert('CampaignMember', m);
      return String(m.Id);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

