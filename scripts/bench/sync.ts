/**
 * Store and sync figures for `npm run bench`: how long committing a decision (revision + row + outbox in
 * one transaction) takes, and how many API calls and how much time draining n decisions takes against
 * the CRM stand-ins, with the calls checked against each CRM's batch bound and rate limit.
 */
import { performance } from 'node:perf_hooks';
import type { Connection } from '../../src/crm/api';
import { crmApiModule } from '../../src/crm/apis';
import type { LeadRef } from '../../src/domain/lead-ref';
import { defaultConfig } from '../../src/domain/defaults';
import { connectionStore } from '../../src/sync/connections';
import { createSyncEngine } from '../../src/sync/engine';
import { idempotencyKey } from '../../src/domain/note-format';
import { freshDb } from '../../test/support/db';
import { saveDecision } from '../../test/support/dispositions';
import type { StandIn } from '../../test/stand-ins/types';

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  target?: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

export async function benchOutboxCommit(): Promise<Figure[]> {
  const db = freshDb('bench-commit');
  const ref: LeadRef = { crm: 'demo', recordId: 'L-1', objectType: 'lead', url: 'http://127.0.0.1/leads/L-1', host: '127.0.0.1' };
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await saveDecision(db, { ...ref, recordId: `L-${i}` }, { outcome: 'reject', reasonCode: 'not_icp', note: 'Outside our ICP.' }, { dispositionId: `b${i}` });
    samples.push(performance.now() - t0);
  }
  db.close();
  const section = 'Store (fake-indexeddb in Node; a real browser is faster)';
  return [
    { section, name: 'save a decision: revision + row + outbox in one transaction, p50', value: pct(samples, 50), unit: 'ms' },
    { section, name: 'save a decision: revision + row + outbox in one transaction, p95', value: pct(samples, 95), unit: 'ms', target: 50 },
  ];
}

interface Target {
  crm: string;
  standIn: StandIn;
  refs(n: number): LeadRef[];
  connection: Connection;
  /** Calls allowed for n decisions: ⌈n/batch⌉ status updates + ⌈n/batch⌉ note/task creations. */
  bound(n: number): number;
  limit: { requests: number; perMs: number };
  sizes: number[];
  /** Most write-backs per status update (1: one request per decision). */
  batch: number;
  /** How the CRM's status updates and note/task creations look on the wire. */
  writes: Record<'status' | 'note', { method: string; path: RegExp }>;
  notesWithKey(key: string): number;
}

async function drain(target: Target, n: number) {
  const db = freshDb(`bench-${target.crm}-${n}`);
  const connections = connectionStore(db);
  await connections.put(target.connection);
  const refs = target.refs(n);
  for (let i = 0; i < n; i++) await saveDecision(db, refs[i]!, { outcome: 'reject', reasonCode: 'not_icp', note: 'Outside our ICP.' }, { dispositionId: `${target.crm}-${n}-${i}` });
  const before = target.standIn.calls.length;
  const engine = createSyncEngine({ db, connections, modules: crmApiModule, loadConfig: async () => defaultConfig(), fetch: (i, init) => fetch(i, init), now: Date.now });
  const t0 = performance.now();
  let summary = await engine.run();
  while ((await db.outbox.where('state').equals('pending').count()) > 0 && performance.now() - t0 < 120_000) summary = await engine.run();
  const ms = performance.now() - t0;
  const calls = target.standIn.calls.slice(before);
  // The busiest window of the CRM's rate limit.
  let busiest = 0;
  for (let i = 0; i < calls.length; i++) busiest = Math.max(busiest, calls.filter((c) => c.at >= calls[i]!.at && c.at < calls[i]!.at + target.limit.perMs).length);
  const done = await db.outbox.where('state').equals('done').count();
  db.close();
  return { ms, calls: calls.length, busiest, done, summary };
}

const isWrite = (w: { method: string; path: RegExp }, method: string, url: string) => method.toUpperCase() === w.method && w.path.test(new URL(url, 'http://x').pathname);

/**
 * n decisions where the first note/task creation is applied by the CRM but its answer is lost (a 503
 * after the write): the retry must find the note instead of creating it again, and must not send the
 * status again (it had a definite success). Counts calls per decision and redundant writes.
 */
async function drainWithLostAnswer(target: Target, n: number) {
  const db = freshDb(`bench-lost-${target.crm}-${n}`);
  const connections = connectionStore(db);
  await connections.put(target.connection);
  const refs = target.refs(n);
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await saveDecision(db, refs[i]!, { outcome: 'reject', reasonCode: 'not_icp', note: 'Outside our ICP.' }, { dispositionId: `${target.crm}-lost-${n}-${i}` });
    keys.push(idempotencyKey(r));
  }
  let lost = false;
  const lossy: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const response = await fetch(input, init);
    if (!lost && isWrite(target.writes.note, init?.method ?? 'GET', url)) {
      lost = true;
      return new Response(JSON.stringify({ message: 'Service unavailable' }), { status: 503, headers: { 'content-type': 'application/json' } });
    }
    return response;
  };
  const before = target.standIn.calls.length;
  const engine = createSyncEngine({ db, connections, modules: crmApiModule, loadConfig: async () => defaultConfig(), fetch: lossy, now: Date.now });
  const t0 = performance.now();
  await engine.run();
  for (let next = await engine.nextDueAt(); next !== undefined && performance.now() - t0 < 120_000; next = await engine.nextDueAt()) {
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    await engine.run();
  }
  const calls = target.standIn.calls.slice(before);
  const statusCalls = calls.filter((c) => isWrite(target.writes.status, c.method, c.path)).length;
  const copies = keys.map((k) => target.notesWithKey(k));
  db.close();
  return {
    calls: calls.length,
    statusResent: Math.max(0, statusCalls - Math.ceil(n / target.batch)),
    duplicates: copies.reduce((sum, c) => sum + Math.max(0, c - 1), 0),
    lost: copies.filter((c) => c === 0).length,
  };
}

export async function benchRedundantWrites(targets: Target[], n = 100): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const target of targets) {
    const section = `Exactly once to the ${target.crm} stand-in: ${n} decisions, the first note's answer lost after the CRM applied it`;
    const r = await drainWithLostAnswer(target, n);
    figures.push({ section, name: 'API calls per decision', value: r.calls / n, unit: 'calls' });
    figures.push({ section, name: 'redundant writes (status sent again after a definite success, notes created twice)', value: r.statusResent + r.duplicates, unit: 'writes', target: 0 });
    figures.push({ section, name: 'decisions lost', value: r.lost, unit: 'decisions', target: 0 });
  }
  return figures;
}

export async function benchSync(targets: Target[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const target of targets) {
    const section = `Sync to the ${target.crm} stand-in`;
    for (const n of target.sizes) {
      const r = await drain(target, n);
      if (r.done !== n) throw new Error(`${target.crm}: only ${r.done} of ${n} decisions synced`);
      figures.push({ section, name: `${n} decision(s): API calls (bound ${target.bound(n)})`, value: r.calls, unit: 'calls', target: target.bound(n) });
      figures.push({ section, name: `${n} decision(s): wall time`, value: r.ms, unit: 'ms' });
      figures.push({ section, name: `${n} decision(s): most calls in one ${target.limit.perMs / 1000} s window (limit ${target.limit.requests})`, value: r.busiest, unit: 'calls', target: target.limit.requests });
    }
  }
  return figures;
}

export { pct };
