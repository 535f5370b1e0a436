/**
 * Reading our notes back from HubSpot: the dashboard's import (every note with the structured block,
 * page by page, or only those changed since a date) and one record's history for the panel.
 *
 * - Search (`CONTAINS_TOKEN`, `GTE` on a datetime in epoch milliseconds, one sort, `after` paging, at most
 *   200 per page and 10,000 results per query: asking past that is a 400):
 *   https://developers.hubspot.com/docs/api-reference/search/guide
 * - Notes' `hs_lastmodifieddate`, `hs_timestamp` and `hs_note_body`:
 *   https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide
 *
 * The import sorts by `hs_lastmodifieddate`, so a later import with `since` reads only what was written
 * or changed after it. To get past search's 10,000 results, a query that would page beyond them starts
 * again from the last modification time it saw (the cursor carries it, with the ids already returned at
 * that exact time so they are not returned twice): each query stays under the cap however many notes
 * match. Search lags behind writes by a few seconds: `since` should leave a margin for that.
 *
 * The history of one record does not use search (a decision made a moment ago would be missing): the
 * record is read with its note associations (one request, which also gives the status), then those notes
 * by id, 100 a request, keeping ours (the ones with `NOTE_MARKER`).
 */
import { NOTE_MARKER } from '../../domain/note-format';
import { CrmError, type Connection, type ImportedNote, type LeadHistoryRead } from '../api';
import type { LeadRef } from '../../domain/lead-ref';
import { isRecord, list, text } from '../read';
import type { HubSpotCall } from './http';
import { messages as t } from './messages';
import { htmlToText } from './note-html';
import { isoOf } from './profile';
import { associatedIds, createRecordReads, hubspotObject, isObjectType, LEAD_STAGE_FIELD, nextAfter, type HubSpotObject } from './records';
import { CREATOR_PROPERTIES, type createUsers } from './users';

const IMPORT_PAGE_SIZE = 100;
/** HubSpot's search returns at most this many results per query. */
export const SEARCH_RESULT_CAP = 10_000;
/** The note properties both reads ask for. */
const NOTE_PROPERTIES = ['hs_note_body', 'hs_timestamp', 'hs_lastmodifieddate', ...CREATOR_PROPERTIES];

export interface HistoryOptions {
  /** Notes per `importNotes` page (default 100; search allows up to 200). */
  importPageSize?: number;
  /** Results one search query may return (HubSpot: 10,000); tests make it small. */
  searchResultCap?: number;
}

/**
 * Where an import is (the opaque cursor): `from` the modification time (epoch ms) the current query
 * starts at, `after` HubSpot's paging token within it, `seen` the results the query returned so far,
 * `skip` the ids already returned at exactly `from` by the query before.
 */
interface ImportCursor {
  from?: number;
  after?: string;
  seen: number;
  skip: string[];
}

const CURSOR_VERSION = 'hs2';

function encodeCursor(c: ImportCursor): string {
  return `${CURSOR_VERSION}:${JSON.stringify({ f: c.from, a: c.after, n: c.seen, s: c.skip })}`;
}

/** The cursor's state; a cursor from before modification-time paging (a bare offset) starts over. */
function decodeCursor(cursor: string, since: number | undefined): ImportCursor {
  if (/^\d+$/.test(cursor)) return { from: since, seen: 0, skip: [] };
  const bad = () => new CrmError('permanent', t.badCursor, { code: 'BAD_CURSOR' });
  if (!cursor.startsWith(`${CURSOR_VERSION}:`)) throw bad();
  let v: unknown;
  try {
    v = JSON.parse(cursor.slice(CURSOR_VERSION.length + 1));
  } catch {
    throw bad();
  }
  if (!isRecord(v)) throw bad();
  const { f, a, n, s } = v;
  const okFrom = f === undefined || (typeof f === 'number' && Number.isFinite(f));
  const okAfter = a === undefined || (typeof a === 'string' && a.length <= 200);
  const okSkip = Array.isArray(s) && s.length <= SEARCH_RESULT_CAP && s.every((id) => typeof id === 'string' && /^\d+$/.test(id));
  if (!okFrom || !okAfter || !Number.isInteger(n) || (n as number) < 0 || !okSkip) throw bad();
  return { from: f as number | undefined, after: a as string | undefined, seen: n as number, skip: s as string[] };
}

const modifiedMs = (n: HubSpotObject) => {
  const iso = isoOf(n.properties.hs_lastmodifieddate);
  return iso ? Date.parse(iso) : undefined;
};

export function createHistoryReads(call: HubSpotCall, connection: Connection, users: ReturnType<typeof createUsers>, options: HistoryOptions = {}) {
  const reads = createRecordReads(call);
  const pageSize = options.importPageSize ?? IMPORT_PAGE_SIZE;
  const cap = options.searchResultCap ?? SEARCH_RESULT_CAP;

  async function toImported(found: readonly HubSpotObject[], recordOf: (n: HubSpotObject) => string, withNames: boolean): Promise<ImportedNote[]> {
    const creators = await users.creators(found, withNames);
    return found.map((n) => {
      const createdBy = creators.get(n.id);
      return {
        noteId: n.id,
        recordId: recordOf(n),
        body: htmlToText(n.properties.hs_note_body ?? ''),
        at: isoOf(n.properties.hs_timestamp) ?? '',
        ...(createdBy ? { createdBy } : {}),
      };
    });
  }

  /** One page of notes with the marker, least recently modified first (see the header for paging). */
  async function importNotes(cursor: string | undefined, opts: { since?: string } = {}): Promise<{ notes: ImportedNote[]; cursor?: string }> {
    const since = opts.since === undefined ? undefined : Date.parse(opts.since);
    if (since !== undefined && Number.isNaN(since)) throw new CrmError('permanent', t.badSince(opts.since!), { code: 'BAD_SINCE' });
    const state: ImportCursor = cursor ? decodeCursor(cursor, since) : { from: since, seen: 0, skip: [] };
    const filters: Record<string, string>[] = [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: NOTE_MARKER }];
    if (state.from !== undefined) filters.push({ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(state.from) });
    const body = {
      filterGroups: [{ filters }],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: NOTE_PROPERTIES,
      limit: pageSize,
      ...(state.after ? { after: state.after } : {}),
    };
    const { data } = await call('POST', '/crm/v3/objects/notes/search', body, false);
    const results = list(isRecord(data) ? data.results : undefined).map(hubspotObject).filter((n): n is HubSpotObject => n !== undefined);
    const skip = new Set(state.skip);
    const found = results.filter((n) => !skip.has(n.id));
    const records = found.length ? await reads.recordsOf(found.map((n) => n.id)) : new Map<string, string>();
    // A note whose record association is gone keeps '' here; its block still names the record.
    const notes = await toImported(found, (n) => records.get(n.id) ?? '', false);

    const after = nextAfter(data);
    const seen = state.seen + results.length;
    if (!after) return { notes };
    if (seen + pageSize <= cap) return { notes, cursor: encodeCursor({ ...state, after, seen }) };
    // The next page would pass search's cap: start a new query at the last modification time seen.
    const last = results.at(-1);
    const lastMs = last ? modifiedMs(last) : undefined;
    if (lastMs === undefined) return { notes, cursor: encodeCursor({ ...state, after, seen }) };
    // A whole capped query at one millisecond cannot move on by time: step past it (not seen in practice).
    if (lastMs === state.from) return { notes, cursor: encodeCursor({ from: lastMs + 1, seen: 0, skip: [] }) };
    // Notes at that millisecond on earlier pages may come again (a duplicate, never a gap).
    const atLast = results.filter((n) => modifiedMs(n) === lastMs).map((n) => n.id);
    return { notes, cursor: encodeCursor({ from: lastMs, seen: 0, skip: atLast }) };
  }

  /** This record's notes with our block (anyone's), oldest first, and its status now. */
  async function readHistory(ref: LeadRef): Promise<LeadHistoryRead> {
    if (ref.account && connection.account && ref.account !== connection.account) {
      throw new CrmError('permanent', t.portalMismatch(ref.account, connection.account), { code: 'PORTAL_MISMATCH' });
    }
    if (!isObjectType(ref.objectType)) throw new CrmError('permanent', t.unsupportedObject(ref.objectType));
    const statusField = ref.objectType === 'lead' ? LEAD_STAGE_FIELD : connection.mapping.statusField;
    const record = await reads.getObject(ref.objectType, ref.recordId, [statusField], 'notes');
    const listed = associatedIds(record, 'notes');
    let ids = listed.ids;
    if (listed.more) {
      // More associations than one object read lists: the v4 association read pages through them all.
      const { notes, unread } = await reads.associatedNotes(ref.objectType, [ref.recordId]);
      if (unread.size) throw new CrmError('transient', t.historyIncomplete);
      ids = notes.get(ref.recordId) ?? [];
    }
    const { notes: read, unread } = await reads.readNotes([...new Set(ids)], NOTE_PROPERTIES);
    if (unread.size) throw new CrmError('transient', t.historyIncomplete);
    const ours = read
      .filter((n) => htmlToText(n.properties.hs_note_body ?? '').includes(NOTE_MARKER))
      .sort((a, b) => (Date.parse(isoOf(a.properties.hs_timestamp) ?? '') || 0) - (Date.parse(isoOf(b.properties.hs_timestamp) ?? '') || 0) || Number(a.id) - Number(b.id));
    const status = text(record.properties[statusField]);
    return { notes: await toImported(ours, () => ref.recordId, true), ...(status ? { status: status.slice(0, 100) } : {}) };
  }

  return { importNotes, readHistory };
}
