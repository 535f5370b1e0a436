import Dexie, { type ObservabilitySet } from 'dexie';
import { tablesOf, type Store } from './store';

/**
 * Change tracking for the dispositions table. Dexie reports each write it can see (in this page, or in
 * the background worker through its cross-context broadcast); each moves the database's generation on
 * and tells the listeners which rows changed, or 'all'. The dashboard's caches (./match.ts,
 * ./summaries.ts) and views follow it.
 */

/** More changed rows than this in one transaction: read everything again. */
const MAX_DIRTY_KEYS = 2000;

type Dirty = 'all' | string[];

const generations = new Map<string, number>();
/** Told of every change; ./summaries.ts adds one per database it summarises. */
export const changeListeners = new Set<(dbName: string, dirty: Dirty) => void>();
let listening = false;

/** The changed primary keys in one observability part, or 'all' when it names ranges rather than keys. */
function changedKeys(tree: unknown): Dirty {
  const out: string[] = [];
  const walk = (node: unknown): boolean => {
    if (!node || typeof node !== 'object' || !('from' in node)) return true;
    const n = node as { from: unknown; to: unknown; l?: unknown; r?: unknown };
    if (typeof n.from !== 'string' || n.from !== n.to || out.length >= MAX_DIRTY_KEYS) return false;
    out.push(n.from);
    return walk(n.l) && walk(n.r);
  };
  return walk(tree) ? out : 'all';
}

function onStorageMutated(parts: ObservabilitySet) {
  const changed = new Map<string, Dirty>();
  const mark = (name: string, dirty: Dirty) => {
    const before = changed.get(name);
    changed.set(name, before === 'all' || dirty === 'all' ? 'all' : [...(before ?? []), ...dirty]);
  };
  for (const [key, tree] of Object.entries(parts)) {
    if (key === 'all') {
      for (const name of generations.keys()) mark(name, 'all');
      continue;
    }
    const m = /^idb:\/\/(.+)\/dispositions\/(.*)$/.exec(key);
    if (!m) continue;
    // The primary-key part lists the rows; index parts only say that something changed.
    mark(m[1]!, m[2] === '' ? changedKeys(tree) : []);
  }
  for (const [name, dirty] of changed) announce(name, dirty);
}

/** A change to a database's dispositions: its generation moves on and the listeners hear of it. */
export function announce(name: string, dirty: Dirty) {
  generations.set(name, (generations.get(name) ?? 0) + 1);
  for (const listener of changeListeners) listener(name, dirty);
}

export function listen() {
  if (listening) return;
  listening = true;
  Dexie.on('storagemutated', onStorageMutated);
}

/** Increases whenever the dispositions table changed (anywhere Dexie can see: this page or the worker). */
export function dispositionsGeneration(store: Store): number {
  const db = tablesOf(store);
  listen();
  return generations.get(db.name) ?? 0;
}

/** Calls back after each change to the dispositions table; returns the unsubscribe function. */
export function onDispositionsChanged(store: Store, callback: () => void): () => void {
  const db = tablesOf(store);
  listen();
  if (!generations.has(db.name)) generations.set(db.name, 0);
  const listener = (name: string) => {
    if (name === db.name) callback();
  };
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}
