import Dexie, { type Transaction } from 'dexie';
import type { OutboxRecord, SyncLogRecord } from './records';
import { tablesOf, type Store } from './store';

/**
 * The outbox: what the CRM still has to receive. This module is its one owner. A change that the CRM must
 * hear of (a revision, a manager's review) is enqueued here, inside the transaction that stores the change,
 * so both are saved or neither is; and every read or update of queued entries (the sync loop's, the
 * options page's queue) goes through here. When a transaction that enqueued commits, every `onEnqueued`
 * listener of this context hears of it: the background wakes its sync loop, a page asks the background to.
 */

type Listener = () => void;
const listeners = new Set<Listener>();

/** Calls back after each committed transaction that enqueued something; returns the unsubscribe. */
export function onEnqueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export class OutsideTransactionError extends Error {
  constructor() {
    super('An outbox entry is enqueued inside the read-write transaction of the change it belongs to.');
    this.name = 'OutsideTransactionError';
  }
}

/**
 * Queues `entry` in the running transaction. Throws unless called inside a read-write transaction that
 * includes the outbox: an entry written on its own could outlive (or miss) the change it stands for.
 */
export async function enqueue(store: Store, entry: OutboxRecord): Promise<void> {
  const db = tablesOf(store);
  const tx = Dexie.currentTransaction as Transaction | null | undefined;
  if (!tx || tx.db !== db || tx.mode !== 'readwrite' || !tx.storeNames.includes('outbox')) throw new OutsideTransactionError();
  await db.outbox.add(entry);
  // The outermost transaction is the one that commits (a nested one only joins it).
  let top = tx;
  while (top.parent) top = top.parent;
  top.on('complete', () => {
    for (const listener of listeners) listener();
  });
}

/** A new entry for a change, due at once. */
export function newEntry(fields: Pick<OutboxRecord, 'key' | 'dispositionId' | 'rev' | 'crm' | 'ref' | 'reviewId' | 'callId'>, now: string): OutboxRecord {
  return { ...fields, state: 'pending', attempts: 0, nextAt: 0, unsure: false, createdAt: now, updatedAt: now };
}

/**
 * The entry kind for a logged call (ADR 19): no disposition behind it, so its `dispositionId` is
 * `call:<callId>` (the loop batches, orders and logs by it; nothing in the dispositions table has it).
 */
export const callEntryId = (callId: string) => `call:${callId}`;

/** A new entry for a logged call, due at once. */
export function newCallEntry(fields: { key: string; callId: string; crm: string; ref: OutboxRecord['ref'] }, now: string): OutboxRecord {
  return newEntry({ key: fields.key, dispositionId: callEntryId(fields.callId), rev: 1, crm: fields.crm, ref: fields.ref, callId: fields.callId }, now);
}

/** The entries of these logged calls, by call id (what the panel shows as each call's sync state). */
export async function callEntriesOf(store: Store, callIds: readonly string[]): Promise<Map<string, OutboxRecord>> {
  const db = tablesOf(store);
  if (!callIds.length) return new Map();
  const entries = await db.outbox.where('dispositionId').anyOf(callIds.map(callEntryId)).toArray();
  return new Map(entries.filter((e) => e.callId).map((e) => [e.callId!, e]));
}

/** Pending entries due at `now`, at most `limit`. */
export function dueEntries(store: Store, now: number, limit: number): Promise<OutboxRecord[]> {
  const db = tablesOf(store);
  return db.outbox.where('[state+nextAt]').between(['pending', -Infinity], ['pending', now], true, true).limit(limit).toArray();
}

/** Epoch ms of the next pending entry, or undefined when nothing waits. */
export async function nextDueAt(store: Store): Promise<number | undefined> {
  const db = tablesOf(store);
  return (await db.outbox.where('[state+nextAt]').between(['pending', -Infinity], ['pending', Infinity], true, true).first())?.nextAt;
}

/** Whether an earlier revision of the same disposition is still pending (the CRM must see them in order). */
export async function hasEarlierPending(store: Store, entry: Pick<OutboxRecord, 'dispositionId' | 'rev'>): Promise<boolean> {
  const db = tablesOf(store);
  return (await db.outbox.where('dispositionId').equals(entry.dispositionId).filter((o) => o.rev < entry.rev && o.state === 'pending').count()) > 0;
}

/** The first entry queued for a disposition (its lead reference outlives the lead cache). */
export function firstEntryOf(store: Store, dispositionId: string): Promise<OutboxRecord | undefined> {
  const db = tablesOf(store);
  return db.outbox.where('dispositionId').equals(dispositionId).first();
}

/** Whether an entry with this idempotency key was ever queued (sent or not). */
export async function isQueued(store: Store, key: string): Promise<boolean> {
  const db = tablesOf(store);
  return (await db.outbox.get(key)) !== undefined;
}

/** Stores the sync loop's new view of entries (attempts, state, next time, errors). */
export async function updateEntries(store: Store, entries: readonly OutboxRecord[]): Promise<void> {
  const db = tablesOf(store);
  if (entries.length) await db.outbox.bulkPut(entries);
}

export interface SyncStateChange {
  sync: 'synced' | 'saved_locally' | 'needs_attention';
  syncMessage?: string;
}

/**
 * Sets each disposition's shown sync state from its entries, in one transaction with reading them, so the
 * state shown never lags an entry written meanwhile. `decide` is the sync loop's rule.
 */
export function refreshSyncStates(store: Store, dispositionIds: Iterable<string>, decide: (entries: OutboxRecord[]) => SyncStateChange): Promise<void> {
  const db = tablesOf(store);
  return db.transaction('rw', [db.outbox, db.dispositions], async () => {
    for (const id of new Set(dispositionIds)) {
      const change = decide(await db.outbox.where('dispositionId').equals(id).toArray());
      await db.dispositions.update(id, { sync: change.sync, syncMessage: change.syncMessage });
    }
  });
}

/** Failed or waiting entries that match, put back in line now; returns them. */
export async function requeue(store: Store, filter: { key?: string; dispositionId?: string; crm?: string }, now: string): Promise<OutboxRecord[]> {
  const db = tablesOf(store);
  return db.transaction('rw', db.outbox, async () => {
    const matches = await db.outbox
      .filter((e) => (e.state === 'failed' || e.state === 'pending') && (!filter.key || e.key === filter.key) && (!filter.dispositionId || e.dispositionId === filter.dispositionId) && (!filter.crm || e.crm === filter.crm))
      .toArray();
    await db.outbox.bulkPut(matches.map((e) => ({ ...e, state: 'pending' as const, nextAt: 0, updatedAt: now })));
    return matches;
  });
}

/** The sync log: what happened to each entry, for support and tests. */
export async function logSync(store: Store, rows: readonly Omit<SyncLogRecord, 'id'>[]): Promise<void> {
  const db = tablesOf(store);
  if (rows.length) await db.syncLog.bulkAdd(rows as SyncLogRecord[]);
}

export interface QueueOverview {
  counts: { pending: number; failed: number; done: number };
  /** Open entries first (pending, failed), then the latest done ones, up to the limit; with the lead's name. */
  items: (OutboxRecord & { leadName?: string })[];
}

/** The queue as the options page shows it. */
export async function queueOverview(store: Store, limit: number): Promise<QueueOverview> {
  const db = tablesOf(store);
  const [pending, failed, done] = await Promise.all((['pending', 'failed', 'done'] as const).map((s) => db.outbox.where('state').equals(s).count()));
  const open = await db.outbox.where('state').anyOf('pending', 'failed').limit(limit).toArray();
  const recent = open.length < limit ? await db.outbox.where('state').equals('done').reverse().limit(limit - open.length).toArray() : [];
  const rows = await db.dispositions.bulkGet([...new Set([...open, ...recent].filter((e) => !e.callId).map((e) => e.dispositionId))]);
  const names = new Map(rows.filter((d) => d !== undefined).map((d) => [d.id, d.leadName]));
  // A logged call's lead is named by the call's lead cache row (there is no disposition row).
  const calls = await db.calls.bulkGet([...new Set([...open, ...recent].flatMap((e) => (e.callId ? [e.callId] : [])))]);
  const leads = await db.leads.bulkGet(calls.map((c) => c?.leadKey ?? ''));
  calls.forEach((c, i) => c && names.set(callEntryId(c.callId), leads[i]?.profile.name ?? ''));
  return {
    counts: { pending: pending!, failed: failed!, done: done! },
    items: [...open, ...recent].map((e) => ({ ...e, leadName: names.get(e.dispositionId) })),
  };
}
