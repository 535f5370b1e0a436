import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { startDemoCrm, type DemoCrm } from '../../scripts/demo-crm/server';
import { crmApiModule } from '../../src/crm/apis';
import demoApi, { DEMO_API_TOKEN } from '../../src/crm/demo/api';
import { defaultConfig } from '../../src/domain/defaults';
import type { LeadQualifierDb } from '../../src/store/db';
import { connectionStore } from '../../src/sync/connections';
import { createSyncEngine } from '../../src/sync/engine';
import { history } from '../../src/store/audit';
import { importStep } from '../../src/sync/import';
import { freshDb } from '../support/db';
import { saveDecision } from '../support/dispositions';

let server: Server;
let crm: DemoCrm;
let url: string;
beforeEach(async () => {
  ({ server, crm, url } = await startDemoCrm(0, { seed: 5 }));
});
afterEach(() => new Promise<void>((r) => server.close(() => r())));

const connect = async (db: LeadQualifierDb) => {
  const connections = connectionStore(db);
  await connections.put({ crm: 'demo', apiBase: url, label: 'Demo CRM', credentials: { kind: 'token', token: DEMO_API_TOKEN }, mapping: demoApi.defaultMapping, connectedAt: '2026-11-20T12:00:00.000Z', state: 'connected' });
  return connections;
};
const refOf = (id: string) => ({ crm: 'demo', recordId: id, objectType: 'lead', url: `${url}/leads/${id}`, host: new URL(url).host });

/** Another rep's browser makes decisions and syncs them. */
async function otherRepDecides(n: number) {
  const db = freshDb('other-rep');
  const connections = await connect(db);
  for (let i = 0; i < n; i++) {
    const lead = crm.db.leads[i % crm.db.leads.length]!.id;
    await saveDecision(db, refOf(lead), { outcome: 'reject', reasonCode: 'not_icp', note: `Outside the ICP (${i}).` }, { dispositionId: `other-${i}`, name: `Lead ${i}` });
  }
  const engine = createSyncEngine({ db, connections, modules: crmApiModule, loadConfig: async () => defaultConfig(), fetch: (a, b) => fetch(a, b), now: Date.now });
  await engine.run();
  return db;
}

describe('importing the team’s decisions from the CRM', () => {
  it('imports page by page with progress, dedupes, and resumes where it stopped', async () => {
    // The demo CRM's seed holds earlier decisions (with blocks); a rep also wrote a plain note.
    const seededNotes = crm.db.notes.length;
    const seededDispositions = new Set(crm.db.notes.map((n) => n.leadId)).size;
    crm.db.notes.push({ id: 'N-plain', leadId: 'L-1001', body: 'Called, left a voicemail.', createdAt: '2026-11-19T10:00:00.000Z', author: 'Ana Souza' });
    await otherRepDecides(120);
    const db = freshDb('manager');
    const connections = await connect(db);
    const deps = { db, connections, modules: crmApiModule, fetch: (a: RequestInfo | URL, b?: RequestInit) => fetch(a, b), now: () => Date.parse('2026-11-21T09:00:00Z'), config: async () => defaultConfig() };

    const first = await importStep(deps, 'demo');
    expect(first).toMatchObject({ pages: 1, notes: 100, done: false });
    const second = await importStep(deps, 'demo');
    // Honest counts: every disposition once, its later revisions as revisions, the plain note as unreadable.
    expect(second).toMatchObject({ pages: 2, notes: 121 + seededNotes, newDecisions: 120 + seededDispositions, newRevisions: seededNotes - seededDispositions, refused: 0, unreadable: 1, done: true });
    expect(await db.dispositions.count()).toBe(120 + seededDispositions);
    // A seeded SQL disqualified after the first call: two whole revisions, checked like local ones.
    const revised = (await db.dispositions.toArray()).find((d) => d.rev === 2 && d.previousOutcomes[0] === 'accept')!;
    expect(revised).toMatchObject({ outcome: 'reject', reasonCode: 'no_budget', origin: 'imported' });
    const h = await history(db, revised.id);
    expect(h.chain).toEqual({ ok: true });
    expect(h.revisions.map((r) => r.decision.outcome)).toEqual(['accept', 'reject']);
    expect(h.revisions[1]!.decision.note.length).toBeGreaterThan(0);
    // Tampering with a stored revision shows: the hashes are the author's.
    await db.revisions.put({ ...h.revisions[0]!, decision: { ...h.revisions[0]!.decision, note: 'rewritten' } });
    expect((await history(db, revised.id)).chain).toMatchObject({ ok: false, rev: 1 });
    expect(await db.dispositions.get('other-7')).toMatchObject({ origin: 'imported', sync: 'imported', outcome: 'reject', reasonCode: 'not_icp', repName: 'Sam Rep', leadName: 'Lead 7', noteSearch: 'outside the icp (7).' });

    // Again: only what changed since the last import is asked for; nothing is counted twice.
    const again = await importStep(deps, 'demo');
    expect(again).toMatchObject({ newDecisions: 0, newRevisions: 0, refused: 0, since: expect.any(String) });
    expect(await db.dispositions.count()).toBe(120 + seededDispositions);
  });

  it('keeps this device’s own decisions as they are (their full history is here)', async () => {
    const db = freshDb('mine');
    const connections = await connect(db);
    await saveDecision(db, refOf('L-1001'), { outcome: 'accept', nextStepId: 'demo', nextStepOn: '2026-12-01' }, { dispositionId: 'mine-1' });
    await createSyncEngine({ db, connections, modules: crmApiModule, loadConfig: async () => defaultConfig(), fetch: (a, b) => fetch(a, b), now: Date.now }).run();
    let p;
    do p = await importStep({ db, connections, modules: crmApiModule, fetch: (a, b) => fetch(a, b), now: Date.now, config: async () => defaultConfig() }, 'demo');
    while (!p.done);
    expect(p.unchanged).toBeGreaterThanOrEqual(1);
    expect(await db.dispositions.get('mine-1')).toMatchObject({ origin: 'local', sync: 'synced', rev: 1 });
  });

  it('says what is wrong when the CRM refuses, and keeps its place', async () => {
    const db = freshDb('refused');
    const connections = connectionStore(db);
    await connections.put({ crm: 'demo', apiBase: url, label: 'Demo CRM', credentials: { kind: 'token', token: 'wrong' }, mapping: demoApi.defaultMapping, connectedAt: '2026-11-20T12:00:00.000Z', state: 'connected' });
    const p = await importStep({ db, connections, modules: crmApiModule, fetch: (a, b) => fetch(a, b), now: Date.now, config: async () => defaultConfig() }, 'demo');
    expect(p).toMatchObject({ done: false, pages: 0, problem: expect.stringContaining('Authentication') });
    expect((await connections.get('demo'))?.state).toBe('expired');
  });
});
