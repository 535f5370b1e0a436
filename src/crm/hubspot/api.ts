/**
 * HubSpot's CRM API (v3 objects, v4 associations), spoken from the background service worker with a
 * private-app token or service key (`Authorization: Bearer …`). This module composes the HTTP dialect
 * (`./http.ts`), note bodies (`./note-html.ts`) and contact reading (`./profile.ts`) into the module the
 * sync loop uses. Contracts as HubSpot documents them:
 *
 * - Batch update (≤100 inputs; 200, or 207 with `errors[]` naming failed ids in `context.ids`):
 *   https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/contacts/batch/update-contacts.md
 *   https://developers.hubspot.com/changelog/simplifying-batch-update-response-codes-for-crm-v3-apis
 * - Notes (`hs_timestamp` required, associations on create; note→contact type 202; the body's size is
 *   in `./note-html.ts`): https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide
 *   https://developers.hubspot.com/docs/api-reference/2026-03/crm/activities/notes/batch/create-notes
 * - Search (`CONTAINS_TOKEN`, `sorts`, `after` paging; at most 5 filterGroups since Aug 2024):
 *   https://developers.hubspot.com/docs/api-reference/search/guide
 *   https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api
 * - Leads object 0-136 (`hs_pipeline_stage`, default lead pipeline stage ids):
 *   https://developers.hubspot.com/docs/api-reference/crm-leads-v3/guide
 * - Association batch read (`to[].toObjectId`, `paging.next.after` per input):
 *   https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/batch/get-associations
 * - Notes batch read by id (`properties`, `propertiesWithHistory`): the notes v3 spec in
 *   https://github.com/HubSpot/HubSpot-public-api-spec-collection (`PublicApiSpecs/CRM/Notes/Rollouts/424/v3/notes.json`)
 * - Account details (`portalId`): https://developers.hubspot.com/docs/api-reference/latest/account/account-information/get-account-details
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
import { NOTE_MARKER } from '../../domain/note-format';
import {
  CrmError,
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
import { clip, isRecord, list, text } from '../read';
import type { LeadRef } from '../../domain/lead-ref';
import { crmStrings as shared } from '../../i18n/crm';
import { createHubSpotHttp, errorBody, HUBSPOT_API_BASE, isSearch, NAME, rateLimitWait, type HubSpotErrorBody } from './http';
import { messages as t } from './messages';
import { htmlToText, noteHtml } from './note-html';
import { CONTACT_PROPERTIES, isoOf, profileOf, type Props } from './profile';

/** HubSpot's batch endpoints take at most 100 inputs. */
export const MAX_BATCH = 100;
const IMPORT_PAGE_SIZE = 100;
/** Pages of one record's note associations read before giving up (HubSpot pages them by 500). */
const MAX_ASSOCIATION_PAGES = 20;
/** HubSpot's answer for an association read input that has none (a 207 error, not an empty result). */
const NO_ASSOCIATIONS = 'crm.associations.NO_ASSOCIATIONS_FOUND';
/** Error categories that refuse the input itself: sending it again cannot succeed. */
const REFUSED = new Set(['VALIDATION_ERROR', 'OBJECT_NOT_FOUND', 'MISSING_SCOPES']);

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
// Response shapes (only what we read).

interface HubSpotObject {
  id: string;
  properties: Props;
  associations?: Record<string, { results?: { id?: string | number }[] }>;
}
interface BatchBody {
  results: HubSpotObject[];
  errors: HubSpotErrorBody[];
}

function hubspotObject(v: unknown): HubSpotObject | undefined {
  if (!isRecord(v) || (typeof v.id !== 'string' && typeof v.id !== 'number')) return undefined;
  return { id: String(v.id), properties: isRecord(v.properties) ? (v.properties as Props) : {}, associations: isRecord(v.associations) ? (v.associations as HubSpotObject['associations']) : undefined };
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
  const { call } = createHubSpotHttp(connection, deps, options.timeoutMs);
  const mapping = connection.mapping;

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
   * The note ids associated with each record (v4 association batch read, paged per input). Records
   * whose associations could not all be read are in `unread`; a record HubSpot says has none maps to [].
   */
  async function associatedNotes(type: ObjectType, recordIds: readonly string[]): Promise<{ notes: Map<string, string[]>; unread: Set<string> }> {
    const notes = new Map<string, string[]>();
    const unread = new Set<string>();
    let pending: { id: string; after?: string }[] = recordIds.map((id) => ({ id }));
    for (let page = 0; pending.length; page++) {
      if (page === MAX_ASSOCIATION_PAGES) {
        for (const p of pending) unread.add(p.id);
        break;
      }
      const next: { id: string; after?: string }[] = [];
      for (const inputs of chunk(pending, MAX_BATCH)) {
        const { data } = await call('POST', `/crm/v4/associations/${OBJECTS[type].associationPath}/notes/batch/read`, { inputs }, false);
        const body = isRecord(data) ? data : {};
        const answered = new Set<string>();
        for (const r of list(body.results)) {
          const from = isRecord(r) && isRecord(r.from) && (typeof r.from.id === 'string' || typeof r.from.id === 'number') ? String(r.from.id) : undefined;
          if (!from || !isRecord(r)) continue;
          answered.add(from);
          const ids = list(r.to).flatMap((to) => (isRecord(to) && (typeof to.toObjectId === 'number' || typeof to.toObjectId === 'string') ? [String(to.toObjectId)] : []));
          notes.set(from, [...(notes.get(from) ?? []), ...ids]);
          const after = nextAfter(r);
          if (after) next.push({ id: from, after });
        }
        for (const e of list(body.errors).map(errorBody)) {
          const named = [...contextValues(e, 'fromObjectId'), ...contextValues(e, 'ids')];
          for (const id of named.length ? named : inputs.map((i) => i.id)) {
            answered.add(id);
            if (e.subCategory === NO_ASSOCIATIONS && named.length) notes.set(id, notes.get(id) ?? []);
            else unread.add(id);
          }
        }
        // An input HubSpot said nothing about is not known to have no notes.
        for (const { id } of inputs) if (!answered.has(id)) unread.add(id);
      }
      pending = next.filter((p) => !unread.has(p.id));
    }
    return { notes, unread };
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
          const { data } = await call('POST', '/crm/v3/objects/notes/batch/read', { inputs: batch.map((id) => ({ id })), properties: ['hs_note_body'], propertiesWithHistory: [] }, false);
          const body = batchBody(data);
          for (const note of body.results) bodies.set(note.id, note.properties.hs_note_body ?? '');
          const gone = new Set(body.errors.filter((e) => e.category === 'OBJECT_NOT_FOUND').flatMap((e) => contextValues(e, 'ids')));
          // Archived since the association read: it holds nothing. Any other id not answered is unknown.
          for (const id of batch) if (!bodies.has(id) && !gone.has(id)) unreadNotes.add(id);
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
        properties: { hs_timestamp: item.note.at, hs_note_body: noteHtml(item.note.subject, item.note.body) },
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
