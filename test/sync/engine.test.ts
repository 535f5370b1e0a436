import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { startDemoCrm, type DemoCrm } from '../../scripts/demo-crm/server';
import type { Connection } from '../../src/crm/api';
import { crmApiModule } from '../../src/crm/apis';
import demoApi, { DEMO_API_TOKEN } from '../../src/crm/demo/api';
import type { LeadRef } from '../../src/domain/lead-ref';
import { defaultConfig } from '../../src/domain/defaults';
import { parseTeamNote } from '../../src/domain/note-format';
import type { LeadQualifierDb } from '../../src/store/db';
import { saveReview } from '../../src/store/reviews';
import { connectionStore } from '../../src/sync/connections';
import { backoffMs, createSyncEngine } from '../../src/sync/engine';
import { freshDb } from '../support/db';
import { saveDecision } from '../support/dispositions';
import { faultyFetch, type ClientFault } from '../support/faulty-fetch';

const NOW = Date.parse('2026-11-20T12:00:00Z');
let server: Server;
let crm: DemoCrm;
let url: string;
let db: LeadQualifierDb;
let t: number;

beforeEach(async () => {
  ({ server, crm, url } = await startDemoCrm(0, { seed: 7, now: () => NOW }));
  db = freshDb();
  t = NOW;
});
afterEach(() => new Promise<void>((r) => server.close(() => r())));

const refOf = (id: string): LeadRef => ({ crm: 'demo', recordId: id, objectType: 'lead', url: `${url}/leads/${id}`, host: new URL(url).host });
const connection = (over: Partial<Connection> = {}): Connection => ({
  crm: 'demo',
  apiBase: url,
  label: 'Demo CRM',
  credentials: { kind: 'token', token: DEMO_API_TOKEN },
  mapping: demoApi.defaultMapping,
  connectedAt: new Date(NOW).toISOString(),
  state: 'connected',
  ...over,
});

function engine(fault: (c: { method: string; url: string }) => ClientFault | undefined = () => undefined) {
  const net = faultyFetch(fault);
  const connections = connectionStore(db);
  const e = createSyncEngine({ db, connections, modules: crmApiModule, loadConfig: async () => defaultConfig(), fetch: net.fetch, now: () => t, sleep: async () => undefined, random: () => 0.5 });
  return { e, net, connections };
}
const notesOf = (id: string) => crm.db.notes.filter((n) => n.leadId === id);
const leadOf = (id: string) => crm.db.leads.find((l) => l.id === id)!;

describe('sync to the demo CRM', () => {
  it('delivers each saved decision once: status, reason and a note with the structured block', async () => {
    const { e, connections } = engine();
    await connections.put(connection());
    await saveDecision(db, refOf('L-1001'), { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people, no IT team.' }, { dispositionId: 'd1' });
    await saveDecision(db, refOf('L-1002'), { outcome: 'accept', nextStepId: 'demo', nextStepOn: '2026-11-25' }, { dispositionId: 'd2' });
    const before = notesOf('L-1001').length;

    const summary = await e.run();
    expect(summary).toMatchObject({ attempted: 2, synced: 2, failed: 0 });
    expect(leadOf('L-1001')).toMatchObject({ status: 'Unqualified', reason: 'Not ICP fit' });
    expect(leadOf('L-1002')).toMatchObject({ status: 'Qualified', reason: undefined });
    const notes = notesOf('L-1001').slice(before);
    expect(notes).toHaveLength(1);
    const parsed = parseTeamNote(notes[0]!.body);
    expect(parsed).toMatchObject({ ok: true, content: { kind: 'decision', revision: { dispositionId: 'd1', decision: { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people, no IT team.' } } } });
    expect(notes[0]!.body).toContain('Lead qualification: Rejected: Not ICP fit');
    expect(await db.dispositions.get('d1')).toMatchObject({ sync: 'synced' });
    expect((await db.outbox.toArray()).map((o) => o.state)).toEqual(['done', 'done']);

    expect(await e.run()).toMatchObject({ attempted: 0 });
    expect(notesOf('L-1001').slice(before)).toHaveLength(1);
  });

  it('waits for a connection, then sends what was saved offline', async () => {
    const { e, connections } = engine();
    await saveDecision(db, refOf('L-1003'), { outcome: 'recycle', recheckOn: '2027-01-15' }, { dispositionId: 'd3' });
    await e.run();
    expect(await db.dispositions.get('d3')).toMatchObject({ sync: 'saved_locally', syncMessage: expect.stringContaining('Not connected to Demo CRM yet') });
    await connections.put(connection());
    expect(await e.retry({ crm: 'demo' })).toBe(1);
    await e.run();
    expect(leadOf('L-1003').status).toBe('Nurture');
    expect(await db.dispositions.get('d3')).toMatchObject({ sync: 'synced' });
  });

  it('marks the connection expired on 401, keeps the decision, and sends it after reconnecting', async () => {
    const { e, connections } = engine();
    await connections.put(connection({ credentials: { kind: 'token', token: 'revoked' } }));
    await saveDecision(db, refOf('L-1004'), { outcome: 'reject', reasonCode: 'bad_timing', note: 'Budget frozen until Q2.' }, { dispositionId: 'd4' });
    await e.run();
    expect((await connections.get('demo'))?.state).toBe('expired');
    expect(await db.dispositions.get('d4')).toMatchObject({ sync: 'needs_attention', syncMessage: expect.stringContaining('Reconnect') });
    expect(await db.outbox.get((await db.outbox.toArray())[0]!.key)).toMatchObject({ state: 'pending', attempts: 0 });

    await connections.put(connection());
    await e.retry({ crm: 'demo' });
    await e.run();
    expect(leadOf('L-1004').status).toBe('Unqualified');
    expect(await db.dispositions.get('d4')).toMatchObject({ sync: 'synced' });
  });

  it('stops on a 400 with the CRM’s message, and succeeds after the mapping is fixed and retried', async () => {
    const { e, connections } = engine();
    await connections.put(connection({ mapping: { ...demoApi.defaultMapping, status: { ...demoApi.defaultMapping.status, reject: 'Junk' } } }));
    await saveDecision(db, refOf('L-1005'), { outcome: 'reject', reasonCode: 'not_icp', note: 'Students.' }, { dispositionId: 'd5' });
    expect(await e.run()).toMatchObject({ failed: 1 });
    const row = await db.dispositions.get('d5');
    expect(row).toMatchObject({ sync: 'needs_attention' });
    expect(row?.syncMessage).toContain('"Junk" is not one of New, Working, Nurture, Qualified, Unqualified');
    t += 3_600_000;
    expect(await e.run()).toMatchObject({ attempted: 0 }); // permanent: no automatic retries

    await connections.put(connection());
    await e.retry({ dispositionId: 'd5' });
    await e.run();
    expect(leadOf('L-1005').status).toBe('Unqualified');
    const fixed = await db.dispositions.get('d5');
    expect(fixed?.sync).toBe('synced');
    expect(fixed?.syncMessage).toBeUndefined();
  });

  it('never creates a second note when the first attempt’s answer was lost', async () => {
    let lose = true;
    const { e, connections } = engine((c) => (c.method === 'POST' && lose ? ((lose = false), 'applyThenDrop') : undefined));
    await connections.put(connection());
    const before = notesOf('L-1006').length;
    await saveDecision(db, refOf('L-1006'), { outcome: 'reject', reasonCode: 'not_icp', note: 'No IT team at all.' }, { dispositionId: 'd6' });
    expect(await e.run()).toMatchObject({ retrying: 1 });
    expect(notesOf('L-1006').length - before).toBe(1); // the CRM applied it
    const entry = (await db.outbox.toArray())[0]!;
    expect(entry).toMatchObject({ state: 'pending', unsure: true, attempts: 1 });
    expect(entry.nextAt).toBe(t + backoffMs(1, () => 0.5));
    t = entry.nextAt;
    expect(await e.run()).toMatchObject({ synced: 1 });
    expect(notesOf('L-1006').length - before).toBe(1);
  });

  it('honours Retry-After on 429 and leaves the entry as sure as it was', async () => {
    let limited = true;
    const { e, connections } = engine(() => (limited ? ((limited = false), 'status429') : undefined));
    await connections.put(connection());
    await saveDecision(db, refOf('L-1007'), { outcome: 'recycle', recheckOn: '2027-01-10' }, { dispositionId: 'd7' });
    await e.run();
    const entry = (await db.outbox.toArray())[0]!;
    expect(entry).toMatchObject({ state: 'pending', unsure: false, attempts: 1 });
    expect(entry.nextAt).toBeGreaterThanOrEqual(t + 2_000);
    expect(entry.lastError).toContain('ten_secondly_rolling');
    expect(await e.run()).toMatchObject({ attempted: 0 }); // not due yet
    t = entry.nextAt;
    expect(await e.run()).toMatchObject({ synced: 1 });
  });

  it('runs one drain at a time: concurrent wakes send each entry once', async () => {
    const { e, connections, net } = engine();
    await connections.put(connection());
    for (let i = 0; i < 5; i++) await saveDecision(db, refOf(`L-10${10 + i}`), { outcome: 'recycle', recheckOn: '2027-01-10' }, { dispositionId: `c${i}` });
    const [a, b] = await Promise.all([e.run(), e.run()]);
    expect(a.synced + b.synced).toBe(5);
    expect(net.calls.filter((c) => c.method === 'POST')).toHaveLength(5);
  });

  it('sends revisions of one disposition in order, one per batch', async () => {
    const { e, connections } = engine();
    await connections.put(connection());
    await saveDecision(db, refOf('L-1020'), { outcome: 'accept', nextStepId: 'demo', nextStepOn: '2026-11-25' }, { dispositionId: 'r1' });
    await saveDecision(db, refOf('L-1020'), { outcome: 'reject', reasonCode: 'no_budget', note: 'Budget was pulled after the call.' }, { dispositionId: 'r1', at: '2026-11-20T13:00:00.000Z' });
    await e.run();
    expect(leadOf('L-1020').status).toBe('Unqualified');
    expect(await db.dispositions.get('r1')).toMatchObject({ sync: 'synced', rev: 2 });
  });
});

describe('a manager’s review of a rejection', () => {
  it('goes to the CRM as its own note, once, and leaves the lead’s status alone', async () => {
    const { e, connections } = engine();
    await connections.put(connection());
    await saveDecision(db, refOf('L-1030'), { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people, no IT team.' }, { dispositionId: 'rv1' });
    await e.run();
    expect(leadOf('L-1030').status).toBe('Unqualified');
    const before = notesOf('L-1030').length;

    await saveReview(db, { id: 'review-1', dispositionId: 'rv1', reviewerId: 'mgr', reviewerName: 'Mia Manager', verdict: 'disagree', comment: 'They have 40 people now; call back.', at: '2026-11-21T09:00:00.000Z' });
    const queued = await db.outbox.where('dispositionId').equals('rv1').toArray();
    expect(queued.map((q) => [q.reviewId, q.state])).toEqual(expect.arrayContaining([['review-1', 'pending']]));
    expect(await e.run()).toMatchObject({ synced: 1 });
    const notes = notesOf('L-1030').slice(before);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain('Mia Manager disagrees with the decision “Rejected: Not ICP fit” by Sam Rep');
    expect(notes[0]!.body).toContain('Comment: They have 40 people now; call back.');
    expect(leadOf('L-1030').status).toBe('Unqualified');
    expect(await e.run()).toMatchObject({ attempted: 0 });
    expect(notesOf('L-1030').slice(before)).toHaveLength(1);
  });
});
