import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoCrm, type DemoCrm } from '../../../scripts/demo-crm/server';
import { crmError } from '../../../test/support/crm-error';
import { faultyFetch, type ClientFault } from '../../../test/support/faulty-fetch';
import { NOTE_MARKER } from '../../domain/note-format';
import type { Connection, WriteBack } from '../api';
import demoApi, { createDemoApi, DEMO_API_TOKEN, DEMO_DEFAULT_USER, demoTokenFor } from './api';

/**
 * The demo CRM module against the real demo server, with network faults between them: exactly-once
 * notes through the server's Idempotency-Key, and each field written once.
 */

const NOW = Date.parse('2026-11-20T12:00:00Z');
let server: Server;
let crm: DemoCrm;
let url: string;
/** The demo server's clock. */
let serverNow = NOW;

beforeEach(async () => {
  serverNow = NOW;
  ({ server, crm, url } = await startDemoCrm(0, { seed: 3, now: () => serverNow }));
});
afterEach(() => new Promise<void>((r) => server.close(() => r())));

const connection = (): Connection => ({
  crm: 'demo',
  apiBase: url,
  label: 'Demo CRM',
  credentials: { kind: 'token', token: DEMO_API_TOKEN },
  mapping: demoApi.defaultMapping,
  connectedAt: new Date(NOW).toISOString(),
  state: 'connected',
});

/** The module with a fault per request (by method and path), recording what it sent. */
function apiWith(decide: (method: string, path: string) => ClientFault | undefined = () => undefined) {
  const f = faultyFetch(({ method, url: u }) => decide(method, new URL(u).pathname));
  return { api: createDemoApi(connection(), { fetch: f.fetch, now: () => NOW }), sent: () => f.calls.map((c) => `${c.method} ${new URL(c.url).pathname}`) };
}

const keyOf = (i: number) => `lq${(0xde300 + i).toString(16).padStart(32, '0')}`;
function writeBack(leadId: string, i: number, over: Partial<WriteBack> = {}): WriteBack {
  const key = keyOf(i);
  return {
    key,
    ref: { crm: 'demo', recordId: leadId, objectType: 'lead', url: `${url}/leads/${leadId}`, host: new URL(url).host },
    status: 'Unqualified',
    reason: 'Not ICP fit',
    note: { subject: `Lead qualification: Rejected (${key})`, body: `Lead qualification: Rejected (${key})\nReason: Not ICP fit`, at: new Date(NOW).toISOString(), author: 'Rep' },
    ...over,
  };
}
const lead = (id: string) => crm.db.leads.find((l) => l.id === id)!;
const notesWith = (key: string) => crm.db.notes.filter((n) => n.idempotencyKey === key);

describe('demo module: exactly-once notes', () => {
  it('a lost answer after the note was created: the retry (status written once, key unsure) gets the same note back and creates none', async () => {
    const [a, b] = [crm.db.leads[0]!.id, crm.db.leads[1]!.id];
    const items = [writeBack(a, 1), writeBack(b, 2)];
    const first = apiWith((method) => (method === 'POST' ? 'applyThenDrop' : undefined));
    const lost = await first.api.push(items, new Set());
    // The first note's answer was lost: that item fails with its status applied, and the batch stops there.
    expect(lost[0]).toMatchObject({ key: keyOf(1), ok: false, permanent: false, statusApplied: true, message: expect.stringMatching(/^The status was updated, but the note was not created: /) });
    expect(lost[1]).toMatchObject({ key: keyOf(2), ok: false, permanent: false });
    expect(lost[1]).not.toHaveProperty('statusApplied');
    expect(first.sent()).toEqual([`PATCH /api/v1/leads/${a}`, `POST /api/v1/leads/${a}/notes`]);
    expect(notesWith(keyOf(1))).toHaveLength(1);

    // Meanwhile someone changes the lead: the retry of the first item sends the note alone.
    lead(a).status = 'Qualified';
    const retry = apiWith();
    const results = await retry.api.push([{ ...items[0]!, status: undefined, reason: undefined }, items[1]!], new Set([keyOf(1), keyOf(2)]));
    expect(results).toEqual([
      { key: keyOf(1), ok: true, noteId: notesWith(keyOf(1))[0]!.id },
      { key: keyOf(2), ok: true, noteId: notesWith(keyOf(2))[0]!.id },
    ]);
    expect(retry.sent()).toEqual([`POST /api/v1/leads/${a}/notes`, `PATCH /api/v1/leads/${b}`, `POST /api/v1/leads/${b}/notes`]);
    expect(notesWith(keyOf(1))).toHaveLength(1);
    expect(lead(a).status).toBe('Qualified');
  });

  it('when the check itself fails (the re-sent note gets no answer), nothing is created and the call fails as a whole, transiently', async () => {
    const id = crm.db.leads[0]!.id;
    const item = { ...writeBack(id, 3), status: undefined };
    const before = crm.db.notes.length;
    for (const fault of ['drop', 'status503'] as const) {
      const e = await crmError(apiWith(() => fault).api.push([item], new Set([item.key])));
      expect(e.kind).toBe('transient');
    }
    expect(crm.db.notes.length).toBe(before);
  });

  it('a note answered 500 after it was stored is transient with statusApplied; the retry finds it (200, same id)', async () => {
    const id = crm.db.leads[2]!.id;
    const item = writeBack(id, 4);
    const [r] = await apiWith((method) => (method === 'POST' ? 'applyThen500' : undefined)).api.push([item], new Set());
    expect(r).toMatchObject({ ok: false, permanent: false, status: 500, statusApplied: true });
    const [again] = await apiWith().api.push([{ ...item, status: undefined }], new Set([item.key]));
    expect(again).toEqual({ key: item.key, ok: true, noteId: notesWith(item.key)[0]!.id });
    expect(notesWith(item.key)).toHaveLength(1);
  });
});

describe('demo module: each field written once', () => {
  it('a note the server refuses after the status landed is a permanent per-item failure with statusApplied; the rest of the batch goes on', async () => {
    const [a, b] = [crm.db.leads[3]!.id, crm.db.leads[4]!.id];
    const bad = writeBack(a, 5, { note: { ...writeBack(a, 5).note, body: ' ' } });
    const results = await apiWith().api.push([bad, writeBack(b, 6)], new Set());
    expect(results[0]).toMatchObject({ ok: false, permanent: true, status: 400, statusApplied: true });
    expect(results[1]).toMatchObject({ ok: true });
    expect(lead(a).status).toBe('Unqualified');
  });

  it('without a status the lead is not touched, even when a reason is given', async () => {
    const l = crm.db.leads[5]!;
    const before = { status: l.status, reason: l.reason };
    const api = apiWith();
    const [r] = await api.api.push([writeBack(l.id, 7, { status: undefined, reason: 'Other' })], new Set());
    expect(r).toMatchObject({ ok: true });
    expect(api.sent()).toEqual([`POST /api/v1/leads/${l.id}/notes`]);
    expect({ status: lead(l.id).status, reason: lead(l.id).reason }).toEqual(before);
  });

  it('a status update that fails as a whole on the first item is thrown (nothing landed); on a later item the rest is reported', async () => {
    const [a, b] = [crm.db.leads[6]!.id, crm.db.leads[7]!.id];
    const e = await crmError(apiWith((method) => (method === 'PATCH' ? 'status503' : undefined)).api.push([writeBack(a, 8)], new Set()));
    expect(e).toMatchObject({ kind: 'transient', details: { status: 503 } });
    let patches = 0;
    const results = await apiWith((method) => (method === 'PATCH' && ++patches === 2 ? 'status429' : undefined)).api.push([writeBack(a, 9), writeBack(b, 10)], new Set());
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, permanent: false, status: 429, retryAfterMs: 2_000 });
    expect(results[1]).not.toHaveProperty('statusApplied');
  });

  it('declares no extra waits or search budget: the demo server sends no rate-limit headers', () => {
    expect(demoApi.waitAfter).toBeUndefined();
    expect(demoApi.searchRateLimit).toBeUndefined();
  });
});

describe('demo users: tokens, /me and authors the server sets', () => {
  const as = (token: string) => createDemoApi({ ...connection(), credentials: { kind: 'token', token } }, { fetch: (a, b) => fetch(a, b), now: () => NOW });

  it('gives every user a token (demo-token is the default user’s, demo-token-<id> anyone’s) and answers /me', async () => {
    expect(crm.db.users.map((u) => demoTokenFor(u.id))).toEqual(['demo-token', 'demo-token-rep-ben', 'demo-token-rep-cleo', 'demo-token-mgr-maya']);
    expect(await as(DEMO_API_TOKEN).whoAmI()).toEqual(DEMO_DEFAULT_USER);
    expect(await as('demo-token-rep-ana').whoAmI()).toEqual(DEMO_DEFAULT_USER);
    expect(await as('demo-token-mgr-maya').whoAmI()).toEqual({ id: 'mgr-maya', name: 'Maya Brandt', email: 'maya.brandt@ourco.example' });
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: 'Bearer demo-token-rep-ben' } });
    expect(await me.json()).toEqual({ id: 'rep-ben', name: 'Ben Okoro', email: 'ben.okoro@ourco.example', role: 'rep' });
    for (const token of ['demo-token-nobody', 'demo-tokenx', 'nope']) expect(await crmError(as(token).whoAmI())).toMatchObject({ kind: 'auth', details: { status: 401 } });
  });

  it('records the token’s user as a note’s author, whatever the request body says', async () => {
    const id = crm.db.leads[8]!.id;
    const [r] = await as(demoTokenFor('rep-cleo')).push([writeBack(id, 20)], new Set());
    expect(crm.db.notes.find((n) => n.id === (r as { noteId: string }).noteId)).toMatchObject({ author: 'Cleo Varga', authorId: 'rep-cleo' });
    const forged = await fetch(`${url}/api/v1/leads/${id}/notes`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-token-rep-ben', 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Accepted.', author: 'Maya Brandt', authorId: 'mgr-maya' }),
    });
    expect(await forged.json()).toMatchObject({ author: 'Ben Okoro', authorId: 'rep-ben' });
  });

  it('the demo web pages say who is signed in (the default user)', async () => {
    expect(await (await fetch(`${url}/leads`)).text()).toContain('Signed in as Ana Souza');
    expect(await (await fetch(`${url}/leads/${crm.db.leads[0]!.id}`)).text()).toContain('Signed in as Ana Souza');
  });

  it('autoConnect makes a connection that signs as the default demo user, and the server agrees who that is', async () => {
    const ref = { crm: 'demo', recordId: 'L-1001', objectType: 'lead', url: `${url}/leads/L-1001`, host: new URL(url).host };
    const auto = demoApi.autoConnect!(ref, new Date(NOW).toISOString())!;
    expect(auto.user).toEqual(DEMO_DEFAULT_USER);
    expect(await createDemoApi(auto, { fetch: (a, b) => fetch(a, b), now: () => NOW }).whoAmI()).toEqual(auto.user);
  });
});

describe('demo module: the team’s record (imports and one lead’s history)', () => {
  const api = () => createDemoApi(connection(), { fetch: (a, b) => fetch(a, b), now: () => NOW });

  it('imports notes with the author the server recorded; since skips notes created before it and the cursor stays good', async () => {
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await api().importNotes!(cursor);
      all.push(...page.notes);
      cursor = page.cursor;
    } while (cursor);
    expect(all).toHaveLength(crm.db.notes.length);
    const seeded = crm.db.notes[0]!;
    expect(all[0]).toEqual({ noteId: seeded.id, recordId: seeded.leadId, body: seeded.body, at: seeded.createdAt, createdBy: { id: seeded.authorId, name: seeded.author } });

    const since = crm.db.notes.map((n) => n.createdAt).sort()[Math.floor(crm.db.notes.length / 2)]!;
    const recent = crm.db.notes.filter((n) => Date.parse(n.createdAt) >= Date.parse(since)).map((n) => n.id);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(crm.db.notes.length);
    expect((await api().importNotes!(undefined, { since })).notes.map((n) => n.noteId)).toEqual(recent);
    // A note without the server's author fields (an older data file) has no createdBy.
    crm.db.notes.push({ id: 'N-old', leadId: 'L-1001', body: 'Called.', createdAt: new Date(NOW).toISOString(), author: 'Someone' });
    expect((await api().importNotes!(undefined, { since: new Date(NOW).toISOString() })).notes.at(-1)).toEqual({ noteId: 'N-old', recordId: 'L-1001', body: 'Called.', at: new Date(NOW).toISOString() });
    expect(await crmError(api().importNotes!(undefined, { since: 'last week' }))).toMatchObject({ kind: 'permanent', details: { status: 400 } });
  });

  it('reads one lead’s history: notes with our block (anyone’s), oldest first, with their authors, and its status now', async () => {
    const id = crm.db.leads.find((l) => !crm.db.notes.some((n) => n.leadId === l.id))!.id;
    const withBlock = (wb: WriteBack): WriteBack => ({ ...wb, note: { ...wb.note, body: `${wb.note.body}\n\n--- ${NOTE_MARKER} v1 ---\n{}\n--- end ${NOTE_MARKER} ---` } });
    const as = (userId: string) => createDemoApi({ ...connection(), credentials: { kind: 'token', token: demoTokenFor(userId) } }, { fetch: (a, b) => fetch(a, b), now: () => serverNow });
    await as('rep-ben').push([withBlock(writeBack(id, 30))], new Set());
    crm.db.notes.push({ id: 'N-plain', leadId: id, body: 'Called, left a voicemail.', createdAt: new Date(NOW + 1).toISOString(), author: 'Ana Souza', authorId: 'rep-ana' });
    const later = NOW + 60_000;
    serverNow = later;
    await as('mgr-maya').push([{ ...withBlock(writeBack(id, 31)), status: undefined, reason: undefined }], new Set());

    const history = await api().readHistory!(writeBack(id, 0).ref);
    expect(history.status).toBe('Unqualified');
    expect(history.notes.map((n) => [n.createdBy, n.at])).toEqual([
      [{ id: 'rep-ben', name: 'Ben Okoro' }, new Date(NOW).toISOString()],
      [{ id: 'mgr-maya', name: 'Maya Brandt' }, new Date(later).toISOString()],
    ]);
    expect(await crmError(api().readHistory!(writeBack('L-0000', 0).ref))).toMatchObject({ kind: 'permanent', details: { status: 404 } });
  });
});
