/**
 * Logged calls as HubSpot calls (ADR 19): `POST /crm/v3/objects/calls/batch/create`, each call associated
 * with the contact, and an earlier attempt looked for through the contact's call associations and a read
 * of those calls by id (never search, which lags behind writes: ADR 9). Contracts as HubSpot documents them:
 *
 * - Calls (`hs_timestamp` required, ISO or epoch ms; `hs_call_title`, `hs_call_body`, `hs_call_duration`
 *   in milliseconds, `hs_call_direction` INBOUND / OUTBOUND, `hs_call_status` e.g. COMPLETED,
 *   `hs_call_disposition` "the outcome of the call … you need to use the internal GUID value";
 *   `hubspot_owner_id`; associations on create, the call → contact example with type 194):
 *   https://developers.hubspot.com/docs/guides/api/crm/engagements/calls
 *   https://developers.hubspot.com/docs/api-reference/latest/crm/activities/calls/guide.md
 * - Batch create / read request bodies (the same shapes as notes; `objectWriteTraceId` per input, echoed
 *   on the created object): the calls v3 spec in https://github.com/HubSpot/HubSpot-public-api-spec-collection
 *   (`PublicApiSpecs/CRM/Calls/Rollouts/424/v3/calls.json`)
 * - Association batch read (`/crm/v4/associations/contacts/calls/batch/read`): see `./records.ts`.
 *
 * The default outcome GUIDs: the guide lists "the default HubSpot outcome labels and their internal
 * values"; the values below (Connected, Left voicemail, No answer, Wrong number) are the ones that list
 * gives as working integrations copy it (several independent ones agree). HubSpot has no default outcome
 * for a booked meeting: it is logged as Connected, and the title says "Meeting booked". A portal with
 * custom outcomes can find their GUIDs with HubSpot's call dispositions API (not used yet).
 *
 * Not found in HubSpot's docs as we could search them: a call → lead (0-136) association type. A call on a
 * lead record is logged on the lead's contact (HubSpot requires every lead to have one: the person called).
 */
import { CrmError, type CallWrite, type ItemResult } from '../api';
import type { CallOutcome } from '../../domain/calls';
import type { LeadRef } from '../../domain/lead-ref';
import { isRecord, list } from '../read';
import type { HubSpotCall, HubSpotErrorBody } from './http';
import { messages as t } from './messages';
import { noteHtml } from './note-html';
import { batchBody, chunk, contextValues, isObjectType, MAX_BATCH, type createRecordReads } from './records';

/** HubSpot-defined association type id, call → contact (the calls guide's example). */
export const CALL_TO_CONTACT = 194;

/** Our outcomes → HubSpot's default call outcome GUIDs (`hs_call_disposition`). */
export const CALL_DISPOSITIONS: Record<CallOutcome, string> = {
  connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  voicemail: 'b2cf5968-551e-4856-9783-52b3da59a7d0',
  no_answer: '73a0d17f-1163-4015-bdd5-ec830791da20',
  wrong_number: '17b47fee-58de-441e-a44c-c6300d46f273',
  // No default "meeting booked" outcome: the call connected (the title names the meeting).
  meeting_booked: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
};

/** Refusals of the input itself: sending it again cannot succeed. */
const REFUSED = new Set(['VALIDATION_ERROR', 'OBJECT_NOT_FOUND', 'MISSING_SCOPES']);

type Failure = Extract<ItemResult, { ok: false }>;
const failure = (key: string, permanent: boolean, message: string, status?: number, retryAfterMs?: number): Failure => ({
  key,
  ok: false,
  permanent,
  message,
  ...(status ? { status } : {}),
  ...(retryAfterMs ? { retryAfterMs } : {}),
});

type Reads = ReturnType<typeof createRecordReads>;

export function createCallLog(call: HubSpotCall, reads: Reads, portalMismatch: (ref: LeadRef) => string | undefined) {
  /** The contact each call goes on: the record itself, or a lead's associated contact. */
  async function contactsOf(items: readonly CallWrite[], results: Map<string, ItemResult>, errors: CrmError[]): Promise<Map<string, string>> {
    const contacts = new Map<string, string>();
    for (const item of items) {
      if (item.ref.objectType === 'contact') {
        contacts.set(item.key, item.ref.recordId);
        continue;
      }
      try {
        const lead = await reads.getObject('lead', item.ref.recordId, ['hs_lead_name'], 'contacts');
        const contactId = list(lead.associations?.contacts?.results)
          .map((r) => (isRecord(r) && (typeof r.id === 'string' || typeof r.id === 'number') ? String(r.id) : undefined))
          .find(Boolean);
        if (contactId) contacts.set(item.key, contactId);
        else results.set(item.key, failure(item.key, true, t.leadWithoutContact));
      } catch (e) {
        if (!(e instanceof CrmError)) throw e;
        errors.push(e);
        results.set(item.key, failure(item.key, e.kind === 'permanent', e.message, e.details.status, e.details.retryAfterMs));
      }
    }
    return contacts;
  }

  /**
   * Which unsure keys already have their call, through the consistent path: the contacts' call
   * associations, then those calls by id, the key looked for in the title and body. A key whose answer is
   * unknown is in `unknown`: its item must not create a call now.
   */
  async function findEarlierCalls(items: readonly CallWrite[], contacts: Map<string, string>, errors: CrmError[]) {
    const found = new Map<string, string>();
    const unknown = new Map<string, Failure>();
    if (!items.length) return { found, unknown };
    try {
      const { notes: byContact, unread } = await reads.associatedNotes('contact', [...new Set(items.map((i) => contacts.get(i.key)!))], 'calls');
      const wanted = items.filter((i) => !unread.has(contacts.get(i.key)!));
      for (const i of items) if (unread.has(contacts.get(i.key)!)) unknown.set(i.key, failure(i.key, false, t.earlierCallUnknown));
      const ids = [...new Set(wanted.flatMap((i) => byContact.get(contacts.get(i.key)!) ?? []))].sort((a, b) => Number(b) - Number(a));
      const texts = new Map<string, string>();
      const unreadCalls = new Set<string>();
      const holder = (i: CallWrite) => (byContact.get(contacts.get(i.key)!) ?? []).find((id) => texts.get(id)?.includes(i.key));
      for (const batch of chunk(ids, MAX_BATCH)) {
        if (wanted.every((i) => holder(i))) break;
        const read = await reads.readNotes(batch, ['hs_call_title', 'hs_call_body'], 'calls');
        for (const c of read.notes) texts.set(c.id, `${c.properties.hs_call_title ?? ''}\n${c.properties.hs_call_body ?? ''}`);
        for (const id of read.unread) unreadCalls.add(id);
      }
      for (const i of wanted) {
        const id = holder(i);
        if (id) found.set(i.key, id);
        else if ((byContact.get(contacts.get(i.key)!) ?? []).some((c) => unreadCalls.has(c))) unknown.set(i.key, failure(i.key, false, t.earlierCallUnknown));
      }
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      errors.push(e);
      // The read could not be made: whether the call exists is unknown, so nothing is created now.
      for (const i of items) if (!found.has(i.key)) unknown.set(i.key, failure(i.key, false, e.message, e.details.status, e.details.retryAfterMs));
    }
    return { found, unknown };
  }

  /** One batch create for every call still missing; results are matched to items by trace id or the key. */
  async function createCalls(items: readonly CallWrite[], contacts: Map<string, string>, results: Map<string, ItemResult>) {
    if (!items.length) return;
    const inputs = items.map((i) => ({
      properties: {
        hs_timestamp: i.startedAt,
        hs_call_title: i.title,
        hs_call_body: noteHtml(i.title, i.body),
        hs_call_duration: String(i.durationSec * 1000),
        hs_call_direction: 'OUTBOUND',
        hs_call_status: 'COMPLETED',
        hs_call_disposition: CALL_DISPOSITIONS[i.outcome],
        // The rep who logged it as the call's owner (HubSpot shows the owner on the timeline).
        ...(i.authorUser?.ownerId ? { hubspot_owner_id: i.authorUser.ownerId } : {}),
      },
      associations: [{ to: { id: contacts.get(i.key)! }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: CALL_TO_CONTACT }] }],
      // Unique per input, so HubSpot reports a refused input alone (a 207) instead of failing them all.
      objectWriteTraceId: i.key,
    }));
    const { status, data } = await call('POST', '/crm/v3/objects/calls/batch/create', { inputs }, true);
    const body = batchBody(data);
    const traces = new Map(list(isRecord(data) ? data.results : undefined).flatMap((r) => (isRecord(r) && typeof r.objectWriteTraceId === 'string' && (typeof r.id === 'string' || typeof r.id === 'number') ? [[r.objectWriteTraceId, String(r.id)] as const] : [])));
    const refused = new Map<string, HubSpotErrorBody>();
    for (const e of body.errors) for (const key of contextValues(e, 'objectWriteTraceId')) refused.set(key, e);
    for (const i of items) {
      const id = traces.get(i.key) ?? body.results.find((r) => (r.properties.hs_call_title ?? '').includes(i.key) || (r.properties.hs_call_body ?? '').includes(i.key))?.id;
      const no = refused.get(i.key);
      if (id) results.set(i.key, { key: i.key, ok: true, noteId: id });
      else if (no) results.set(i.key, failure(i.key, !no.category || REFUSED.has(no.category), no.message ?? t.callNotCreated, status));
      else results.set(i.key, failure(i.key, false, t.callNotConfirmed, status));
    }
  }

  /**
   * Each call once: per-item refusals first (another portal, an object we do not log on), then the
   * contact of each, the unsure keys' look-up, and one batch create for the calls still missing. Throws
   * only when nothing in the call is definite (the whole call failed: an expired token, an outage).
   */
  async function logCalls(items: readonly CallWrite[], unsure: ReadonlySet<string>): Promise<ItemResult[]> {
    const results = new Map<string, ItemResult>();
    const errors: CrmError[] = [];
    const valid: CallWrite[] = [];
    for (const item of items) {
      const mismatch = portalMismatch(item.ref);
      if (mismatch) results.set(item.key, failure(item.key, true, mismatch));
      else if (!isObjectType(item.ref.objectType)) results.set(item.key, failure(item.key, true, t.unsupportedObject(item.ref.objectType)));
      else valid.push(item);
    }
    const contacts = await contactsOf(valid, results, errors);
    const placed = valid.filter((i) => contacts.has(i.key));
    const lookup = await findEarlierCalls(placed.filter((i) => unsure.has(i.key)), contacts, errors);
    for (const [key, id] of lookup.found) results.set(key, { key, ok: true, noteId: id });
    for (const [key, f] of lookup.unknown) results.set(key, f);
    const missing = placed.filter((i) => !lookup.found.has(i.key) && !lookup.unknown.has(i.key));
    const failedWhole = new Set<string>();
    try {
      await createCalls(missing, contacts, results);
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      errors.push(e);
      for (const i of missing) {
        failedWhole.add(i.key);
        results.set(i.key, failure(i.key, e.kind === 'permanent', e.message, e.details.status, e.details.retryAfterMs));
      }
    }
    const definite = lookup.found.size > 0 || [...results].some(([key, r]) => r.ok || (r.permanent && !failedWhole.has(key)));
    if (!definite) {
      const auth = errors.find((e) => e.kind === 'auth');
      if (auth) throw auth;
      if (errors.length && lookup.unknown.size === 0) throw errors[0]!;
    }
    return items.map((i) => results.get(i.key) ?? failure(i.key, false, t.callNotConfirmed));
  }

  return { logCalls };
}
