/**
 * The sync loop against a CRM module written for the test: each field is written once (after a definite
 * success of the status update only the note is sent again), and nothing is sent inside a rate-limit
 * wait the CRM asked for, while the rep keeps deciding.
 */
import { describe, expect, it } from 'vitest';
import { CrmError, type Connection, type CrmApiModule, type ItemResult, type WriteBack } from '../../src/crm/api';
import { defaultConfig } from '../../src/domain/defaults';
import type { LeadRef } from '../../src/domain/lead-ref';
import { connectionStore } from '../../src/sync/connections';
import { createSyncEngine } from '../../src/sync/engine';
import { freshDb } from '../support/db';
import { saveDecision } from '../support/dispositions';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ref = (id: string): LeadRef => ({ crm: 'fake', recordId: id, objectType: 'lead', url: `https://crm.example/leads/${id}`, host: 'crm.example' });
const connection: Connection = {
  crm: 'fake',
  apiBase: 'https://crm.example',
  label: 'Fake CRM',
  credentials: { kind: 'token', token: 't' },
  mapping: { statusField: 'Status', status: { accept: 'Qualified', reject: 'Unqualified', recycle: 'Nurture' }, reasonField: '', reasons: {} },
  connectedAt: new Date(NOW).toISOString(),
  state: 'connected',
};

/** A CRM whose answers the test scripts: every push is recorded with what it asked to write. */
function fakeCrm(respond: (items: readonly WriteBack[], call: number) => ItemResult[] | Response) {
  const pushes: { at: number; items: WriteBack[] }[] = [];
  let t = NOW;
  const module: CrmApiModule = {
    id: 'fake',
    label: 'Fake CRM',
    defaultMapping: connection.mapping,
    rateLimit: { requests: 1000, perMs: 1000 },
    hostPermissions: () => [],
    connectWith: 'token',
    create: (_c, deps) => ({
      maxBatch: 100,
      async push(items) {
        pushes.push({ at: t, items: [...items] });
        const answer = respond(items, pushes.length);
        if (answer instanceof Response) {
          // Through the connection's fetch, as a real module's request would go.
          await deps.fetch(new Request('https://crm.example/batch', { method: 'POST' }));
          throw new CrmError('transient', 'Rate limited', { status: 429, retryAfterMs: 30_000 });
        }
        return answer;
      },
      readLead: async () => ({ profile: { activities: [] } }),
      testConnection: async () => ({ label: 'Fake CRM' }),
    }),
  };
  return { module, pushes, now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('the sync loop writes each field once', () => {
  it('after the status landed and the note failed, the retry sends the note alone', async () => {
    const db = freshDb();
    const crm = fakeCrm((items, call) =>
      call === 1 ? items.map((i) => ({ key: i.key, ok: false as const, permanent: false, message: 'Note not created (503).', status: 503, statusApplied: true })) : items.map((i) => ({ key: i.key, ok: true as const })),
    );
    const connections = connectionStore(db);
    await connections.put(connection);
    const engine = createSyncEngine({ db, connections, modules: () => crm.module, loadConfig: async () => defaultConfig(), fetch: async () => new Response('{}'), now: crm.now, sleep: async (ms) => crm.advance(ms), random: () => 0.5 });
    await saveDecision(db, ref('L-1'), { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people.' }, { dispositionId: 'd1' });

    await engine.run();
    expect(crm.pushes[0]!.items[0]).toMatchObject({ status: 'Unqualified' });
    crm.advance(10 * 60_000);
    await engine.run();
    expect(crm.pushes).toHaveLength(2);
    expect(crm.pushes[1]!.items[0]!.status).toBeUndefined();
    expect(crm.pushes[1]!.items[0]!.reason).toBeUndefined();
    expect(crm.pushes[1]!.items[0]!.note.body).toContain(crm.pushes[0]!.items[0]!.key);
    expect((await db.outbox.toArray()).map((e) => e.state)).toEqual(['done']);
  });

  it('a status that did not land is sent again', async () => {
    const db = freshDb();
    const crm = fakeCrm((items, call) => (call === 1 ? items.map((i) => ({ key: i.key, ok: false as const, permanent: false, message: 'Status not updated (503).', status: 503 })) : items.map((i) => ({ key: i.key, ok: true as const }))));
    const connections = connectionStore(db);
    await connections.put(connection);
    const engine = createSyncEngine({ db, connections, modules: () => crm.module, loadConfig: async () => defaultConfig(), fetch: async () => new Response('{}'), now: crm.now, sleep: async (ms) => crm.advance(ms), random: () => 0.5 });
    await saveDecision(db, ref('L-1'), { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people.' }, { dispositionId: 'd1' });
    await engine.run();
    crm.advance(10 * 60_000);
    await engine.run();
    expect(crm.pushes.map((p) => p.items[0]!.status)).toEqual(['Unqualified', 'Unqualified']);
  });
});

describe('the sync loop inside a rate-limit wait', () => {
  it('sends nothing until the wait is over, however many decisions the rep saves meanwhile, and says why', async () => {
    const db = freshDb();
    let limited = true;
    const crm = fakeCrm((items) => (limited ? new Response('{}', { status: 429 }) : items.map((i) => ({ key: i.key, ok: true as const }))));
    const connections = connectionStore(db);
    await connections.put(connection);
    const fetch = async () => {
      const r = new Response('{}', { status: limited ? 429 : 200, headers: limited ? { 'retry-after': '30' } : {} });
      limited = false;
      return r;
    };
    const engine = createSyncEngine({ db, connections, modules: () => crm.module, loadConfig: async () => defaultConfig(), fetch, now: crm.now, sleep: async (ms) => crm.advance(ms), random: () => 0.5 });
    await saveDecision(db, ref('L-1'), { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people.' }, { dispositionId: 'd1' });
    await engine.run();
    const limitedAt = crm.now();
    expect(crm.pushes).toHaveLength(1);

    // The rep keeps deciding: each save wakes the loop; nothing goes out inside the 30 s.
    for (const [i, id] of ['L-2', 'L-3', 'L-4'].entries()) {
      crm.advance(5_000);
      await saveDecision(db, ref(id), { outcome: 'recycle', recheckOn: '2027-01-15' }, { dispositionId: `d${i + 2}`, at: new Date(crm.now()).toISOString() });
      await engine.run();
    }
    expect(crm.pushes.filter((p) => p.at > limitedAt && p.at < limitedAt + 30_000)).toEqual([]);
    expect((await db.dispositions.get('d3'))?.syncMessage).toMatch(/Waiting for Fake CRM’s rate limit \(\d+ s; /);

    crm.advance(30_000);
    for (let i = 0; i < 5 && (await engine.nextDueAt()) !== undefined; i++) {
      crm.advance(Math.max(0, ((await engine.nextDueAt()) ?? 0) - crm.now()));
      await engine.run();
    }
    expect((await db.outbox.toArray()).map((e) => e.state)).toEqual(['done', 'done', 'done', 'done']);
  });
});
