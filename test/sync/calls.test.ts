/**
 * Logged calls to each CRM (ADR 19), through the real sync loop and CRM modules against the stand-ins and
 * the demo CRM: one logged call becomes exactly one call activity (HubSpot call, Salesforce call Task,
 * demo CRM activity) in the CRM's documented shape, also when the CRM applied the create and the answer
 * was lost, with or without the worker being killed and started again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmApiModule } from '../../src/crm/apis';
import type { CrmApiModule } from '../../src/crm/api';
import { callKey, type CallOutcome } from '../../src/domain/calls';
import { defaultConfig } from '../../src/domain/defaults';
import type { LeadRef } from '../../src/domain/lead-ref';
import { logCall, startCallDraft, addCallLine } from '../../src/store/calls';
import type { LeadQualifierDb } from '../../src/store/db';
import { connectionStore } from '../../src/sync/connections';
import { createSyncEngine } from '../../src/sync/engine';
import { freshDb } from '../support/db';
import { demoTarget, hubspotTarget, salesforceTarget, type SyncTarget } from './targets';

const T0 = Date.parse('2026-11-20T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A call logged on `ref` through the store, as the background's `panel.endCall` does it. */
export async function logTestCall(db: LeadQualifierDb, ref: LeadRef, callId: string, outcome: CallOutcome, startedAt = T0, seconds = 125) {
  const leadKey = `${ref.crm}:${ref.account ?? ref.host}:${ref.recordId}`;
  await startCallDraft(db, leadKey, ref, () => ({ callId, startedAt: iso(startedAt), lines: [], pending: '' }), iso(startedAt));
  await addCallLine(db, leadKey, callId, { id: `${callId}-l1`, at: iso(startedAt + 1000), text: '40k set aside for Q2', criterionId: 'budget' }, iso(startedAt + 1000));
  return logCall(db, { leadKey, callId, outcome, note: 'Demo next week.', endedAt: iso(startedAt + seconds * 1000), by: 'Sam Rep', byId: 'sam' });
}

type Kill = 'none' | 'applyThenDrop' | 'killAfterApply';

/**
 * A sync loop whose fetch loses the answer to the first request that creates a call activity
 * (`isCreate`): the CRM applied it; `applyThenDrop` throws as a reset connection would, `killAfterApply`
 * never answers, as a worker stopped mid-request (the test then starts a new loop on the same store).
 */
function loop(db: LeadQualifierDb, isCreate: (method: string, url: string) => boolean, kill: Kill) {
  let armed = kill !== 'none';
  let killed: () => void = () => undefined;
  const died = new Promise<'killed'>((r) => (killed = () => r('killed')));
  const engine = createSyncEngine({
    db,
    connections: connectionStore(db),
    modules: crmApiModule,
    loadConfig: async () => defaultConfig(),
    now: () => T0 + 60_000,
    sleep: async () => undefined,
    random: () => 0.5,
    tryLock: async (fn) => (await fn(), true),
    fetch: async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const method = (init?.method ?? 'GET').toUpperCase();
      if (armed && isCreate(method, url)) {
        armed = false;
        await fetch(input, init);
        if (kill === 'applyThenDrop') throw new TypeError('fetch failed (connection reset after sending)');
        killed();
        return new Promise<Response>(() => undefined);
      }
      return fetch(input, init);
    },
  });
  return { engine, died };
}

/** Runs the loop until the outbox is drained; a killed worker is replaced by a new one (same store). */
async function drain(db: LeadQualifierDb, isCreate: (method: string, url: string) => boolean, kill: Kill) {
  let worker = loop(db, isCreate, kill);
  for (let i = 0; i < 10; i++) {
    const outcome = await Promise.race([worker.engine.run().then(() => 'done' as const), worker.died]);
    if (outcome === 'killed') worker = loop(db, isCreate, 'none');
    // Make whatever waits due now (backoff after the lost answer).
    const pending = (await db.outbox.toArray()).filter((e) => e.state === 'pending');
    if (!pending.length) break;
    await db.outbox.bulkPut(pending.map((e) => ({ ...e, nextAt: 0 })));
  }
}

const CASES: [string, () => Promise<SyncTarget>, (method: string, url: string) => boolean][] = [
  ['HubSpot stand-in', () => hubspotTarget(), (m, u) => m === 'POST' && u.includes('/crm/v3/objects/calls/batch/create')],
  ['Salesforce stand-in', () => salesforceTarget(), (m, u) => m === 'POST' && u.endsWith('/composite/sobjects')],
  ['demo CRM', () => demoTarget(), (m, u) => m === 'POST' && u.includes('/activities')],
];

describe.each(CASES)('logged calls to the %s', (_name, start, isCreate) => {
  let target: SyncTarget;
  let n = 0;
  beforeAll(async () => {
    target = await start();
  });
  afterAll(() => target?.close());

  async function fresh() {
    n += 1;
    const db = freshDb(`calls-${_name}-${n}`);
    await connectionStore(db).put(target.connection(true));
    return db;
  }

  it('writes one call activity per logged call, in the CRM’s shape', async () => {
    const db = await fresh();
    const ref = target.refs[0]!;
    await logTestCall(db, ref, `c${n}-one`, 'connected');
    await drain(db, isCreate, 'none');
    const key = callKey(`c${n}-one`);
    expect(target.callsWithKey(key)).toBe(1);
    // A call, not a note (Salesforce: the one Task is the call itself).
    if (target.crm !== 'salesforce') expect(target.notesWithKey(key)).toBe(0);
    expect((await db.outbox.toArray()).map((e) => [e.state, e.unsure])).toEqual([['done', false]]);
    const stored = target.callWithKey(key)!;
    if (target.crm === 'hubspot') {
      expect(stored).toMatchObject({
        hs_call_title: `Call: Connected (${key})`,
        hs_call_duration: '125000',
        hs_call_direction: 'OUTBOUND',
        hs_call_status: 'COMPLETED',
        hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
        hs_timestamp: '2026-11-20T12:00:00.000Z',
        contactIds: [ref.recordId],
      });
      expect(stored.hs_call_body).toContain('[Budget] 40k set aside for Q2');
    } else if (target.crm === 'salesforce') {
      expect(stored).toMatchObject({ TaskSubtype: 'Call', CallType: 'Outbound', CallDurationInSeconds: 125, CallDisposition: 'Connected', Status: 'Completed', ActivityDate: '2026-11-20', WhoId: ref.recordId, Subject: `Call: Connected (${key})` });
      expect(String(stored.Description)).toContain('[Budget] 40k set aside for Q2');
    } else {
      expect(stored).toMatchObject({ leadId: ref.recordId, type: 'call', outcome: 'connected', durationSeconds: 125, startedAt: '2026-11-20T12:00:00.000Z', author: 'Ana Souza', subject: `Call: Connected (${key})` });
      expect(String(stored.body)).toContain('[Budget] 40k set aside for Q2');
    }
  });

  it.each<Kill>(['applyThenDrop', 'killAfterApply'])('creates no second activity when the CRM applied the create and the answer was lost (%s)', async (kill) => {
    const db = await fresh();
    const ref = target.refs[1]!;
    const callId = `c${n}-${kill}`;
    await logTestCall(db, ref, callId, 'no_answer');
    await drain(db, isCreate, kill);
    expect(target.callsWithKey(callKey(callId))).toBe(1);
    expect((await db.outbox.toArray()).map((e) => [e.state, e.unsure])).toEqual([['done', false]]);
  });

  it('sends several calls in one batch, and each once', async () => {
    const db = await fresh();
    const ids = [0, 1, 2].map((i) => `c${n}-batch-${i}`);
    for (const [i, id] of ids.entries()) await logTestCall(db, target.refs[i]!, id, (['voicemail', 'wrong_number', 'meeting_booked'] as const)[i]!, T0 + i * 60_000);
    await drain(db, isCreate, 'applyThenDrop');
    for (const id of ids) expect(target.callsWithKey(callKey(id))).toBe(1);
  });
});

describe('a CRM whose connector cannot log calls', () => {
  let target: SyncTarget;
  beforeAll(async () => {
    target = await demoTarget();
  });
  afterAll(() => target?.close());

  it('keeps the call on the device as "not supported", with no error and nothing sent', async () => {
    const db = freshDb('calls-unsupported');
    await connectionStore(db).put(target.connection(true));
    const demo = crmApiModule('demo')!;
    const withoutCalls: CrmApiModule = {
      ...demo,
      create: (connection, deps) => {
        const api = demo.create(connection, deps);
        return { ...api, logCalls: undefined };
      },
    };
    const engine = createSyncEngine({ db, connections: connectionStore(db), modules: (crm) => (crm === 'demo' ? withoutCalls : undefined), loadConfig: async () => defaultConfig(), now: () => T0, sleep: async () => undefined, tryLock: async (fn) => (await fn(), true), fetch });
    await logTestCall(db, target.refs[0]!, 'c-unsupported', 'connected');
    const summary = await engine.run();
    expect(summary).toMatchObject({ attempted: 0, failed: 0 });
    expect(await db.outbox.toArray()).toMatchObject([{ state: 'done', unsupported: true, lastError: expect.stringContaining('cannot log calls') }]);
    expect(target.callsWithKey(callKey('c-unsupported'))).toBe(0);
    expect(await engine.nextDueAt()).toBeUndefined();
  });
});
