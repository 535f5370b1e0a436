/**
 * What the HubSpot module reads back: the objects it names (contacts, Leads 0-136, notes), the shapes of
 * HubSpot's answers it relies on, and the consistent reads (records and notes by id, v4 association
 * batch reads) that `./api.ts` and `./history.ts` share. Search is elsewhere: it lags behind writes.
 *
 * - Object read with `properties` and `associations` (unknown properties are ignored; associated ids
 *   come as `associations.{type}.results[{id, type}]` with `paging`): the contacts v3 spec in
 *   https://github.com/HubSpot/HubSpot-public-api-spec-collection (`PublicApiSpecs/CRM/Contacts/Rollouts/424/v3/contacts.json`)
 * - Association batch read (`to[].toObjectId`, `paging.next.after` per input):
 *   https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/batch/get-associations
 * - Notes batch read by id (`properties`, `propertiesWithHistory`; 207 naming ids that do not exist):
 *   the notes v3 spec in the same repository (`PublicApiSpecs/CRM/Notes/Rollouts/424/v3/notes.json`);
 *   calls the same way (`PublicApiSpecs/CRM/Calls/Rollouts/424/v3/calls.json`, `/crm/v3/objects/calls/batch/read`)
 */
import { CrmError } from '../api';
import { isRecord, list } from '../read';
import { errorBody, type HubSpotCall, type HubSpotErrorBody } from './http';
import { messages as t } from './messages';
import type { Props } from './profile';

/** HubSpot's batch endpoints take at most 100 inputs. */
export const MAX_BATCH = 100;
/** Pages of one record's note associations read before giving up (HubSpot pages them by 500). */
const MAX_ASSOCIATION_PAGES = 20;
/** HubSpot's answer for an association read input that has none (a 207 error, not an empty result). */
const NO_ASSOCIATIONS = 'crm.associations.NO_ASSOCIATIONS_FOUND';

/** HubSpot-defined association type ids, note → record. */
export const NOTE_TO_CONTACT = 202;
export const NOTE_TO_LEAD = 855;

/** Our object names (from `page.ts`) → the API's path segment and the note association. */
export const OBJECTS = {
  contact: { path: 'contacts', associationPath: 'contacts', noteTypeId: NOTE_TO_CONTACT },
  lead: { path: 'leads', associationPath: '0-136', noteTypeId: NOTE_TO_LEAD },
} as const;
export type ObjectType = keyof typeof OBJECTS;
/** The activity objects read back through a record's associations: our notes, and our logged calls (ADR 19). */
export type Activity = 'notes' | 'calls';
export const isObjectType = (t: string): t is ObjectType => Object.hasOwn(OBJECTS, t);

/**
 * The Leads object (0-136) tracks the decision as a stage of HubSpot's default lead pipeline rather than
 * `hs_lead_status`; recycling has no stage of its own, so it disqualifies (the note says "recycle").
 */
export const LEAD_STAGE_FIELD = 'hs_pipeline_stage';
export const LEAD_REASON_FIELD = 'hs_lead_disqualification_reason';
export const LEAD_STAGES = { accept: 'qualified-stage-id', reject: 'unqualified-stage-id', recycle: 'unqualified-stage-id' } as const;

// ---------------------------------------------------------------------------------------------------
// Response shapes (only what we read).

export interface HubSpotObject {
  id: string;
  properties: Props;
  associations?: Record<string, { results?: { id?: string | number }[]; paging?: unknown }>;
}
export interface BatchBody {
  results: HubSpotObject[];
  errors: HubSpotErrorBody[];
}

export function hubspotObject(v: unknown): HubSpotObject | undefined {
  if (!isRecord(v) || (typeof v.id !== 'string' && typeof v.id !== 'number')) return undefined;
  return { id: String(v.id), properties: isRecord(v.properties) ? (v.properties as Props) : {}, associations: isRecord(v.associations) ? (v.associations as HubSpotObject['associations']) : undefined };
}

export function batchBody(v: unknown): BatchBody {
  const body = isRecord(v) ? v : {};
  return {
    results: list(body.results).map(hubspotObject).filter((o): o is HubSpotObject => o !== undefined),
    errors: list(body.errors).map(errorBody),
  };
}

/** The strings an error's `context` holds under `key` (HubSpot uses arrays: `{ ids: ['1', '2'] }`). */
export function contextValues(e: HubSpotErrorBody, key: string): string[] {
  const v = e.context?.[key];
  return (Array.isArray(v) ? v : [v]).filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
}

/** `paging.next.after` of an answer (a page of results, or one input of an association read). */
export function nextAfter(data: unknown): string | undefined {
  const paging = isRecord(data) && isRecord(data.paging) ? data.paging : undefined;
  const next = paging && isRecord(paging.next) ? paging.next : undefined;
  return next && (typeof next.after === 'string' || typeof next.after === 'number') ? String(next.after) : undefined;
}

/** The ids an object read lists under `associations.{type}` (v3 shape), and whether more pages exist. */
export function associatedIds(object: HubSpotObject, type: string): { ids: string[]; more: boolean } {
  const group = object.associations?.[type];
  const ids = list(group?.results).flatMap((r) => (isRecord(r) && (typeof r.id === 'string' || typeof r.id === 'number') ? [String(r.id)] : []));
  return { ids, more: nextAfter(group) !== undefined };
}

export const chunk = <T>(xs: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

// ---------------------------------------------------------------------------------------------------
// Consistent reads.

export function createRecordReads(call: HubSpotCall) {
  /** One record with `properties` (and associated ids of `associations`); 404 → permanent "no longer exists". */
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

  /**
   * The note ids (or, with `activity` 'calls', the call ids) associated with each record (v4 association
   * batch read, paged per input). Records whose associations could not all be read are in `unread`; a
   * record HubSpot says has none maps to [].
   */
  async function associatedNotes(type: ObjectType, recordIds: readonly string[], activity: Activity = 'notes'): Promise<{ notes: Map<string, string[]>; unread: Set<string> }> {
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
        const { data } = await call('POST', `/crm/v4/associations/${OBJECTS[type].associationPath}/${activity}/batch/read`, { inputs }, false);
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

  /**
   * Notes (or, with `activity` 'calls', calls) by id (one batch read per 100), with `properties`. `gone`:
   * ids HubSpot says do not exist (archived since they were listed); any other id it did not answer for is
   * in `unread`.
   */
  async function readNotes(ids: readonly string[], properties: readonly string[], activity: Activity = 'notes'): Promise<{ notes: HubSpotObject[]; gone: Set<string>; unread: Set<string> }> {
    const notes: HubSpotObject[] = [];
    const gone = new Set<string>();
    const unread = new Set<string>();
    for (const batch of chunk(ids, MAX_BATCH)) {
      const { data } = await call('POST', `/crm/v3/objects/${activity}/batch/read`, { inputs: batch.map((id) => ({ id })), properties, propertiesWithHistory: [] }, false);
      const body = batchBody(data);
      notes.push(...body.results);
      for (const e of body.errors) if (e.category === 'OBJECT_NOT_FOUND') for (const id of contextValues(e, 'ids')) gone.add(id);
      const answered = new Set(body.results.map((n) => n.id));
      for (const id of batch) if (!answered.has(id) && !gone.has(id)) unread.add(id);
    }
    return { notes, gone, unread };
  }

  return { getObject, associatedNotes, recordsOf, readNotes };
}
