/**
 * HubSpot's CRM API (v3 objects, v4 associations), spoken from the background service worker with a
 * private-app token, service key or OAuth access token (`Authorization: Bearer …`). This module composes
 * the HTTP dialect (`./http.ts`), note bodies (`./note-html.ts`), contact reading (`./profile.ts`),
 * consistent reads of records, notes and associations (`./records.ts`), who the token and the notes'
 * creators are (`./users.ts`) and reading our notes back (`./history.ts`: the import and one record's
 * history) into the module the sync loop uses. Contracts as HubSpot documents them:
 *
 * - Batch update (≤100 inputs; 200, or 207 with `errors[]` naming failed ids in `context.ids`):
 *   https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/contacts/batch/update-contacts.md
 *   https://developers.hubspot.com/changelog/simplifying-batch-update-response-codes-for-crm-v3-apis
 * - Notes (`hs_timestamp` required, associations on create; note→contact type 202; the body's size is
 *   in `./note-html.ts`; `hubspot_owner_id` "determines the user listed as the note creator on the
 *   record timeline", so a decision's note is owned by its decider when the connection knows their owner
 *   id): https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide
 *   https://developers.hubspot.com/docs/api-reference/2026-03/crm/activities/notes/batch/create-notes
 * - Search (`CONTAINS_TOKEN`, `sorts`, `after` paging; at most 5 filterGroups since Aug 2024):
 *   https://developers.hubspot.com/docs/api-reference/search/guide
 *   https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api
 * - Leads object 0-136 (`hs_pipeline_stage`, default lead pipeline stage ids):
 *   https://developers.hubspot.com/docs/api-reference/crm-leads-v3/guide
 * - Association and notes batch reads: see `./records.ts`; token metadata and owners: `./users.ts`.
 * - Account details (`portalId`): https://developers.hubspot.com/docs/api-reference/latest/account/account-information/get-account-details
 * - Calls (logged calls, ADR 19): see `./calls.ts`.
 *
 * An earlier attempt's note is looked for through the record's note associations and a read of those
 * notes by id, never through search: search lags behind writes ("not found" there is not "not created"),
 * while a note is created with its association in one request and reads by id see it at once. When that
 * read fails, the item waits (a transient failure) rather than risking a second note. ADR 9 has the why.
 *
 * Not found in HubSpot's docs as we could search them, only in working integrations' code: the note→lead
 * association type 855, the lead property `hs_lead_disqualification_reason` (an enumeration whose
 * options each portal edits), and the association batch read's answer for an input with no associations
 * (a 207 error `OBJECT_NOT_FOUND` / `crm.associations.NO_ASSOCIATIONS_FOUND` naming `context.fromObjectId`,
 * not an empty result; an error without that sub-category leaves the record's notes unknown). Check both against a portal with the Leads object before relying on them
 * (`GET /crm/v4/associations/notes/0-136/labels`, `GET /crm/v3/properties/leads`).
 */
import {
  CrmError,
  type Connection,
  type CrmApi,
  type CrmApiDeps,
  type CrmApiModule,
  type ItemResult,
  type Mapping,
  type ReadLeadResult,
  type WriteBack,
} from '../api';
import { clip, isRecord, list, text } from '../read';
import type { LeadRef } from '../../domain/lead-ref';
import { crmStrings as shared } from '../../i18n/crm';
import { createHistoryReads, type HistoryOptions } from './history';
import { createHubSpotHttp, HUBSPOT_API_BASE, isSearch, NAME, rateLimitWait, type HubSpotErrorBody } from './http';
import { messages as t } from './messages';
import { noteHtml } from './note-html';
import { CONTACT_PROPERTIES, profileOf } from './profile';
import {
  batchBody,
  chunk,
  contextValues,
  createRecordReads,
  isObjectType,
  LEAD_REASON_FIELD,
  LEAD_STAGE_FIELD,
  LEAD_STAGES,
  MAX_BATCH,
  OBJECTS,
  type ObjectType,
} from './records';
import { createUsers } from './users';
import { createCallLog } from './calls';

export { LEAD_REASON_FIELD, LEAD_STAGE_FIELD, LEAD_STAGES, MAX_BATCH, NOTE_TO_CONTACT, NOTE_TO_LEAD } from './records';

/** Error categories that refuse the input itself: sending it again cannot succeed. */
const REFUSED = new Set(['VALIDATION_ERROR', 'OBJECT_NOT_FOUND', 'MISSING_SCOPES']);

// ---------------------------------------------------------------------------------------------------
// The API.

export interface HubSpotApiOptions extends HistoryOptions {
  /** Abort a request after this long (default 30 s); an aborted write may still have been applied. */
  timeoutMs?: number;
}

type Failure = Extract<ItemResult, { ok: false }>;
const failure = (key: string, permanent: boolean, message: string, status?: number): Failure => ({ key, ok: false, permanent, message, ...(status ? { status } : {}) });

export function createHubSpotApi(connection: Connection, deps: CrmApiDeps, options: HubSpotApiOptions = {}): CrmApi {
  const { call, token } = createHubSpotHttp(connection, deps, options.timeoutMs);
  const mapping = connection.mapping;
  const reads = createRecordReads(call);
  const { getObject, associatedNotes, readNotes } = reads;
  const users = createUsers(call, connection, token, deps.now);
  const history = createHistoryReads(call, connection, users, options);

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

  /**
   * Which unsure keys already have their note, read through the consistent path: each record's note
   * associations, then those notes by id (newest first, until every key is found), looking for the key
   * in the body. Search is not used: it lags behind writes. A key whose answer is unknown (a read failed
   * or HubSpot said nothing) is in `unknown` with the reason: its item must not create a note now.
   */
  async function findEarlierNotes(items: readonly WriteBack[]): Promise<{ found: Map<string, string>; unknown: Map<string, Failure>; errors: CrmError[] }> {
    const found = new Map<string, string>();
    const unknown = new Map<string, Failure>();
    const errors: CrmError[] = [];
    const byType = new Map<ObjectType, WriteBack[]>();
    for (const item of items) byType.set(item.ref.objectType as ObjectType, [...(byType.get(item.ref.objectType as ObjectType) ?? []), item]);

    for (const [type, group] of byType) {
      try {
        const { notes, unread } = await associatedNotes(type, [...new Set(group.map((i) => i.ref.recordId))]);
        for (const item of group) if (unread.has(item.ref.recordId)) unknown.set(item.key, failure(item.key, false, t.earlierNoteUnknown));
        const wanted = group.filter((i) => !unread.has(i.ref.recordId));
        const ids = [...new Set(wanted.flatMap((i) => notes.get(i.ref.recordId) ?? []))].sort((a, b) => Number(b) - Number(a) || (a < b ? 1 : -1));
        const bodies = new Map<string, string>();
        const unreadNotes = new Set<string>();
        const holder = (item: WriteBack) => (notes.get(item.ref.recordId) ?? []).find((id) => bodies.get(id)?.includes(item.key));
        for (const batch of chunk(ids, MAX_BATCH)) {
          if (wanted.every((i) => holder(i))) break;
          const read = await readNotes(batch, ['hs_note_body']);
          for (const note of read.notes) bodies.set(note.id, note.properties.hs_note_body ?? '');
          // Archived since the association read (`gone`): it holds nothing. Any other id not answered is unknown.
          for (const id of read.unread) unreadNotes.add(id);
        }
        for (const item of wanted) {
          const noteId = holder(item);
          if (noteId) found.set(item.key, noteId);
          else if ((notes.get(item.ref.recordId) ?? []).some((id) => unreadNotes.has(id))) unknown.set(item.key, failure(item.key, false, t.earlierNoteUnknown));
        }
      } catch (e) {
        if (!(e instanceof CrmError)) throw e;
        errors.push(e);
        // The read could not be made: whether the note exists is unknown, so nothing is created now.
        for (const item of group) {
          if (!found.has(item.key)) unknown.set(item.key, { ...failure(item.key, false, e.message, e.details.status), ...(e.details.retryAfterMs ? { retryAfterMs: e.details.retryAfterMs } : {}) });
        }
      }
    }
    return { found, unknown, errors };
  }

  /** One batch create for every note still missing; results are matched to items by the key in the body. */
  async function createNotes(items: WriteBack[], results: Map<string, ItemResult>): Promise<void> {
    if (items.length === 0) return;
    const inputs = items.map((item) => {
      const type = item.ref.objectType as ObjectType;
      return {
        properties: {
          hs_timestamp: item.note.at,
          hs_note_body: noteHtml(item.note.subject, item.note.body),
          // The decider as the note's owner: HubSpot lists the owner as the note's creator on the timeline.
          ...(item.note.authorUser?.ownerId ? { hubspot_owner_id: item.note.authorUser.ownerId } : {}),
        },
        associations: [{ to: { id: item.ref.recordId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: OBJECTS[type].noteTypeId }] }],
        // Unique per input, so HubSpot reports a refused input alone (a 207) instead of failing them all.
        objectWriteTraceId: item.key,
      };
    });
    const { status, data } = await call('POST', '/crm/v3/objects/notes/batch/create', { inputs }, true);
    const body = batchBody(data);
    const failedKeys = new Map<string, HubSpotErrorBody>();
    for (const e of body.errors) for (const key of contextValues(e, 'objectWriteTraceId')) failedKeys.set(key, e);
    for (const item of items) {
      const note = body.results.find((r) => (r.properties.hs_note_body ?? '').includes(item.key));
      const refused = failedKeys.get(item.key);
      if (note) results.set(item.key, { key: item.key, ok: true, noteId: note.id });
      // A refused input was not created; only a refusal of the input itself is worth stopping for.
      else if (refused) results.set(item.key, failure(item.key, !refused.category || REFUSED.has(refused.category), refused.message ?? t.noteNotCreated, status));
      else results.set(item.key, failure(item.key, false, t.noteNotConfirmed, status));
    }
  }

  /**
   * Status updates first (one batch per object type), then, for the items whose update HubSpot confirmed
   * (and note-only items), the unsure keys' lookup and one batch create for the notes still missing.
   *
   * A request that fails as a whole fails its own items. The call throws only when nothing in it is
   * definite (no update confirmed, no note found or created, no item refused by HubSpot): then the whole
   * call failed as before. Otherwise each item says what happened, and an item whose status update
   * landed in this call carries `statusApplied` so that the retry sends its note alone.
   */
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

    const statusApplied = new Set<string>();
    /** Keys whose result is a whole request's failure (not an answer about the item). */
    const failedWhole = new Set<string>();
    const errors: CrmError[] = [];
    const requestFailed = (e: unknown, group: readonly WriteBack[]) => {
      if (!(e instanceof CrmError)) throw e;
      errors.push(e);
      for (const i of group) {
        failedWhole.add(i.key);
        results.set(i.key, { ...failure(i.key, e.kind === 'permanent', e.message, e.details.status), ...(e.details.retryAfterMs ? { retryAfterMs: e.details.retryAfterMs } : {}) });
      }
    };

    const ready: WriteBack[] = [];
    for (const [type, group] of byType) {
      // A note-only write-back (a manager's review, or a retry after the status landed) leaves the record alone.
      ready.push(...group.filter((i) => i.status === undefined));
      const updates = group.filter((i) => i.status !== undefined);
      if (!updates.length) continue;
      try {
        const applied = await updateStatuses(type, updates, results);
        for (const i of applied) statusApplied.add(i.key);
        ready.push(...applied);
      } catch (e) {
        requestFailed(e, updates);
      }
    }

    const lookup = await findEarlierNotes(ready.filter((i) => unsure.has(i.key)));
    for (const [key, noteId] of lookup.found) results.set(key, { key, ok: true, noteId });
    for (const [key, f] of lookup.unknown) results.set(key, f);
    const missing = ready.filter((i) => !lookup.found.has(i.key) && !lookup.unknown.has(i.key));
    try {
      await createNotes(missing, results);
    } catch (e) {
      requestFailed(e, missing);
    }

    const definite = statusApplied.size > 0 || lookup.found.size > 0 || items.some((i) => results.has(i.key) && !failedWhole.has(i.key) && !lookup.unknown.has(i.key));
    if (!definite) {
      // Nothing landed: the call failed as a whole. An expired token says so whatever else happened; a
      // failed write does unless a lookup left some item's note unknown (its item must stay unsure).
      const auth = [...lookup.errors, ...errors].find((e) => e.kind === 'auth');
      if (auth) throw auth;
      if (errors.length && lookup.unknown.size === 0) throw errors[0]!;
    }
    return items.map((i) => {
      const r = results.get(i.key)!;
      return !r.ok && statusApplied.has(i.key) ? { ...r, statusApplied: true } : r;
    });
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

  return {
    maxBatch: MAX_BATCH,
    push,
    readLead,
    testConnection,
    importNotes: history.importNotes,
    whoAmI: users.whoAmI,
    readHistory: history.readHistory,
    // Logged calls as HubSpot calls on the contact (ADR 19): `./calls.ts`.
    logCalls: createCallLog(call, reads, portalMismatch).logCalls,
  };
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
  // Search is not counted in the 10-second window; it has its own limit of four per second per token.
  searchRateLimit: { requests: 4, perMs: 1_000, isSearch },
  // HubSpot rarely sends Retry-After on a 429; its window's length is then the wait.
  waitAfter: rateLimitWait,
  // `hs_note_body` holds 65,536 characters of HTML, and escaping (quotes in the JSON block above all)
  // can double the text; half leaves room, and `noteHtml` shortens whatever still does not fit.
  noteMaxChars: 32_000,
  hostPermissions: (apiBase) => [`${new URL(apiBase).origin}/*`],
  create: (connection, deps) => createHubSpotApi(connection, deps),
  connectWith: 'token',
  defaultApiBase: HUBSPOT_API_BASE,
};

export default hubspotApi;
