/**
 * Salesforce's REST API (v66.0), spoken from the background service worker with OAuth 2.0 tokens from
 * `./oauth.ts`. This module composes the HTTP dialect (`./http.ts`: requests, token refresh, errors,
 * query paging), task text (`./task-text.ts`) and lead reading (`./profile.ts`) into the module the
 * sync loop uses. Contracts as Salesforce documents them:
 *
 * - sObject Collections update / create (≤200 records, `allOrNone`, SaveResults in request order; a
 *   well-formed request answers 200 even when records fail):
 *   https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-update.html
 *   https://developer.salesforce.com/docs/atlas.en-us.224.0.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
 *   https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_update_saveresult.htm
 * - SOQL: long text area fields (Task.Description) cannot be filtered; strings in single quotes with
 *   backslash escapes; a URI of at most 16,384 bytes with 2,000 characters recommended:
 *   https://developer.salesforce.com/docs/atlas.en-us.236.0.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_fieldexpression.htm
 *   https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm
 *   https://help.salesforce.com/s/articleView?id=000386264&language=en_US&type=1
 * - Finding an earlier attempt's task: SOQL "executes with the database", SOSL with the search indexes,
 *   which are built asynchronously ("about 15 minutes or more" before new text is searchable); records
 *   without errors are committed when the call answers (allOrNone false). So a SOQL look-up by key
 *   sees a task an earlier call created; SOSL is never used for it:
 *   https://developer.salesforce.com/docs/platform/salesforce-large-data-volumes-bp/guide/ldv-deployments-techniques-using-soql-and-sosl.md
 *   https://developer.salesforce.com/docs/platform/salesforce-large-data-volumes-bp/guide/ldv-deployments-concepts-search-architecture.html
 *   https://developer.salesforce.com/docs/atlas.en-us.252.0.soql_sosl.meta/soql_sosl/
 *   https://developer.salesforce.com/docs/platform/api/guide/sforce-api-header-allornoneheader.md
 * - UserInfo endpoint (`organization_id`): https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_using_userinfo_endpoint.htm
 * - Task fields (WhoId, Subject ≤255, Description long text, ActivityDate, Status, Priority, TaskSubtype;
 *   OwnerId = "Assigned To", defaulting to the creating user):
 *   https://developer.salesforce.com/docs/atlas.en-us.200.0.object_reference.meta/object_reference/sforce_api_objects_openactivity.htm
 * - Who made a task (`CreatedById`, read-only, set from the session): https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/system_fields.htm
 * - Logged calls (ADR 19) as Tasks with `TaskSubtype` Call (a picklist set on create only: Task, Email,
 *   ListEmail, Cadence, Call, LinkedIn), `CallType` (picklist: Internal, Inbound, Outbound),
 *   `CallDurationInSeconds` (int), `CallDisposition` ("Call Result", text ≤255: "the result of a given
 *   call"), found again like decisions' tasks (SOQL on the key in the subject):
 *   https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_task.htm
 *   https://developer.salesforce.com/docs/platform/api/guide/sforce-api-guidelines-callcenter.html
 *   https://developer.salesforce.com/docs/atlas.en-us.196.0.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_Task.htm
 *   The object reference says the call fields are "exclusive to Salesforce CRM Call Center"; an org whose
 *   profile cannot write them refuses the task, and the call shows "Needs attention" with Salesforce's words.
 *
 * Who the session belongs to (`whoAmI`) is in `./identity.ts`; reading our tasks back (`importNotes`,
 * `readHistory`) in `./notes.ts`; SOQL literals in `./soql.ts`.
 *
 * Not confirmed in Salesforce's docs as we could search them: the exact wording of per-record messages
 * (`entity is deleted`, `bad value for restricted picklist field: …`), which per-record status codes are
 * worth a retry (we retry `UNABLE_TO_LOCK_ROW` and similar), and how the identity service answers a bad
 * token or missing scopes (`testConnection` falls back to the org id the sign-in returned; `whoAmI`, in
 * `./identity.ts`, to Connect's `chatter/users/me`).
 */
import {
  CrmError,
  type CallWrite,
  type Connection,
  type CrmApi,
  type CrmApiDeps,
  type CrmApiModule,
  type CrmUser,
  type ImportedNote,
  type ItemResult,
  type LeadHistoryRead,
  type ReadLeadResult,
  type WriteBack,
} from '../api';
import { isRecord, list, text } from '../read';
import type { LeadRef } from '../../domain/lead-ref';
import { crmStrings as shared } from '../../i18n/crm';
import { createSalesforceHttp, DATA_PATH, NAME, type LimitInfo } from './http';
import { whoAmI } from './identity';
import { messages as t } from './messages';
import { createNoteReads } from './notes';
import { startSalesforceLogin } from './oauth';
import { toLeadId18 } from './page';
import { profileOf } from './profile';
import { id18, soqlContains, soqlString } from './soql';
import { TASK_DESCRIPTION_MAX, TASK_SUBJECT_MAX, taskDescription, taskSubject } from './task-text';
import { CALL_OUTCOME_TEXT } from '../../domain/calls';

export { id18, soqlContains, soqlString } from './soql';

/** sObject Collections take at most 200 records. */
export const MAX_BATCH = 200;
/** Salesforce recommends URIs of at most 2,000 characters (help article 000386264). */
const QUERY_URL_MAX = 2_000;
const ACTIVITY_LIMIT = 200;
const CAMPAIGN_LIMIT = 50;
/** Per-record failures that say "not now" rather than "never". */
const RETRYABLE_RECORD_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'REQUEST_RUNNING_TOO_LONG', 'SERVER_UNAVAILABLE', 'ALL_OR_NONE_OPERATION_ROLLED_BACK']);

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
  importNotes(cursor: string | undefined, options?: { since?: string }): Promise<{ notes: ImportedNote[]; cursor?: string }>;
  whoAmI(): Promise<CrmUser | undefined>;
  readHistory(ref: LeadRef): Promise<LeadHistoryRead>;
  logCalls(items: readonly CallWrite[], unsure: ReadonlySet<string>): Promise<ItemResult[]>;
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
  const http = createSalesforceHttp(connection, deps, options.timeoutMs);
  const { base, call, queryAll } = http;
  const mapping = connection.mapping;
  const reads = createNoteReads(http, { importBatchSize: options.importBatchSize });

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

  /**
   * Tasks already holding these keys (an earlier attempt's outcome was unknown): key → task id. SOQL
   * runs against the org's database, not the search index (SOSL, which lags by minutes), so a task an
   * earlier call committed is found at once. Throws `CrmError` when Salesforce cannot answer.
   */
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

  /**
   * One sObject Collections create for every task still missing; results match records by position. The
   * decision's author, as this org knows them, is the task's owner ("Assigned To"); Salesforce records
   * who created it (`CreatedById`, the session's user) on its own.
   */
  async function createTasks(items: { item: WriteBack; id: string }[], results: Map<string, ItemResult>, landed: ReadonlySet<string>) {
    if (!items.length) return;
    const records = items.map(({ item, id }) => {
      const owner = id18(item.note.authorUser?.id);
      return {
        attributes: { type: 'Task' },
        WhoId: id,
        Subject: taskSubject(item.note.subject, item.key),
        Description: taskDescription(item.note.body, item.key),
        ActivityDate: dayOf(item.note.at),
        Status: 'Completed',
        Priority: 'Normal',
        ...(owner?.startsWith('005') ? { OwnerId: owner } : {}),
      };
    });
    const { status, data } = await call('POST', `${DATA_PATH}/composite/sobjects`, { body: { allOrNone: false, records } });
    const saved = saveResults(data);
    items.forEach(({ item }, i) => {
      const r = saved[i];
      const applied = landed.has(item.key) ? { statusApplied: true } : {};
      if (r?.success && r.id) results.set(item.key, { key: item.key, ok: true, noteId: r.id });
      else if (!r || r.success) results.set(item.key, { ...failure(item.key, false, t.taskNotConfirmed, status), ...applied });
      else results.set(item.key, { ...failure(item.key, !retryable(r), landed.has(item.key) ? t.taskFailed(describeErrors(r)) : t.taskRefused(describeErrors(r)), status), ...applied });
    });
  }

  /**
   * Status update first (one PATCH), then for unsure keys a SOQL look-up of their task, then one POST
   * for the tasks still missing. Each field is written once: once Salesforce confirmed an item's status
   * in this call, a later failure of the look-up or the create is reported per item with
   * `statusApplied`, never as a whole-call error that would have the status sent again.
   */
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
    // A write-back without a status (a manager's review, or a retry after the status landed) leaves the lead alone.
    const updates = valid.filter(({ item }) => item.status !== undefined);
    const updated = updates.length ? await updateLeads(updates, results) : [];
    /** Keys whose status/reason update Salesforce confirmed (2xx, success) in this call. */
    const landed = new Set(updated.map(({ item }) => item.key));
    const ready = [...valid.filter(({ item }) => item.status === undefined), ...updated];
    /** A per-item failure after a whole-call error, saying whether this item's status landed. */
    const failed = (key: string, permanent: boolean, message: string, e: CrmError): Failure => ({
      ...failure(key, permanent, message, e.details.status),
      ...(e.details.retryAfterMs !== undefined ? { retryAfterMs: e.details.retryAfterMs } : {}),
      ...(landed.has(key) ? { statusApplied: true } : {}),
    });

    // Unsure keys: their task may exist. Never create one while that is unknown.
    const looking = ready.filter(({ item }) => unsure.has(item.key));
    let found = new Map<string, string>();
    const unknown = new Set<string>();
    if (looking.length) {
      try {
        found = await findTasks(looking.map(({ item }) => item.key));
      } catch (e) {
        if (!(e instanceof CrmError)) throw e;
        // Nothing landed yet: the loop's whole-call handling fits (expired session, used-up allocation,
        // a later try that keeps them unsure). A refusal of the look-up itself is no reason to give up
        // on the item, though: that would clear the unsure mark and let a later retry create a second task.
        if (!landed.size && e.kind !== 'permanent') throw e;
        for (const { item } of looking) {
          unknown.add(item.key);
          results.set(item.key, failed(item.key, false, t.lookupFailed(e.message), e));
        }
      }
    }
    for (const [key, noteId] of found) results.set(key, { key, ok: true, noteId });

    const creating = ready.filter(({ item }) => !found.has(item.key) && !unknown.has(item.key));
    try {
      await createTasks(creating, results, landed);
    } catch (e) {
      if (!(e instanceof CrmError) || (!landed.size && !unknown.size)) throw e;
      // The tasks may have been created (a timeout, a 5xx): the loop keeps these keys unsure.
      for (const { item } of creating) results.set(item.key, failed(item.key, e.kind === 'permanent', landed.has(item.key) ? t.taskNotCreated(e.message) : e.message, e));
    }
    return items.map((i) => results.get(i.key) ?? failure(i.key, false, t.itemNotConfirmed));
  }

  /**
   * Logged calls as completed call Tasks on the lead (ADR 19), exactly once: unsure keys are looked up
   * with SOQL on the subject first (as decisions' tasks are), and nothing is created while that is
   * unknown; then one sObject Collections create for the calls still missing (results by position).
   */
  async function logCalls(items: readonly CallWrite[], unsure: ReadonlySet<string>): Promise<ItemResult[]> {
    if (items.length > MAX_BATCH) {
      throw new CrmError('permanent', shared.batchTooLarge(NAME, MAX_BATCH, items.length), { code: 'BATCH_TOO_LARGE' });
    }
    const results = new Map<string, ItemResult>();
    const valid: { item: CallWrite; id: string }[] = [];
    for (const item of items) {
      const lead = leadIdOf(item.ref);
      if ('problem' in lead) results.set(item.key, failure(item.key, true, lead.problem));
      else valid.push({ item, id: lead.id });
    }
    const looking = valid.filter(({ item }) => unsure.has(item.key));
    let found = new Map<string, string>();
    if (looking.length) {
      try {
        found = await findTasks(looking.map(({ item }) => item.key));
      } catch (e) {
        if (!(e instanceof CrmError)) throw e;
        // Nothing was written in this call: the loop's whole-call handling keeps the unsure marks. A
        // refused query is still no answer: those items wait (transient), none is created.
        if (e.kind !== 'permanent' || results.size === 0) throw e.kind === 'permanent' ? new CrmError('transient', t.lookupFailed(e.message), e.details) : e;
        for (const { item } of looking) results.set(item.key, failure(item.key, false, t.lookupFailed(e.message), e.details.status));
      }
    }
    for (const [key, noteId] of found) results.set(key, { key, ok: true, noteId });
    const creating = valid.filter(({ item }) => !results.has(item.key));
    if (!creating.length) return items.map((i) => results.get(i.key)!);
    const records = creating.map(({ item, id }) => {
      const owner = id18(item.authorUser?.id);
      return {
        attributes: { type: 'Task' },
        WhoId: id,
        TaskSubtype: 'Call',
        CallType: 'Outbound',
        Subject: item.title.length <= TASK_SUBJECT_MAX ? item.title : `${item.title.slice(0, TASK_SUBJECT_MAX - item.key.length - 4)}… (${item.key})`,
        Description: taskDescription(item.body, item.key),
        CallDurationInSeconds: item.durationSec,
        CallDisposition: CALL_OUTCOME_TEXT[item.outcome],
        ActivityDate: dayOf(item.startedAt),
        Status: 'Completed',
        Priority: 'Normal',
        ...(owner?.startsWith('005') ? { OwnerId: owner } : {}),
      };
    });
    let data: unknown;
    let status: number;
    try {
      ({ status, data } = await call('POST', `${DATA_PATH}/composite/sobjects`, { body: { allOrNone: false, records } }));
    } catch (e) {
      // Nothing definite in this call: the whole-call handling fits (a timeout keeps the keys unsure).
      if (!(e instanceof CrmError) || results.size === 0) throw e;
      for (const { item } of creating) results.set(item.key, failure(item.key, e.kind === 'permanent', e.message, e.details.status));
      return items.map((i) => results.get(i.key)!);
    }
    const saved = saveResults(data);
    creating.forEach(({ item }, i) => {
      const r = saved[i];
      if (r?.success && r.id) results.set(item.key, { key: item.key, ok: true, noteId: r.id });
      else if (!r || r.success) results.set(item.key, failure(item.key, false, t.callNotConfirmed, status));
      else results.set(item.key, failure(item.key, !retryable(r), t.callRefused(describeErrors(r)), status));
    });
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

  /** This lead's tasks with our block (anyone's), oldest first, and its status now (the mapping's field). */
  async function readHistory(ref: LeadRef): Promise<LeadHistoryRead> {
    const lead = leadIdOf(ref);
    if ('problem' in lead) throw new CrmError('permanent', lead.problem, { code: 'NOT_A_LEAD' });
    return reads.readHistory(lead.id, mapping.statusField);
  }

  return {
    maxBatch: MAX_BATCH,
    get lastLimitInfo() {
      return http.lastLimitInfo;
    },
    push,
    readLead,
    testConnection,
    importNotes: reads.importNotes,
    whoAmI: () => whoAmI(http),
    readHistory,
    logCalls,
  };
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
  // No `waitAfter`: Salesforce's answers carry usage (Sforce-Limit-Info), not a wait, and its 403
  // REQUEST_LIMIT_EXCEEDED has no Retry-After (`./http.ts` pauses an hour). No `searchRateLimit`: the
  // module runs no SOSL searches, and SOQL queries count against the same allocation as every request.
  noteMaxChars: TASK_DESCRIPTION_MAX,
  hostPermissions: (apiBase) => [`${new URL(apiBase).origin}/*`, 'https://login.salesforce.com/*', 'https://test.salesforce.com/*'],
  create: (connection, deps) => createSalesforceApi(connection, deps),
  connectWith: 'oauth',
  signIn: (input, deps) => startSalesforceLogin({ ...input, redirectUri: deps.redirectUri, launchWebAuthFlow: deps.launchWebAuthFlow, fetch: deps.fetch }),
};

export default salesforceApi;
