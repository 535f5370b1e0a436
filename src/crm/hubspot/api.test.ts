import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotStandIn, type HubSpotStandIn, type HubSpotStandInOptions } from '../../../test/stand-ins/hubspot';
import { leadProfileSchema } from '../../domain/lead';
import { NOTE_MARKER, parseDispositionNote } from '../../domain/note-format';
import { type Connection, type CrmApi, type Mapping, type WriteBack } from '../api';
import hubspotApi, { createHubSpotApi, type HubSpotApiOptions } from './api';
import { htmlToText, NOTE_BODY_MAX, noteHtml } from './note-html';
import { OWNERS_TTL_MS } from './users';
import { crmError } from '../../../test/support/crm-error';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** The stand-in's clock (search lag, rate limits); tests move it. */
let clock = NOW;

let hs: HubSpotStandIn;
let requests: string[];

/** The real module, talking to the stand-in through a counting fetch. */
function apiFor(overrides: { mapping?: Partial<Mapping>; account?: string; token?: string; oauth?: boolean; now?: () => number } = {}, options: HubSpotApiOptions = {}): CrmApi {
  const token = overrides.token ?? hs.token;
  const connection: Connection = {
    crm: 'hubspot',
    apiBase: hs.url,
    account: overrides.account ?? String(hs.portalId),
    label: `HubSpot portal ${hs.portalId}`,
    credentials: overrides.oauth ? { kind: 'oauth', accessToken: token, tokenUrl: 'https://api.hubapi.com/oauth/v1/token', clientId: 'client' } : { kind: 'token', token },
    mapping: { ...hubspotApi.defaultMapping, ...overrides.mapping },
    connectedAt: new Date(NOW).toISOString(),
    state: 'connected',
  };
  const counting: typeof fetch = (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return globalThis.fetch(input, init);
  };
  return createHubSpotApi(connection, { fetch: counting, now: overrides.now ?? (() => NOW) }, options);
}

async function restart(opts: HubSpotStandInOptions) {
  await hs.close();
  hs = await startHubSpotStandIn({ now: () => clock, ...opts });
}

beforeEach(async () => {
  clock = NOW;
  hs = await startHubSpotStandIn({ now: () => clock });
  requests = [];
});
afterEach(() => hs.close());

const keyOf = (i: number) => `lq${(0x5f3a0000 + i).toString(16).padStart(16, '0')}`;

/** A structured block as `src/domain/note-format.ts` writes it, valid for `parseDispositionNote`. */
function block(key: string, recordId: string, note = 'Budget confirmed & signed off by the "CFO" <finance>.') {
  const json = JSON.stringify({
    v: 1, key, dispositionId: `d-${key}`, rev: 1, hash: key.slice(2), prevHash: null, crm: 'hubspot', recordId, outcome: 'accept',
    note, score: 72, fit: 40, engagement: 32, recommendation: 'sql', frameworkId: 'bant', criteria: [], author: { id: 'u1', name: 'Rep' }, at: '2026-11-20T11:58:00Z',
  });
  return `--- ${NOTE_MARKER} v1 (machine-readable: do not edit) ---\n${json}\n--- end ${NOTE_MARKER} ---`;
}

function writeBack(recordId: string, i: number, over: Partial<Omit<WriteBack, 'note'>> & { objectType?: string; note?: string } = {}): WriteBack {
  const key = keyOf(i);
  const { objectType = 'contact', note, ...rest } = over;
  return {
    key,
    ref: { crm: 'hubspot', recordId, objectType, url: `https://app.hubspot.com/contacts/${hs.portalId}/record/0-1/${recordId}`, host: 'app.hubspot.com', account: String(hs.portalId) },
    status: 'OPEN_DEAL',
    note: {
      subject: `Lead qualification: Accepted as SQL (${key})`,
      body: `Lead qualification: Accepted as SQL\nNext step: Demo on 2026-11-24\nNote: ${note ?? 'Budget confirmed & signed off by the "CFO" <finance>.'}\n\n${block(key, recordId, note)}`,
      at: '2026-11-20T11:58:00Z',
      author: 'Rep',
    },
    ...rest,
  };
}


describe('HubSpot module', () => {
  it('describes itself: id, label, mapping defaults, rate limits, host permission', () => {
    expect(hubspotApi).toMatchObject({ id: 'hubspot', label: 'HubSpot', connectWith: 'token', defaultApiBase: 'https://api.hubapi.com', rateLimit: { requests: 100, perMs: 10_000 } });
    expect(hubspotApi.searchRateLimit).toMatchObject({ requests: 4, perMs: 1_000 });
    expect(hubspotApi.defaultMapping).toEqual({ statusField: 'hs_lead_status', status: { accept: 'OPEN_DEAL', reject: 'UNQUALIFIED', recycle: 'BAD_TIMING' }, reasonField: '', reasons: {} });
    expect(hubspotApi.hostPermissions('https://api.hubapi.com/')).toEqual(['https://api.hubapi.com/*']);
    expect(hubspotApi.create({ crm: 'hubspot', apiBase: hs.url, label: '', credentials: { kind: 'token', token: 't' }, mapping: hubspotApi.defaultMapping, connectedAt: '', state: 'connected' }, { fetch, now: Date.now }).maxBatch).toBe(100);
  });

  it('counts search requests apart (HubSpot limits them per second, outside the 10-second window)', () => {
    const isSearch = hubspotApi.searchRateLimit!.isSearch;
    expect(isSearch(new URL('https://api.hubapi.com/crm/v3/objects/notes/search'), 'POST')).toBe(true);
    expect(isSearch(new URL('https://api.hubapi.com/crm/v3/objects/contacts/search'), 'post')).toBe(true);
    expect(isSearch(new URL('https://api.hubapi.com/crm/v3/objects/notes/batch/read'), 'POST')).toBe(false);
    expect(isSearch(new URL('https://api.hubapi.com/crm/v4/associations/contacts/notes/batch/read'), 'POST')).toBe(false);
    expect(isSearch(new URL('https://api.hubapi.com/crm/v3/objects/notes/search'), 'GET')).toBe(false);
  });

  it('waitAfter: on a 429 without Retry-After, HubSpot’s window length; otherwise nothing beyond Retry-After', () => {
    const answer = (status: number, headers: Record<string, string>) => new Response(null, { status, headers });
    const interval = { 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-remaining': '0' };
    expect(hubspotApi.waitAfter!(answer(429, interval), NOW)).toBe(10_000);
    expect(hubspotApi.waitAfter!(answer(429, { ...interval, 'retry-after': '3' }), NOW)).toBeUndefined();
    expect(hubspotApi.waitAfter!(answer(429, { ...interval, 'retry-after': 'soon' }), NOW)).toBe(10_000);
    expect(hubspotApi.waitAfter!(answer(429, {}), NOW)).toBeUndefined();
    expect(hubspotApi.waitAfter!(answer(200, interval), NOW)).toBeUndefined();
  });
});

describe('push: batching', () => {
  it('refuses more than 100 write-backs without calling HubSpot', async () => {
    const id = hs.addContact();
    const items = Array.from({ length: 150 }, (_, i) => writeBack(id, i));
    const e = await crmError(apiFor().push(items, new Set()));
    expect(e.kind).toBe('permanent');
    expect(e.details.code).toBe('BATCH_TOO_LARGE');
    expect(requests).toEqual([]);
  });

  it('delivers 100 write-backs with exactly one batch update and one batch create', async () => {
    const ids = Array.from({ length: 100 }, () => hs.addContact({ hs_lead_status: 'NEW' }));
    const statuses = ['OPEN_DEAL', 'UNQUALIFIED', 'BAD_TIMING'];
    const items = ids.map((id, i) => writeBack(id, i, { status: statuses[i % 3]! }));
    const results = await apiFor().push(items, new Set());

    expect(requests).toEqual(['POST /crm/v3/objects/contacts/batch/update', 'POST /crm/v3/objects/notes/batch/create']);
    expect(results).toHaveLength(100);
    expect(results.every((r) => r.ok)).toBe(true);
    ids.forEach((id, i) => expect(hs.contacts.get(id)?.hs_lead_status).toBe(statuses[i % 3]));
    expect(hs.notes).toHaveLength(100);
    // Each item gets its own note's id, though HubSpot's results come in another order.
    for (const [i, r] of results.entries()) {
      const note = hs.notes.find((n) => r.ok && n.id === r.noteId)!;
      expect(note.body).toContain(items[i]!.key);
      expect(note.associations).toEqual([{ objectType: 'contacts', id: ids[i], typeId: 202 }]);
      expect(note.timestamp).toBe('2026-11-20T11:58:00.000Z');
    }
  });

  it('writes the note as HTML: the subject (with the key) first, text escaped, the block intact', async () => {
    const id = hs.addContact();
    const item = writeBack(id, 1);
    await apiFor().push([item], new Set());
    const html = hs.notes[0]!.body;
    expect(html.startsWith(`<p>Lead qualification: Accepted as SQL (${item.key})</p><p>Next step: Demo on 2026-11-24</p>`)).toBe(true);
    expect(html).toContain('&amp; signed off by the &quot;CFO&quot; &lt;finance&gt;.');
    expect(html).not.toMatch(/<(?!\/?p>)/);
    const text = htmlToText(html);
    expect(text).toBe(item.note.body.replace('Lead qualification: Accepted as SQL\n', `${item.note.subject}\n`));
    expect(parseDispositionNote(text)).toMatchObject({ ok: true, block: { key: item.key, note: 'Budget confirmed & signed off by the "CFO" <finance>.' } });
  });

  it('a note-only write-back (a manager’s review) adds the note and leaves the contact alone', async () => {
    const id = hs.addContact({ hs_lead_status: 'UNQUALIFIED' });
    const results = await apiFor().push([{ ...writeBack(id, 1), status: undefined }], new Set());
    expect(results).toMatchObject([{ ok: true }]);
    expect(requests).toEqual(['POST /crm/v3/objects/notes/batch/create']);
    expect(hs.contacts.get(id)?.hs_lead_status).toBe('UNQUALIFIED');
    expect(hs.notes).toHaveLength(1);
  });

  it('sends one input per record: two decisions on one contact in a batch → the later status, two notes', async () => {
    const id = hs.addContact();
    const results = await apiFor().push([writeBack(id, 1, { status: 'BAD_TIMING' }), writeBack(id, 2, { status: 'OPEN_DEAL' })], new Set());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(hs.contacts.get(id)?.hs_lead_status).toBe('OPEN_DEAL');
    expect(hs.notes).toHaveLength(2);
  });
});

describe('push: mapping', () => {
  it('sets the reason field when the mapping has one: a value sets it, "" clears it, undefined leaves it', async () => {
    await restart({ contactProperties: ['lq_reason'] });
    const [a, b, c] = [hs.addContact({ lq_reason: 'old' }), hs.addContact({ lq_reason: 'old' }), hs.addContact({ lq_reason: 'old' })];
    const api = apiFor({ mapping: { reasonField: 'lq_reason' } });
    await api.push([writeBack(a!, 1, { status: 'UNQUALIFIED', reason: 'No budget' }), writeBack(b!, 2, { status: 'UNQUALIFIED', reason: '' }), writeBack(c!, 3, { status: 'BAD_TIMING' })], new Set());
    expect([a, b, c].map((id) => hs.contacts.get(id!)?.lq_reason)).toEqual(['No budget', null, 'old']);
  });

  it('moves Leads-object records (0-136) through the lead pipeline, with the disqualification reason', async () => {
    const contact = hs.addContact();
    const [accepted, rejected, recycled] = [hs.addLead({}, contact), hs.addLead({}, contact), hs.addLead({}, contact)];
    const results = await apiFor().push(
      [
        writeBack(accepted!, 1, { objectType: 'lead', status: 'OPEN_DEAL' }),
        writeBack(rejected!, 2, { objectType: 'lead', status: 'UNQUALIFIED', reason: 'Not a good fit' }),
        writeBack(recycled!, 3, { objectType: 'lead', status: 'BAD_TIMING' }),
        writeBack(contact, 4),
      ],
      new Set(),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(requests).toEqual(['POST /crm/v3/objects/leads/batch/update', 'POST /crm/v3/objects/contacts/batch/update', 'POST /crm/v3/objects/notes/batch/create']);
    expect(hs.leads.get(accepted!)?.hs_pipeline_stage).toBe('qualified-stage-id');
    expect(hs.leads.get(rejected!)).toMatchObject({ hs_pipeline_stage: 'unqualified-stage-id', hs_lead_disqualification_reason: 'Not a good fit' });
    expect(hs.leads.get(recycled!)?.hs_pipeline_stage).toBe('unqualified-stage-id');
    expect(hs.notes.filter((n) => n.associations[0]?.typeId === 855).map((n) => n.associations[0]!.id).sort()).toEqual([accepted, rejected, recycled].sort());
  });

  it('a value HubSpot refuses fails the whole call as permanent, in HubSpot’s words', async () => {
    const id = hs.addContact();
    const e = await crmError(apiFor({ mapping: { status: { accept: 'QUALIFIED', reject: 'UNQUALIFIED', recycle: 'BAD_TIMING' } } }).push([writeBack(id, 1, { status: 'QUALIFIED' })], new Set()));
    expect(e).toMatchObject({ kind: 'permanent', details: { status: 400, code: 'VALIDATION_ERROR' } });
    expect(e.message).toMatch(/QUALIFIED was not one of the allowed options/);
    expect(hs.notes).toHaveLength(0);
  });
});

describe('push: per-item outcomes and idempotency', () => {
  it('a deleted contact fails alone, permanently, in HubSpot’s words, and gets no note', async () => {
    const [alive, gone] = [hs.addContact(), hs.addContact()];
    hs.deleteContact(gone!);
    const results = await apiFor().push([writeBack(alive!, 1), writeBack(gone!, 2)], new Set());
    expect(results[0]).toMatchObject({ key: keyOf(1), ok: true });
    expect(results[1]).toMatchObject({ key: keyOf(2), ok: false, permanent: true, status: 207, message: expect.stringMatching(/Could not get some CONTACT objects/) });
    expect(hs.notes.map((n) => n.associations[0]!.id)).toEqual([alive]);
  });

  it('unsure keys: a note already holding the key is reported, never created twice', async () => {
    const [a, b] = [hs.addContact(), hs.addContact()];
    const earlier = writeBack(a!, 1);
    const existing = hs.addNote({ body: noteHtml(earlier.note.subject, earlier.note.body), timestamp: earlier.note.at, contactId: a });
    const results = await apiFor().push([earlier, writeBack(b!, 2)], new Set([keyOf(1), keyOf(2)]));
    expect(results).toEqual([
      { key: keyOf(1), ok: true, noteId: existing },
      { key: keyOf(2), ok: true, noteId: expect.any(String) },
    ]);
    // Through the records' note associations and a read of those notes, never search.
    expect(requests).toEqual(['POST /crm/v3/objects/contacts/batch/update', 'POST /crm/v4/associations/contacts/notes/batch/read', 'POST /crm/v3/objects/notes/batch/read', 'POST /crm/v3/objects/notes/batch/create']);
    expect(hs.notes.filter((n) => n.body.includes(keyOf(1)))).toHaveLength(1);
  });

  it('looks unsure keys up with one association read per 100 records and one note read per 100 notes, newest first', async () => {
    const ids = Array.from({ length: 3 }, () => hs.addContact());
    // A busy record: 250 notes by reps, older than the module's.
    for (let n = 0; n < 250; n++) hs.addNote({ body: `<p>Call ${n}</p>`, timestamp: '2026-10-01T00:00:00Z', contactId: ids[0] });
    const items = Array.from({ length: 12 }, (_, i) => writeBack(ids[i % 3]!, i));
    hs.inject({ match: { path: /notes\/batch\/create$/ }, fault: { kind: 'applyThenDrop' } });
    await apiFor().push(items, new Set());
    requests = [];
    const retry = await apiFor().push(items.map((i) => ({ ...i, status: undefined })), new Set(items.map((i) => i.key)));
    expect(retry.every((r) => r.ok)).toBe(true);
    // The 12 notes are the newest: the first 100 ids read hold them all.
    expect(requests).toEqual(['POST /crm/v4/associations/contacts/notes/batch/read', 'POST /crm/v3/objects/notes/batch/read']);
    expect(hs.notes).toHaveLength(262);
  });

  it('reads every page of a record’s note associations', async () => {
    await restart({ associationPageSize: 2 });
    const id = hs.addContact();
    const item = writeBack(id, 1);
    const existing = hs.addNote({ body: noteHtml(item.note.subject, item.note.body), timestamp: item.note.at, contactId: id });
    for (let n = 0; n < 4; n++) hs.addNote({ body: `<p>Call ${n}</p>`, timestamp: '2026-10-01T00:00:00Z', contactId: id });
    const results = await apiFor().push([{ ...item, status: undefined }], new Set([item.key]));
    expect(results).toEqual([{ key: item.key, ok: true, noteId: existing }]);
    expect(requests.filter((r) => r.includes('/associations/'))).toHaveLength(3);
    expect(hs.notes).toHaveLength(5);
  });

  it('the issue-15 case: the note was created, the answer lost, and search does not see it yet; the retry finds it and creates nothing', async () => {
    const id = hs.addContact({ hs_lead_status: 'NEW' });
    const item = writeBack(id, 1);
    hs.inject({ match: { path: /notes\/batch\/create$/ }, fault: { kind: 'applyThenDrop' } });
    const first = await apiFor().push([item], new Set());
    // The status update was confirmed; the note's answer never came: look for it next time.
    expect(first).toEqual([{ key: item.key, ok: false, permanent: false, message: expect.stringMatching(/HubSpot/), statusApplied: true }]);
    expect(hs.notes).toHaveLength(1);

    // 1.6 s later (the restarted worker): HubSpot's search does not know the note yet.
    clock += 1_600;
    const search = await fetch(`${hs.url}/crm/v3/objects/notes/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hs.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: item.key }] }] }),
    });
    expect(((await search.json()) as { total: number }).total).toBe(0);

    requests = [];
    const retry = await apiFor().push([{ ...item, status: undefined }], new Set([item.key]));
    expect(retry).toEqual([{ key: item.key, ok: true, noteId: hs.notes[0]!.id }]);
    expect(requests).toEqual(['POST /crm/v4/associations/contacts/notes/batch/read', 'POST /crm/v3/objects/notes/batch/read']);
    expect(hs.notes).toHaveLength(1);
  });

  it('an unsure key on a record without notes (HubSpot: NO_ASSOCIATIONS_FOUND) is created', async () => {
    const id = hs.addContact();
    const results = await apiFor().push([{ ...writeBack(id, 1), status: undefined }], new Set([keyOf(1)]));
    expect(results).toEqual([{ key: keyOf(1), ok: true, noteId: expect.any(String) }]);
    expect(requests).toEqual(['POST /crm/v4/associations/contacts/notes/batch/read', 'POST /crm/v3/objects/notes/batch/create']);
  });

  it('when the association read fails, nothing is created: the unsure items fail transiently, the others go ahead', async () => {
    const [a, b] = [hs.addContact(), hs.addContact()];
    hs.inject({ match: { path: /\/associations\/contacts\/notes\/batch\/read$/ }, fault: { kind: 'status', status: 502 } });
    const results = await apiFor().push([writeBack(a!, 1), { ...writeBack(b!, 2), status: undefined }, writeBack(b!, 3)], new Set([keyOf(1), keyOf(2)]));
    expect(results).toEqual([
      { key: keyOf(1), ok: false, permanent: false, status: 502, message: 'internal error', statusApplied: true },
      { key: keyOf(2), ok: false, permanent: false, status: 502, message: 'internal error' },
      { key: keyOf(3), ok: true, noteId: expect.any(String) },
    ]);
    expect(hs.notes.map((n) => n.body.includes(keyOf(3)))).toEqual([true]);
  });

  it('when the association read fails for note-only items, the call does not throw: they wait, unsure', async () => {
    const id = hs.addContact();
    hs.inject({ match: { path: /\/associations\//, method: 'POST' }, fault: { kind: 'drop' } });
    const results = await apiFor().push([{ ...writeBack(id, 1), status: undefined }], new Set([keyOf(1)]));
    expect(results).toEqual([{ key: keyOf(1), ok: false, permanent: false, message: expect.stringMatching(/HubSpot/) }]);
    expect(hs.notes).toHaveLength(0);
  });

  it('a note read that HubSpot does not answer for an id leaves the key unknown: no create', async () => {
    const id = hs.addContact();
    hs.addNote({ body: '<p>A rep’s note</p>', timestamp: '2026-10-01T00:00:00Z', contactId: id });
    hs.inject({ match: { path: /notes\/batch\/read$/ }, fault: { kind: 'status', status: 207, body: { status: 'COMPLETE', results: [], startedAt: '', completedAt: '' } } });
    const results = await apiFor().push([{ ...writeBack(id, 1), status: undefined }], new Set([keyOf(1)]));
    expect(results).toEqual([{ key: keyOf(1), ok: false, permanent: false, message: expect.stringMatching(/checked again/) }]);
    expect(hs.notes).toHaveLength(1);
  });

  it('a dropped connection after the notes were created, then a retry with the keys unsure: no duplicates', async () => {
    const ids = Array.from({ length: 7 }, () => hs.addContact());
    const items = ids.map((id, i) => writeBack(id, i));
    hs.inject({ match: { path: /notes\/batch\/create$/ }, fault: { kind: 'applyThenDrop' } });
    const first = await apiFor().push(items, new Set());
    expect(first.every((r) => !r.ok && !r.permanent && r.statusApplied)).toBe(true);
    expect(hs.notes).toHaveLength(7);

    const retry = await apiFor().push(items, new Set(items.map((i) => i.key)));
    expect(retry.every((r) => r.ok)).toBe(true);
    expect(hs.notes).toHaveLength(7);
    expect(new Set(retry.map((r) => r.ok && r.noteId))).toEqual(new Set(hs.notes.map((n) => n.id)));
  });

  it('statusApplied: the status update landed but the note request failed as a whole → per item, not thrown', async () => {
    const [a, b] = [hs.addContact({ hs_lead_status: 'NEW' }), hs.addContact({ hs_lead_status: 'NEW' })];
    hs.deleteContact(b!);
    hs.inject({ match: { path: /notes\/batch\/create$/ }, fault: { kind: 'status', status: 503 } });
    const results = await apiFor().push([writeBack(a!, 1), writeBack(b!, 2)], new Set());
    expect(results).toEqual([
      { key: keyOf(1), ok: false, permanent: false, status: 503, message: 'internal error', statusApplied: true },
      // Its update was refused: nothing landed, so no statusApplied.
      { key: keyOf(2), ok: false, permanent: true, status: 207, message: expect.stringMatching(/Could not get some CONTACT objects/) },
    ]);
    expect(hs.contacts.get(a!)?.hs_lead_status).toBe('OPEN_DEAL');
  });

  it('statusApplied: a 207 refusing one note (by its objectWriteTraceId) fails that item alone; a transient category stays retryable', async () => {
    await restart({
      noteError: (i) => (i.objectWriteTraceId === keyOf(2) ? { category: 'VALIDATION_ERROR', message: 'Refused.' } : i.objectWriteTraceId === keyOf(3) ? { category: 'INTERNAL_ERROR', message: 'Try later.' } : undefined),
    });
    const ids = [hs.addContact(), hs.addContact(), hs.addContact()];
    const results = await apiFor().push(ids.map((id, i) => writeBack(id, i + 1)), new Set());
    expect(results).toEqual([
      { key: keyOf(1), ok: true, noteId: expect.any(String) },
      { key: keyOf(2), ok: false, permanent: true, status: 207, message: 'Refused.', statusApplied: true },
      { key: keyOf(3), ok: false, permanent: false, status: 207, message: 'Try later.', statusApplied: true },
    ]);
    expect(hs.notes).toHaveLength(1);
  });

  it('statusApplied: one object type’s update fails while the other lands; the landed ones still get their notes', async () => {
    const contact = hs.addContact();
    const lead = hs.addLead({}, contact);
    hs.inject({ match: { path: /leads\/batch\/update$/ }, fault: { kind: 'status', status: 500 } });
    const results = await apiFor().push([writeBack(lead, 1, { objectType: 'lead' }), writeBack(contact, 2)], new Set());
    expect(results).toEqual([
      { key: keyOf(1), ok: false, permanent: false, status: 500, message: 'internal error' },
      { key: keyOf(2), ok: true, noteId: expect.any(String) },
    ]);
    expect(hs.notes).toHaveLength(1);
  });

  it('nothing landed in the call (a note-only item whose create failed) → it throws as a whole, as before', async () => {
    const id = hs.addContact();
    hs.inject({ match: { path: /notes\/batch\/create$/ }, fault: { kind: 'status', status: 429 } });
    const e = await crmError(apiFor().push([{ ...writeBack(id, 1), status: undefined }], new Set()));
    expect(e).toMatchObject({ kind: 'transient', details: { status: 429, retryAfterMs: 10_000 } });
  });

  it('an expired token during the lookup, nothing landed → auth, so the connection is marked expired', async () => {
    const id = hs.addContact();
    const api = apiFor();
    hs.rotateToken();
    const e = await crmError(api.push([{ ...writeBack(id, 1), status: undefined }], new Set([keyOf(1)])));
    expect(e.kind).toBe('auth');
  });

  it('refuses a record from another portal without calling HubSpot, and unknown object types', async () => {
    const id = hs.addContact();
    const other = writeBack(id, 1);
    other.ref = { ...other.ref, account: '999' };
    const company = writeBack(id, 2, { objectType: 'company' });
    const results = await apiFor().push([other, company], new Set());
    expect(results).toEqual([
      expect.objectContaining({ ok: false, permanent: true, message: expect.stringMatching(/portal 999/) }),
      expect.objectContaining({ ok: false, permanent: true, message: expect.stringMatching(/company records are not supported/) }),
    ]);
    expect(requests).toEqual([]);
  });
});

describe('push: whole-call failures', () => {
  it('401 → auth', async () => {
    const id = hs.addContact();
    const api = apiFor();
    hs.rotateToken();
    const e = await crmError(api.push([writeBack(id, 1)], new Set()));
    expect(e).toMatchObject({ kind: 'auth', details: { status: 401, code: 'INVALID_AUTHENTICATION' } });
  });

  it('429 → transient, with the stand-in’s Retry-After', async () => {
    await restart({ rateLimit: { requests: 1, perMs: 10_000 } });
    const id = hs.addContact();
    const api = apiFor();
    await api.testConnection();
    clock += 3_000;
    const e = await crmError(api.push([writeBack(id, 1)], new Set()));
    expect(e).toMatchObject({ kind: 'transient', details: { status: 429, retryAfterMs: 7_000, code: 'RATE_LIMIT' } });
    expect(e.details.mayHaveApplied).toBeFalsy();
  });

  it('429 without Retry-After → waits the rate-limit interval', async () => {
    const id = hs.addContact();
    hs.inject({ fault: { kind: 'status', status: 429 } });
    const e = await crmError(apiFor().push([writeBack(id, 1)], new Set()));
    expect(e).toMatchObject({ kind: 'transient', details: { status: 429, retryAfterMs: 10_000, code: 'RATE_LIMIT' } });
  });

  it('429 with Retry-After → that wait', async () => {
    const id = hs.addContact();
    hs.inject({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '7' } } });
    const e = await crmError(apiFor().push([writeBack(id, 1)], new Set()));
    expect(e.details.retryAfterMs).toBe(7_000);
  });

  it('a 500 after the update was applied → transient, may have applied', async () => {
    const id = hs.addContact({ hs_lead_status: 'NEW' });
    hs.inject({ match: { path: /batch\/update$/ }, fault: { kind: 'applyThenStatus', status: 500 } });
    const e = await crmError(apiFor().push([writeBack(id, 1)], new Set()));
    expect(e).toMatchObject({ kind: 'transient', details: { status: 500, mayHaveApplied: true } });
    expect(hs.contacts.get(id)?.hs_lead_status).toBe('OPEN_DEAL');
    expect(hs.notes).toHaveLength(0);
  });

  it('no answer within the timeout → transient, may have applied', async () => {
    const id = hs.addContact();
    hs.inject({ fault: { kind: 'delay', ms: 400 } });
    const e = await crmError(apiFor({}, { timeoutMs: 100 }).push([writeBack(id, 1)], new Set()));
    expect(e).toMatchObject({ kind: 'transient', details: { mayHaveApplied: true } });
    expect(e.message).toMatch(/no answer within 0.1 s/);
  });

  it('a failed search (a read) in an import → transient, nothing applied by it', async () => {
    hs.inject({ match: { path: /search$/ }, fault: { kind: 'status', status: 502 } });
    const e = await crmError(apiFor().importNotes!(undefined));
    expect(e).toMatchObject({ kind: 'transient', details: { status: 502, mayHaveApplied: false } });
  });
});

describe('notes that are too long for HubSpot', () => {
  it('shortens the readable part and keeps the subject and the block', async () => {
    const id = hs.addContact();
    const item = writeBack(id, 1);
    item.note.body = item.note.body.replace('Next step:', `${'“Evidence” & <quotes> '.repeat(4000)}\nNext step:`);
    const results = await apiFor().push([item], new Set());
    expect(results[0]!.ok).toBe(true);
    const html = hs.notes[0]!.body;
    expect(html.length).toBeLessThanOrEqual(NOTE_BODY_MAX);
    expect(html.startsWith(`<p>${item.note.subject}</p>`)).toBe(true);
    expect(htmlToText(html)).toMatch(/shortened to fit/);
    expect(parseDispositionNote(htmlToText(html))).toMatchObject({ ok: true, block: { key: item.key } });
  });

  it('cuts a block that alone is too long; the key stays findable, so a retry finds the note', async () => {
    const id = hs.addContact();
    // Under HubSpot's limit as text, well over it once quotes and ampersands are escaped.
    const item = writeBack(id, 1, { note: '"&"'.repeat(5_000) });
    expect(item.note.body.length).toBeLessThan(NOTE_BODY_MAX);
    await apiFor().push([item], new Set());
    const html = hs.notes[0]!.body;
    expect(html.length).toBeLessThanOrEqual(NOTE_BODY_MAX);
    expect(html.length).toBeGreaterThan(NOTE_BODY_MAX - 50);
    expect(html).toContain(item.key);
    const retry = await apiFor().push([item], new Set([item.key]));
    expect(retry[0]).toEqual({ key: item.key, ok: true, noteId: hs.notes[0]!.id });
    expect(hs.notes).toHaveLength(1);
  });

  it('noteHtml never splits an entity and htmlToText decodes each entity once', () => {
    for (const max of [200, 201, 202, 203, 204, 205]) {
      const html = noteHtml('Subject (lqabc)', `line\n${'&'.repeat(100)}`, max);
      expect(html.length).toBeLessThanOrEqual(max);
      expect(html).toMatch(/^(<p>[^<]*<\/p>)+$/);
      expect(html.replace(/&amp;|&lt;|&gt;|&quot;|&#39;/g, '')).not.toMatch(/&/);
    }
    expect(htmlToText('<div>a &amp;lt; b</div><p>c<br>d&#x27;s &#39;e&#39;&nbsp;</p>')).toBe("a &lt; b\nc\nd's 'e' ");
  });
});

describe('readLead', () => {
  const contactProps = {
    firstname: 'Dana', lastname: 'Whitfield', email: 'dana@northwind.example', company: 'Northwind', jobtitle: 'VP of Operations',
    numemployees: '100-500', industry: 'Logistics', country: 'United States', hs_country_region_code: 'us', hs_analytics_source: 'ORGANIC_SEARCH',
    hs_analytics_first_touch_converting_campaign: 'State of RevOps Report', hs_lead_status: 'NEW', lifecyclestage: 'marketingqualifiedlead',
    hs_lifecyclestage_marketingqualifiedlead_date: '2026-11-18T09:15:00.000Z', hs_sa_first_engagement_date: '1763471400000',
    recent_conversion_event_name: 'Contact us', recent_conversion_date: '2026-11-18T09:14:31.000Z',
    first_conversion_event_name: 'Case study: Acme', first_conversion_date: '2026-10-02T14:40:12.000Z',
    hs_analytics_last_visit_timestamp: '2026-11-19T08:01:44.000Z', hs_analytics_last_url: 'https://www.example.com/blog/post',
    hs_email_last_reply_date: '2026-11-10T10:00:00.000Z', hs_email_optout: 'true', hs_email_hard_bounce_reason_enum: 'MAILBOX_FULL',
    hs_email_last_send_date: '2026-11-09T10:00:00.000Z',
  };

  it('maps a contact’s properties and latest activities onto the profile the scorer reads', async () => {
    const id = hs.addContact(contactProps);
    const { profile } = await apiFor().readLead(writeBack(id, 1).ref);
    expect(requests).toEqual([`GET /crm/v3/objects/contacts/${id}`]);
    expect(profile).toEqual({
      name: 'Dana Whitfield',
      email: 'dana@northwind.example',
      company: 'Northwind',
      title: 'VP of Operations',
      companySize: 100,
      industry: 'Logistics',
      region: 'North America',
      source: 'Organic search',
      campaign: 'State of RevOps Report',
      crmStatus: 'NEW',
      existingCustomer: false,
      mqlAt: '2026-11-18T09:15:00.000Z',
      firstContactAt: new Date(1763471400000).toISOString(),
      activities: [
        { type: 'contact_request', at: '2026-11-18T09:14:31.000Z', detail: 'Contact us' },
        { type: 'case_study_download', at: '2026-10-02T14:40:12.000Z', detail: 'Case study: Acme' },
        { type: 'website_visit', at: '2026-11-19T08:01:44.000Z', detail: 'https://www.example.com/blog/post' },
        { type: 'email_reply', at: '2026-11-10T10:00:00.000Z', detail: 'Replied to a marketing email' },
        { type: 'hard_bounce', at: '2026-11-09T10:00:00.000Z', detail: 'Hard bounce: MAILBOX_FULL' },
        { type: 'unsubscribe', at: '2026-11-09T10:00:00.000Z', detail: 'Unsubscribed from all email' },
      ],
    });
    expect(() => leadProfileSchema.parse({ crm: 'hubspot', recordId: id, ...profile })).not.toThrow();
  });

  it('leaves unknown what HubSpot leaves empty', async () => {
    const id = hs.addContact({ email: 'x@y.example' });
    const { profile } = await apiFor().readLead(writeBack(id, 1).ref);
    expect(profile).toEqual({ email: 'x@y.example', activities: [] });
  });

  it('reads a Leads-object record through its contact, with the pipeline stage as status', async () => {
    const contact = hs.addContact(contactProps);
    const lead = hs.addLead({ hs_lead_name: 'Dana at Northwind', hs_pipeline_stage: 'attempting-stage-id' }, contact);
    const { profile } = await apiFor().readLead(writeBack(lead, 1, { objectType: 'lead' }).ref);
    expect(requests).toEqual([`GET /crm/v3/objects/leads/${lead}`, `GET /crm/v3/objects/contacts/${contact}`]);
    expect(profile).toMatchObject({ name: 'Dana Whitfield', crmStatus: 'attempting-stage-id', region: 'North America' });
  });

  it('404 → permanent: the record no longer exists', async () => {
    const id = hs.addContact();
    hs.deleteContact(id);
    const e = await crmError(apiFor().readLead(writeBack(id, 1).ref));
    expect(e).toMatchObject({ kind: 'permanent', message: 'The record no longer exists in HubSpot.', details: { status: 404 } });
  });
});

describe('testConnection', () => {
  it('proves the token and names the portal', async () => {
    expect(await apiFor().testConnection()).toEqual({ account: String(hs.portalId), label: `HubSpot portal ${hs.portalId}` });
    expect(requests).toEqual(['GET /account-info/v3/details']);
  });

  it('401 → auth', async () => {
    const e = await crmError(apiFor({ token: 'pat-na1-wrong' }).testConnection());
    expect(e.kind).toBe('auth');
  });
});

describe('importNotes', () => {
  it('pages through notes with the marker, least recently modified first, with their record and plain-text body', async () => {
    const contact = hs.addContact();
    const lead = hs.addLead({}, contact);
    const [a, b, c] = [writeBack(contact, 1), writeBack(lead, 2, { objectType: 'lead' }), writeBack(contact, 3)];
    const html = (w: WriteBack) => noteHtml(w.note.subject, w.note.body);
    // Written in another order than their modification times: the import follows hs_lastmodifieddate.
    const idC = hs.addNote({ body: html(c), timestamp: '2026-11-03T00:00:00Z', contactId: contact, modifiedAt: '2026-11-03T00:00:05Z' });
    const idA = hs.addNote({ body: html(a), timestamp: '2026-11-01T00:00:00Z', contactId: contact, modifiedAt: '2026-11-01T00:00:05Z' });
    const idB = hs.addNote({ body: html(b), timestamp: '2026-11-02T00:00:00Z', leadId: lead, modifiedAt: '2026-11-02T00:00:05Z' });
    hs.addNote({ body: '<p>Called, no answer.</p>', timestamp: '2026-11-01T12:00:00Z', contactId: contact, modifiedAt: '2026-11-01T12:00:05Z' });
    hs.addNote({ body: html(writeBack(contact, 4)), timestamp: '2026-11-04T00:00:00Z', modifiedAt: '2026-11-04T00:00:05Z' });

    const api = apiFor({}, { importPageSize: 2 });
    const first = await api.importNotes!(undefined);
    expect(first.notes.map((n) => [n.noteId, n.recordId, n.at])).toEqual([
      [idA, contact, '2026-11-01T00:00:00.000Z'],
      [idB, lead, '2026-11-02T00:00:00.000Z'],
    ]);
    expect(parseDispositionNote(first.notes[0]!.body)).toMatchObject({ ok: true, block: { key: a.key, recordId: contact } });
    expect(first.cursor).toEqual(expect.any(String));

    const second = await api.importNotes!(first.cursor);
    expect(second.notes.map((n) => [n.noteId, n.recordId])).toEqual([
      [idC, contact],
      [expect.any(String), ''],
    ]);
    expect(second.cursor).toBeUndefined();
    expect(requests.filter((r) => r.includes('/crm/v4/associations/notes/'))).toEqual([
      'POST /crm/v4/associations/notes/contacts/batch/read',
      'POST /crm/v4/associations/notes/0-136/batch/read',
      'POST /crm/v4/associations/notes/contacts/batch/read',
      'POST /crm/v4/associations/notes/0-136/batch/read',
    ]);
  });

  it('imports notes the module wrote, once search sees them', async () => {
    const id = hs.addContact();
    const item = writeBack(id, 1);
    await apiFor().push([item], new Set());
    expect((await apiFor().importNotes!(undefined)).notes).toHaveLength(0);
    clock += 3_000;
    const { notes } = await apiFor().importNotes!(undefined);
    expect(notes).toHaveLength(1);
    expect(parseDispositionNote(notes[0]!.body)).toMatchObject({ ok: true, block: { key: item.key } });
  });
});

describe('whoAmI', () => {
  it('a private-app token has no user behind it: undefined, without asking HubSpot (the token stays out of URLs)', async () => {
    expect(await apiFor().whoAmI!()).toBeUndefined();
    expect(requests).toEqual([]);
  });

  it('a user’s OAuth token: the HubSpot user id, name and email, and their owner id', async () => {
    const ana = hs.addUser({ email: 'ana.souza@northwind.example', firstName: 'Ana', lastName: 'Souza' });
    for (const oauth of [false, true]) {
      requests = [];
      expect(await apiFor({ token: ana.token, oauth }).whoAmI!()).toEqual({ id: ana.userId, name: 'Ana Souza', email: 'ana.souza@northwind.example', ownerId: ana.ownerId });
      expect(requests).toEqual([`GET /oauth/v1/access-tokens/${ana.token}`, `GET /crm/v3/owners/${ana.userId}`]);
    }
  });

  it('a user without an owner record is still who they are, named by their email', async () => {
    const bo = hs.addUser({ email: 'bo@northwind.example', owner: false });
    expect(await apiFor({ token: bo.token }).whoAmI!()).toEqual({ id: bo.userId, name: 'bo@northwind.example', email: 'bo@northwind.example' });
  });

  it('a token HubSpot’s token endpoint does not know (not pat-, not a user’s): undefined, not a failure', async () => {
    hs.inject({ match: { path: /^\/crm\/v3\/owners/ }, fault: { kind: 'status', status: 401 } });
    expect(await apiFor({ token: 'CKDunknown' }).whoAmI!()).toBeUndefined();
  });

  it('a token of another portal is refused; a 5xx is transient', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example' });
    expect(await crmError(apiFor({ token: ana.token, account: '999' }).whoAmI!())).toMatchObject({ kind: 'permanent', details: { code: 'PORTAL_MISMATCH' } });
    hs.inject({ match: { path: /^\/oauth\/v1\/access-tokens\// }, fault: { kind: 'status', status: 503 } });
    expect(await crmError(apiFor({ token: ana.token }).whoAmI!())).toMatchObject({ kind: 'transient' });
  });
});

describe('push: the decider as the note’s owner', () => {
  it('makes authorUser.ownerId the note’s hubspot_owner_id; HubSpot records the token’s user as its creator', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example', firstName: 'Ana', lastName: 'Souza' });
    const id = hs.addContact();
    const item = writeBack(id, 1);
    item.note.authorUser = { id: ana.userId, name: 'Ana Souza', ownerId: ana.ownerId };
    expect(await apiFor({ token: ana.token }).push([item], new Set())).toEqual([{ key: item.key, ok: true, noteId: expect.any(String) }]);
    expect(hs.notes[0]).toMatchObject({ ownerId: ana.ownerId, createdByUserId: ana.userId });

    // Without an owner id (a private-app connection, the rep's name typed once), the note has no owner.
    await apiFor().push([writeBack(id, 2)], new Set());
    expect(hs.notes[1]).toMatchObject({ ownerId: null, createdByUserId: null });
  });

  it('an owner HubSpot does not know fails that item alone, permanently', async () => {
    const id = hs.addContact();
    const [good, bad] = [writeBack(id, 1), writeBack(id, 2)];
    bad.note.authorUser = { id: '1', name: 'Gone', ownerId: '123' };
    const results = await apiFor().push([good, bad], new Set());
    expect(results).toEqual([
      { key: good.key, ok: true, noteId: expect.any(String) },
      { key: bad.key, ok: false, permanent: true, status: 207, message: expect.stringContaining('hubspot_owner_id'), statusApplied: true },
    ]);
  });
});

describe('importNotes: who created them, since, and past search’s cap', () => {
  const html = (w: WriteBack) => noteHtml(w.note.subject, w.note.body);

  it('takes the creator from HubSpot’s own properties, never from the body or the note’s owner, with no owners read', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example', firstName: 'Ana', lastName: 'Souza' });
    const id = hs.addContact();
    const mine = writeBack(id, 1);
    await apiFor({ token: ana.token }).push([mine], new Set());
    await apiFor().push([writeBack(id, 2)], new Set());
    clock += 3_000;
    requests = [];
    const { notes } = await apiFor().importNotes!(undefined);
    // The user id the trust check compares, and nothing a note's writer could set (hubspot_owner_id).
    expect(notes.map((n) => n.createdBy)).toEqual([{ id: ana.userId }, undefined]);
    // A page of the import costs its search and its association read: names are not read.
    expect(requests.filter((r) => r.startsWith('GET /crm/v3/owners'))).toEqual([]);
  });

  it('since: only notes written or changed at or after it, changed ones included', async () => {
    const id = hs.addContact();
    const old = hs.addNote({ body: html(writeBack(id, 1)), timestamp: '2026-11-01T00:00:00Z', contactId: id, modifiedAt: '2026-11-01T00:00:00Z' });
    const edited = hs.addNote({ body: html(writeBack(id, 2)), timestamp: '2026-11-02T00:00:00Z', contactId: id, modifiedAt: '2026-11-02T00:00:00Z' });
    const fresh = hs.addNote({ body: html(writeBack(id, 3)), timestamp: '2026-11-19T00:00:00Z', contactId: id, modifiedAt: '2026-11-19T00:00:00Z' });
    hs.editNote(edited, html(writeBack(id, 2, { note: 'Budget moved to Q1.' })));
    const { notes, cursor } = await apiFor().importNotes!(undefined, { since: '2026-11-10T00:00:00Z' });
    expect(notes.map((n) => n.noteId)).toEqual([fresh, edited]);
    expect(notes[1]!.body).toContain('Budget moved to Q1.');
    expect(notes.map((n) => n.noteId)).not.toContain(old);
    expect(cursor).toBeUndefined();
    expect(await crmError(apiFor().importNotes!(undefined, { since: 'last week' }))).toMatchObject({ kind: 'permanent', details: { code: 'BAD_SINCE' } });
  });

  it('pages past the search cap by starting again from the last modification time: every note once, in order, no 400', async () => {
    await restart({ searchResultCap: 5 });
    const id = hs.addContact();
    const ids = Array.from({ length: 13 }, (_, i) =>
      hs.addNote({ body: html(writeBack(id, i)), timestamp: '2026-11-01T00:00:00Z', contactId: id, modifiedAt: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 60_000).toISOString() }),
    );
    const api = apiFor({}, { importPageSize: 2, searchResultCap: 5 });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api.importNotes!(cursor);
      seen.push(...page.notes.map((n) => n.noteId));
      cursor = page.cursor;
      pages++;
      clock += 1_000; // search's own limit: four a second
    } while (cursor && pages < 30);
    expect(seen).toEqual(ids);
    expect(hs.calls.filter((c) => c.path.endsWith('/search')).every((c) => c.status === 200)).toBe(true);
  });

  it('notes sharing a modification time across a restart are not lost', async () => {
    await restart({ searchResultCap: 4 });
    const id = hs.addContact();
    const at = (i: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + Math.floor(i / 3) * 1_000).toISOString();
    const ids = Array.from({ length: 11 }, (_, i) => hs.addNote({ body: html(writeBack(id, i)), timestamp: '2026-11-01T00:00:00Z', contactId: id, modifiedAt: at(i) }));
    const api = apiFor({}, { importPageSize: 2, searchResultCap: 4 });
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api.importNotes!(cursor);
      for (const n of page.notes) seen.add(n.noteId);
      cursor = page.cursor;
      pages++;
      clock += 1_000; // search's own limit: four a second
    } while (cursor && pages < 40);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('a cursor it did not make is refused; one from before modification-time paging starts over', async () => {
    expect(await crmError(apiFor().importNotes!('hs2:{"f":"x"}'))).toMatchObject({ kind: 'permanent', details: { code: 'BAD_CURSOR' } });
    expect(await crmError(apiFor().importNotes!('garbage'))).toMatchObject({ kind: 'permanent', details: { code: 'BAD_CURSOR' } });
    const id = hs.addContact();
    const note = hs.addNote({ body: html(writeBack(id, 1)), timestamp: '2026-11-01T00:00:00Z', contactId: id });
    expect((await apiFor().importNotes!('200')).notes.map((n) => n.noteId)).toEqual([note]);
  });
});

describe('readHistory', () => {
  const html = (w: WriteBack) => noteHtml(w.note.subject, w.note.body);

  it('never takes the note’s owner (which its writer sets) for its creator', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example', firstName: 'Ana', lastName: 'Souza' });
    // A user without an owner record writes a note and makes Ana its owner.
    const forger = hs.addUser({ email: 'eve@northwind.example', firstName: 'Eve', owner: false });
    const id = hs.addContact();
    hs.addNote({ body: html(writeBack(id, 1)), timestamp: '2026-11-20T09:00:00Z', contactId: id, createdByUserId: forger.userId, ownerId: ana.ownerId });
    const { notes } = await apiFor().readHistory!(writeBack(id, 1).ref);
    expect(notes.map((n) => n.createdBy)).toEqual([{ id: forger.userId }]);
  });

  it('a contact: our notes (anyone’s) oldest first with who created them, and its status now, in three requests', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example', firstName: 'Ana', lastName: 'Souza' });
    const id = hs.addContact({ hs_lead_status: 'OPEN' });
    const other = hs.addContact();
    const review = hs.addNote({ body: html(writeBack(id, 2)), timestamp: '2026-11-21T09:00:00Z', contactId: id, createdByUserId: ana.userId });
    const decision = writeBack(id, 1);
    decision.note.authorUser = { id: ana.userId, name: 'Ana Souza', ownerId: ana.ownerId };
    await apiFor({ token: ana.token }).push([decision], new Set());
    hs.addNote({ body: '<p>Called, no answer.</p>', timestamp: '2026-11-01T00:00:00Z', contactId: id });
    hs.addNote({ body: html(writeBack(other, 3)), timestamp: '2026-11-01T00:00:00Z', contactId: other });
    requests = [];

    // Right after the push: search would not see the note yet, the history does.
    const history = await apiFor().readHistory!(decision.ref);
    expect(history.status).toBe('OPEN_DEAL');
    expect(history.notes.map((n) => [n.recordId, n.at, n.createdBy])).toEqual([
      [id, '2026-11-20T11:58:00.000Z', { id: ana.userId, name: 'Ana Souza', ownerId: ana.ownerId }],
      [id, '2026-11-21T09:00:00.000Z', { id: ana.userId, name: 'Ana Souza', ownerId: ana.ownerId }],
    ]);
    expect(history.notes[1]!.noteId).toBe(review);
    expect(parseDispositionNote(history.notes[0]!.body)).toMatchObject({ ok: true, block: { key: decision.key } });
    expect(requests).toEqual([`GET /crm/v3/objects/contacts/${id}`, 'POST /crm/v3/objects/notes/batch/read', 'GET /crm/v3/owners']);
  });

  it('reads the owners list once for several leads shown (one module instance each), and again after a while', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example', firstName: 'Ana', lastName: 'Souza' });
    const leads = [hs.addContact(), hs.addContact()];
    for (const id of leads) hs.addNote({ body: html(writeBack(id, 1)), timestamp: '2026-11-20T09:00:00Z', contactId: id, createdByUserId: ana.userId });
    let at = NOW;
    requests = [];
    const read = (id: string) => apiFor({ now: () => at }).readHistory!(writeBack(id, 1).ref);
    for (const id of leads) expect((await read(id)).notes[0]!.createdBy).toEqual({ id: ana.userId, name: 'Ana Souza', ownerId: ana.ownerId });
    expect(requests.filter((r) => r === 'GET /crm/v3/owners')).toHaveLength(1);
    at += OWNERS_TTL_MS;
    await read(leads[0]!);
    expect(requests.filter((r) => r === 'GET /crm/v3/owners')).toHaveLength(2);
  });

  it('a Leads-object record: its notes and its pipeline stage', async () => {
    const contact = hs.addContact({ hs_lead_status: 'NEW' });
    const lead = hs.addLead({ hs_pipeline_stage: 'connected-stage-id' }, contact);
    const note = hs.addNote({ body: html(writeBack(lead, 1, { objectType: 'lead' })), timestamp: '2026-11-01T00:00:00Z', leadId: lead });
    hs.addNote({ body: html(writeBack(contact, 2)), timestamp: '2026-11-01T00:00:00Z', contactId: contact });
    const history = await apiFor().readHistory!(writeBack(lead, 1, { objectType: 'lead' }).ref);
    expect(history).toEqual({ status: 'connected-stage-id', notes: [expect.objectContaining({ noteId: note, recordId: lead })] });
    expect(history.notes[0]!.createdBy).toBeUndefined();
  });

  it('a record without notes: one request; more notes than one read lists: the association read pages through them', async () => {
    await restart({ associationPageSize: 2 });
    const empty = hs.addContact({ hs_lead_status: 'NEW' });
    expect(await apiFor().readHistory!(writeBack(empty, 1).ref)).toEqual({ notes: [], status: 'NEW' });
    expect(requests).toEqual([`GET /crm/v3/objects/contacts/${empty}`]);

    const id = hs.addContact();
    const ids = Array.from({ length: 5 }, (_, i) => hs.addNote({ body: html(writeBack(id, i)), timestamp: `2026-11-0${i + 1}T00:00:00Z`, contactId: id }));
    requests = [];
    const history = await apiFor().readHistory!(writeBack(id, 1).ref);
    expect(history.notes.map((n) => n.noteId)).toEqual(ids);
    expect(history.status).toBeUndefined();
    expect(requests.filter((r) => r.includes('/crm/v4/associations/contacts/notes/batch/read'))).toHaveLength(3);
  });

  it('404 → permanent; another portal’s record and unknown objects are refused without a request', async () => {
    const id = hs.addContact();
    hs.deleteContact(id);
    expect(await crmError(apiFor().readHistory!(writeBack(id, 1).ref))).toMatchObject({ kind: 'permanent', details: { status: 404 } });
    requests = [];
    expect(await crmError(apiFor({ account: '999' }).readHistory!(writeBack(id, 1).ref))).toMatchObject({ kind: 'permanent', details: { code: 'PORTAL_MISMATCH' } });
    expect(await crmError(apiFor().readHistory!(writeBack(id, 1, { objectType: 'deal' }).ref))).toMatchObject({ kind: 'permanent' });
    expect(requests).toEqual([]);
  });

  it('a note HubSpot does not answer for leaves the history incomplete: transient, read again later', async () => {
    const id = hs.addContact();
    hs.addNote({ body: html(writeBack(id, 1)), timestamp: '2026-11-01T00:00:00Z', contactId: id });
    hs.inject({ match: { path: /\/notes\/batch\/read$/ }, fault: { kind: 'status', status: 207, body: { status: 'COMPLETE', results: [], errors: [] } } });
    expect(await crmError(apiFor().readHistory!(writeBack(id, 1).ref))).toMatchObject({ kind: 'transient' });
  });
});

describe('HubSpot’s documented response bodies (fixtures)', () => {
  const fixture = (name: string) => readFileSync(new URL(`./fixtures/api/${name}`, import.meta.url), 'utf8');

  /** A fetch that answers each path with a fixture, recording the request bodies. */
  function fixtureApi(routes: Record<string, { file: string; status: number; headers?: Record<string, string> }>) {
    const sent: { path: string; body: unknown }[] = [];
    const fake: typeof fetch = async (input, init) => {
      const path = new URL(String(input)).pathname;
      sent.push({ path, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      const route = routes[path];
      if (!route) return new Response('{}', { status: 404 });
      return new Response(fixture(route.file), { status: route.status, headers: { 'content-type': 'application/json', ...route.headers } });
    };
    const connection: Connection = { crm: 'hubspot', apiBase: 'https://api.hubapi.com', account: '4412345', label: '', credentials: { kind: 'token', token: 't' }, mapping: hubspotApi.defaultMapping, connectedAt: '', state: 'connected' };
    return { api: hubspotApi.create(connection, { fetch: fake, now: () => NOW }), sent };
  }

  const item = (recordId: string, key: string): WriteBack => ({
    key,
    ref: { crm: 'hubspot', recordId, objectType: 'contact', url: '', host: 'app-eu1.hubspot.com', account: '4412345' },
    status: 'UNQUALIFIED',
    note: { subject: `Lead qualification: Accepted as SQL (${key})`, body: 'Lead qualification: Accepted as SQL', at: '2026-11-20T11:58:00Z', author: 'Rep' },
  });

  it('a 207 batch update and a 201 batch create', async () => {
    const { api, sent } = fixtureApi({
      '/crm/v3/objects/contacts/batch/update': { file: 'batch-update-207.json', status: 207 },
      '/crm/v3/objects/notes/batch/create': { file: 'notes-batch-create-201.json', status: 201 },
    });
    const results = await api.push([item('512', 'lq5f3a9c1e2b7d4f60'), item('913', 'lq00000000000000aa')], new Set());
    expect(results).toEqual([
      { key: 'lq5f3a9c1e2b7d4f60', ok: true, noteId: '61872901254' },
      { key: 'lq00000000000000aa', ok: false, permanent: true, status: 207, message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.' },
    ]);
    expect(sent[0]!.body).toEqual({ inputs: [{ id: '512', properties: { hs_lead_status: 'UNQUALIFIED' } }, { id: '913', properties: { hs_lead_status: 'UNQUALIFIED' } }] });
    expect(sent[1]!.body).toMatchObject({
      inputs: [{ properties: { hs_timestamp: '2026-11-20T11:58:00Z' }, associations: [{ to: { id: '512' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }] }],
    });
  });

  it('a 200 batch update', async () => {
    const { api } = fixtureApi({
      '/crm/v3/objects/contacts/batch/update': { file: 'batch-update-200.json', status: 200 },
      '/crm/v3/objects/notes/batch/create': { file: 'notes-batch-create-201.json', status: 201 },
    });
    expect(await api.push([item('512', 'lq5f3a9c1e2b7d4f60')], new Set())).toEqual([{ key: 'lq5f3a9c1e2b7d4f60', ok: true, noteId: '61872901254' }]);
  });

  it('a contact read', async () => {
    const { api } = fixtureApi({ '/crm/v3/objects/contacts/512': { file: 'contact-read-200.json', status: 200 } });
    const { profile } = await api.readLead(item('512', 'lq1').ref);
    expect(profile).toMatchObject({
      name: 'Dana Whitfield', companySize: 100, region: 'Europe', source: 'Paid search', campaign: 'Pricing Page Retargeting', crmStatus: 'NEW',
      mqlAt: '2026-11-18T09:15:00.000Z', firstContactAt: '2026-11-18T10:02:00.000Z', existingCustomer: false,
    });
    expect(profile.activities?.map((a) => a.type)).toEqual(['demo_request', 'document_download', 'pricing_page_visit']);
  });

  it('token metadata and an owner: who the token belongs to', async () => {
    const { api, sent } = fixtureApi({
      '/oauth/v1/access-tokens/t': { file: 'token-info-200.json', status: 200 },
      '/crm/v3/owners/7712345': { file: 'owner-200.json', status: 200 },
    });
    expect(await api.whoAmI!()).toEqual({ id: '7712345', name: 'Ana Souza', email: 'ana.souza@northwind.example', ownerId: '41629779' });
    expect(sent.map((r) => r.path)).toEqual(['/oauth/v1/access-tokens/t', '/crm/v3/owners/7712345']);
  });

  it('account details, and a search page with associations and the note’s creator', async () => {
    const { api } = fixtureApi({
      '/account-info/v3/details': { file: 'account-details-200.json', status: 200 },
      '/crm/v3/objects/notes/search': { file: 'notes-search-200.json', status: 200 },
      '/crm/v4/associations/notes/contacts/batch/read': { file: 'associations-batch-read-200.json', status: 200 },
      '/crm/v3/owners': { file: 'owners-200.json', status: 200 },
    });
    expect(await api.testConnection()).toEqual({ account: '4412345', label: 'HubSpot portal 4412345' });
    const { notes, cursor } = await api.importNotes!(undefined);
    expect(cursor).toBeUndefined();
    expect(notes).toEqual([
      {
        noteId: '61872901254',
        recordId: '512',
        at: '2026-11-20T11:58:00.000Z',
        body: 'Lead qualification: Accepted as SQL (lq5f3a9c1e2b7d4f60)\nNext step: Demo on 2026-11-24\n\n--- lqblock v1 (machine-readable: do not edit) ---\n{"v":1,"key":"lq5f3a9c1e2b7d4f60"}\n--- end lqblock ---',
        createdBy: { id: '7712345' },
      },
    ]);
  });

  it('401 and 429 error bodies', async () => {
    const unauthorized = fixtureApi({ '/account-info/v3/details': { file: 'error-401.json', status: 401 } }).api;
    expect(await crmError(unauthorized.testConnection())).toMatchObject({ kind: 'auth', message: expect.stringMatching(/^Authentication credentials not found/) });
    const limited = fixtureApi({
      '/account-info/v3/details': { file: 'error-429.json', status: 429, headers: { 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-max': '100' } },
    }).api;
    expect(await crmError(limited.testConnection())).toMatchObject({ kind: 'transient', message: 'You have reached your ten_secondly_rolling limit.', details: { retryAfterMs: 10_000, code: 'RATE_LIMIT' } });
  });
});
