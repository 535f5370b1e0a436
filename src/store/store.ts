import type Dexie from 'dexie';
import { liveQuery } from 'dexie';
import { LeadQualifierDb } from './db';
import { backgroundStrings as t } from '../i18n/background';

/**
 * The store as the rest of the extension holds it: a handle to pass to `src/store`'s functions, with no
 * tables on it. Only `src/store` reads or writes IndexedDB (ADR 0008; a lint rule keeps Dexie and the
 * database module out of every other folder), so what is stored, in which transaction, and what is queued
 * for the CRM with it is decided in one place.
 */
export interface Store {
  /** A type-level brand only (no value at run time): it keeps a `Store` from being anything else. */
  readonly __store: 'lead-qualifier-store';
}

let shared: Store | undefined;

/**
 * The one store of this extension page or worker. Opened only in the background service worker and in
 * top-level extension pages (options, dashboard): never in a content script (the CRM site's origin) nor in
 * the panel iframe (third-party storage can be denied there).
 */
export function openStore(): Store {
  shared ??= new LeadQualifierDb();
  return shared;
}

/** A store of its own, under another name and IndexedDB (fake-indexeddb in tests and benches). */
export function createStore(name: string, options?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }): Store {
  return new LeadQualifierDb(name, options);
}

/** Closes and deletes a store made with `createStore` (tests, benches). */
export async function deleteStore(store: Store): Promise<void> {
  await (tablesOf(store) as Dexie).delete();
}

export function closeStore(store: Store): void {
  tablesOf(store).close();
}

/** The database's name: a key for caches that belong to one store. */
export function storeName(store: Store): string {
  return tablesOf(store).name;
}

/** How many rows a table holds (IndexedDB walks every row to count: for benches and diagnostics). */
export function countRows(store: Store, table: 'dispositions' | 'revisions'): Promise<number> {
  return tablesOf(store)[table].count();
}

/** Inside src/store: the tables behind a handle. */
export function tablesOf(store: Store): LeadQualifierDb {
  return store as unknown as LeadQualifierDb;
}

/**
 * Calls `onValue` with the querier's answer now and again whenever what it read changes (in this page or
 * another context: Dexie's live queries); returns the unsubscribe.
 */
export function watch<T>(querier: () => Promise<T>, onValue: (value: T) => void, onError: (error: unknown) => void): () => void {
  const subscription = liveQuery(querier).subscribe({ next: onValue, error: onError });
  return () => subscription.unsubscribe();
}

/** What a storage failure means for the person using the product, without losing anything stored. */
export function storageErrorMessage(error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? '';
  const inner = (error as { inner?: { name?: string } } | null)?.inner?.name ?? '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return t.storage.full;
  }
  if (name === 'VersionError' || name === 'UpgradeError' || name === 'DatabaseClosedError' || name === 'BlockedError') {
    return t.storage.upgrading;
  }
  if (name === 'DataError' || name === 'DataCloneError' || name === 'ConstraintError') {
    return t.storage.badRecord;
  }
  return t.storage.failed(name || t.storage.unknownError);
}
