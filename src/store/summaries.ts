import type { Outcome } from '../domain/dispositions';
import type { KpiRow } from '../domain/kpis';
import { announce, changeListeners, listen } from './changes';
import { decodeColumn, encodeColumnsOf, isEncodedRows, type EncodedColumn } from './columns';
import type { LeadQualifierDb } from './db';
import { NO_CONFIG_VERSION, SORT_KEYS, type SortKey } from './filters';
import type { CacheRecord, DispositionRecord } from './records';
import { tablesOf, type Store } from './store';

/**
 * The dashboard's row summaries: every filter and sort column of each row, its KPI fields and its search
 * text, kept in memory with their sorted orders, and patched row by row as Dexie reports changes
 * (./changes.ts). Reading every row is the one slow thing (seconds at 100,000 rows in Chromium), so it is
 * done once, ahead, while the page is idle (`prefetchSummaries`), and saved for the next dashboard
 * (`saveSummaries`). Once every row is summarised, ./match.ts answers filters, sorts, counts, search and
 * KPIs from memory.
 */

/** What the dashboard keeps of one row in memory (about half a kilobyte). */
export type RowSummary = Pick<
  DispositionRecord,
  'id' | 'repId' | 'outcome' | 'reasonCode' | 'decidedAt' | 'day' | 'updatedAt' | 'source' | 'campaign' | 'score' | 'scoreBand' | 'frameworkId' | 'slaState' | 'rev' | 'configVersion'
> & { kpi: KpiRow; text: string; storedAt: number; /** Decided against the recommendation (false on rows without `override`). */ override: boolean };

/** Where the summaries came from: `restored` from the saved ones, `read` from the table. */
export interface SummaryLoad {
  restored: number;
  read: number;
  ms: number;
  /** After a restore, once every row was read again: summaries that were wrong (0 unless the stamps missed a change). */
  missed?: number;
}

interface SummaryStore {
  rows: Map<string, RowSummary>;
  /** Every row of the table is in `rows` (those in `stale` are re-read before use). */
  complete: boolean;
  /** Rows changed since they were read, with the change's sequence number. */
  stale: Map<string, number>;
  /** Bumped when everything was dropped (a bulk change): reads started before are not kept. */
  resets: number;
  /** `rows` sorted by a column (ascending, ties by id), built when first needed and kept up to date. */
  orders: Map<SortKey, RowSummary[]>;
  /** One copy of each repeated value (rep, source, campaign…): 100,000 rows share a few dozen strings. */
  strings: Map<string, string>;
  /** Bumped on every change to `rows`: recent matches are kept against it (paging re-filters nothing). */
  version: number;
  matches: Map<string, { version: number; ids: string[] }>;
  loading?: Promise<void>;
  /** Background work once every row is summarised: the check of restored summaries, sorting ahead. */
  verifying?: Promise<void>;
  /** Someone waits for the running read-ahead: it stops pausing between chunks. */
  urgent: boolean;
  /** Ends the read-ahead's current pause. */
  wake?: () => void;
  refreshing?: Promise<void>;
  /** `version` when the summaries were last saved or restored: nothing to save while it is current. */
  savedVersion?: number;
  /** How the last complete read-ahead got its rows. */
  lastLoad?: SummaryLoad;
  /** The newest `storedAt` among the summaries (see `checkLatest`). */
  maxStamp: number;
  /** When the table was last checked for writes the summaries missed (see `checkLatest`). */
  checkedAt: number;
  checking?: Promise<void>;
}

/** The one store per database; exported for ./match.ts's `dropQueryCache`. */
export const summaryStores = new WeakMap<LeadQualifierDb, SummaryStore>();
let changeSeq = 0;

export function storeOf(db: LeadQualifierDb): SummaryStore {
  let store = summaryStores.get(db);
  if (!store) {
    const s: SummaryStore = { rows: new Map(), complete: false, stale: new Map(), resets: 0, orders: new Map(), strings: new Map(), version: 0, matches: new Map(), maxStamp: 0, checkedAt: 0, urgent: false };
    store = s;
    summaryStores.set(db, s);
    listen();
    changeListeners.add((name, dirty) => {
      if (name !== db.name) return;
      if (dirty === 'all') resetStore(s);
      else for (const id of dirty) s.stale.set(id, ++changeSeq);
    });
  }
  return store;
}

export function resetStore(s: SummaryStore) {
  s.version++;
  s.maxStamp = 0;
  s.matches.clear();
  s.rows.clear();
  s.stale.clear();
  s.orders.clear();
  s.complete = false;
  s.resets++;
}

/** What a summary is made of: the row's columns the dashboard filters, sorts, searches and counts by. */
type SummarySource = Pick<
  DispositionRecord,
  | 'id'
  | 'leadKey'
  | 'repId'
  | 'outcome'
  | 'reasonCode'
  | 'decidedAt'
  | 'day'
  | 'updatedAt'
  | 'source'
  | 'campaign'
  | 'score'
  | 'scoreBand'
  | 'frameworkId'
  | 'slaState'
  | 'rev'
  | 'mqlAt'
  | 'firstContactAt'
  | 'previousOutcomes'
  | 'configVersion'
  | 'override'
> & { text: string; storedAt: number };

function sourceOf(row: DispositionRecord): SummarySource {
  return {
    id: row.id,
    leadKey: row.leadKey,
    repId: row.repId,
    outcome: row.outcome,
    reasonCode: row.reasonCode,
    decidedAt: row.decidedAt,
    day: row.day,
    updatedAt: row.updatedAt,
    source: row.source,
    campaign: row.campaign,
    score: row.score,
    scoreBand: row.scoreBand,
    frameworkId: row.frameworkId,
    slaState: row.slaState,
    rev: row.rev,
    mqlAt: row.mqlAt,
    firstContactAt: row.firstContactAt,
    previousOutcomes: row.previousOutcomes,
    configVersion: row.configVersion,
    override: row.override,
    text: `${row.noteSearch}\n${row.leadName.toLowerCase()}\n${row.company.toLowerCase()}`,
    storedAt: row.storedAt ?? 0,
  };
}

function summarise(s: SummaryStore, row: DispositionRecord): RowSummary {
  return summariseSource(s, sourceOf(row));
}

function summariseSource(s: SummaryStore, src: SummarySource): RowSummary {
  if (src.storedAt > s.maxStamp) s.maxStamp = src.storedAt;
  const one = (v: string) => {
    const known = s.strings.get(v);
    if (known !== undefined) return known;
    s.strings.set(v, v);
    return v;
  };
  const rep = one(src.repId);
  const source = one(src.source);
  const campaign = one(src.campaign);
  const reasonCode = one(src.reasonCode);
  const kpi = toKpiRow(src);
  // One copy of each repeated value (see `strings`).
  kpi.rep = rep;
  kpi.source = source;
  kpi.campaign = campaign;
  kpi.reasonCode = reasonCode || undefined;
  return {
    id: src.id,
    repId: rep,
    outcome: src.outcome,
    reasonCode,
    decidedAt: src.decidedAt,
    day: one(src.day),
    updatedAt: src.updatedAt,
    source,
    campaign,
    score: src.score,
    scoreBand: src.scoreBand,
    frameworkId: one(src.frameworkId),
    slaState: src.slaState,
    rev: src.rev,
    configVersion: src.configVersion,
    override: src.override === true,
    kpi,
    text: src.text,
    storedAt: src.storedAt,
  };
}

export function compareSummaries(key: SortKey) {
  return (a: RowSummary, b: RowSummary): number => {
    const x = a[key];
    const y = b[key];
    if (x !== y) return x < y ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

function isSorted<T>(list: readonly T[], cmp: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (cmp(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

/** Where `item` goes in `list` (sorted by `cmp`): the first position whose element is not smaller. */
function lowerBound<T>(list: readonly T[], item: T, cmp: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid]!, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Replaces one row's summary (or removes it), keeping the sorted orders sorted. */
function putSummary(s: SummaryStore, id: string, next: RowSummary | undefined) {
  s.version++;
  const before = s.rows.get(id);
  if (next) s.rows.set(id, next);
  else s.rows.delete(id);
  for (const [key, order] of s.orders) {
    const cmp = compareSummaries(key);
    if (before) {
      const at = lowerBound(order, before, cmp);
      if (order[at] === before) order.splice(at, 1);
      else {
        // Not where it should be (cannot happen unless a summary was changed in place): rebuild later.
        s.orders.delete(key);
        continue;
      }
    }
    if (next) order.splice(lowerBound(order, next, cmp), 0, next);
  }
}

/**
 * Keeps what was read, unless the row changed again after `seqBefore` (the read may predate that
 * change) or everything was dropped meanwhile. `ids` are the rows asked for: those not found are gone.
 */
function absorb(s: SummaryStore, ids: readonly string[], rows: readonly (DispositionRecord | undefined)[], seqBefore: number, resetsBefore: number) {
  if (s.resets !== resetsBefore) return;
  // Many rows at once: cheaper to drop the orders and sort again when next needed.
  if (ids.length > 200) s.orders.clear();
  ids.forEach((id, i) => {
    const changed = s.stale.get(id);
    if (changed !== undefined && changed > seqBefore) return;
    const row = rows[i];
    putSummary(s, id, row ? summarise(s, row) : undefined);
    if (changed !== undefined) s.stale.delete(id);
  });
}

/** Re-reads the rows changed since they were summarised. */
export async function refreshStale(store: Store, s: SummaryStore): Promise<number> {
  const db = tablesOf(store);
  let read = 0;
  while (s.stale.size > 0) {
    if (s.refreshing) {
      await s.refreshing;
      continue;
    }
    const ids = [...s.stale.keys()].slice(0, READ_CHUNK);
    const seqBefore = changeSeq;
    const resetsBefore = s.resets;
    s.refreshing = db.dispositions
      .bulkGet(ids)
      .then((rows) => absorb(s, ids, rows, seqBefore, resetsBefore))
      .finally(() => (s.refreshing = undefined));
    await s.refreshing;
    read += ids.length;
  }
  return read;
}

/** Every summarised row sorted by a column, ascending (ties by id), kept between queries. */
export function sortedSummaries(s: SummaryStore, key: SortKey): RowSummary[] {
  let order = s.orders.get(key);
  if (!order) {
    order = [...s.rows.values()].sort(compareSummaries(key));
    s.orders.set(key, order);
  }
  return order;
}

/** How often, at most, the table is checked for writes the summaries were not told about (in the background). */
const CHECK_MS = 10_000;

/**
 * Looks for writes whose change event never came (at most every `CHECK_MS`, without holding up the
 * answer): every write to a disposition gets a new `storedAt` stamp (db.ts), so rows stamped after the
 * newest stamp summarised are one index range, empty when nothing was missed. Missed rows are read and
 * the change listeners told, so every view asks again. (Not a count of the table: IndexedDB counts by
 * walking every row, over 100 ms at 100,000 rows, and holds up other reads meanwhile.)
 */
export function checkLatest(store: Store, s: SummaryStore) {
  const db = tablesOf(store);
  const now = Date.now();
  if (s.checking || now - s.checkedAt < CHECK_MS) return;
  s.checkedAt = now;
  const resetsBefore = s.resets;
  const seqBefore = changeSeq;
  s.checking = (async () => {
    const newer = await db.dispositions.where('storedAt').above(s.maxStamp).toArray();
    if (s.resets !== resetsBefore || !s.complete) return;
    const missed = newer.filter((row) => s.rows.get(row.id)?.storedAt !== row.storedAt && !s.stale.has(row.id));
    if (missed.length === 0) return;
    absorb(
      s,
      missed.map((r) => r.id),
      missed,
      seqBefore,
      resetsBefore,
    );
    announce(db.name, []);
  })()
    .catch(() => {})
    .finally(() => (s.checking = undefined));
}

/** Rows per `bulkGet` (also ./match.ts's `readRows`). */
export const READ_CHUNK = 5000;

/** The summaries of the given rows, reading those not summarised (or changed) since; and how many were read. */
export async function summariesFor(store: Store, ids: readonly string[]): Promise<{ rows: RowSummary[]; read: number }> {
  const db = tablesOf(store);
  const s = storeOf(db);
  const missing = ids.filter((id) => !s.rows.has(id) || s.stale.has(id));
  if (missing.length > 20_000) {
    // Most of the table: read all of it in primary-key chunks (one `getAll` each), not id by id.
    await prefetchSummaries(db);
    await refreshStale(db, s);
  } else {
    for (let i = 0; i < missing.length; i += READ_CHUNK) {
      const chunk = missing.slice(i, i + READ_CHUNK);
      const seqBefore = changeSeq;
      const resetsBefore = s.resets;
      absorb(s, chunk, await db.dispositions.bulkGet(chunk), seqBefore, resetsBefore);
    }
  }
  const rows: RowSummary[] = [];
  for (const id of ids) {
    const r = s.rows.get(id);
    if (r) rows.push(r);
  }
  return { rows, read: missing.length };
}

export interface PrefetchOptions {
  /** Rows per read; default 2,000 (small enough not to hold the page up). */
  chunk?: number;
  /** Awaited between chunks, e.g. to wait for an idle moment. */
  pause?: () => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Summarises every row ahead, in chunks, skipping rows already summarised: afterwards filters, search and
 * KPIs are answered from memory. The dashboard calls it when idle; a second call joins the running one.
 */
export function prefetchSummaries(store: Store, options: PrefetchOptions = {}): Promise<void> {
  const db = tablesOf(store);
  const s = storeOf(db);
  if (s.complete) return refreshStale(db, s).then(() => {});
  s.loading ??= readEverything(db, s, options).finally(() => {
    s.loading = undefined;
    s.urgent = false;
  });
  return s.loading;
}

async function readEverything(db: LeadQualifierDb, s: SummaryStore, options: PrefetchOptions): Promise<void> {
  const started = performance.now();
  // The summaries saved last time and the rows stamped since, when there are any; every row is then
  // read again in the background to confirm them (see `verifySummaries`).
  if (s.rows.size === 0 && (await restoreSummaries(db, s, started).catch(() => false))) {
    inBackground(s, verifySummaries(db, s, options));
    return;
  }
  const resetsAtStart = s.resets;
  let read = 0;
  const done = await walkRows(db, s, options, (keys) => {
    const missing = keys.filter((k) => !s.rows.has(k));
    read += missing.length;
    return missing;
  });
  // Rows added or changed meanwhile are in `stale` and are read before the next answer.
  if (done && s.resets === resetsAtStart) {
    s.complete = true;
    s.lastLoad = { restored: 0, read, ms: performance.now() - started };
    inBackground(s, sortAhead(s, options));
  }
}

/** Work after the read-ahead that answers need not wait for (`summariesVerified` waits for it). */
function inBackground(s: SummaryStore, work: Promise<void>) {
  s.verifying = work.catch(() => {}).finally(() => (s.verifying = undefined));
}

/**
 * Walks the table in primary-key chunks, reading (and summarising) the rows `pick` asks for in each
 * chunk of keys: a whole chunk with one range read when most of it is wanted, else id by id. Pauses
 * between chunks unless someone waits. False when stopped (aborted, or everything was dropped).
 */
async function walkRows(
  db: LeadQualifierDb,
  s: SummaryStore,
  options: PrefetchOptions,
  pick: (keys: string[], rows?: Map<string, DispositionRecord>) => string[],
  readWhole = false,
): Promise<boolean> {
  const chunk = options.chunk ?? 2000;
  const resetsAtStart = s.resets;
  let after: string | undefined;
  for (;;) {
    if (options.signal?.aborted || s.resets !== resetsAtStart) return false;
    const range = after === undefined ? db.dispositions.toCollection() : db.dispositions.where(':id').above(after);
    const seqBefore = changeSeq;
    const resetsBefore = s.resets;
    let keys: string[];
    let byId: Map<string, DispositionRecord> | undefined;
    if (readWhole) {
      const rows = await range.limit(chunk).toArray();
      keys = rows.map((r) => r.id);
      byId = new Map(rows.map((r) => [r.id, r]));
    } else {
      // The keys first: rows already summarised are not read again.
      keys = (await range.limit(chunk).primaryKeys()) as string[];
    }
    if (keys.length === 0) break;
    const wanted = pick(keys, byId);
    if (wanted.length > 0 && !byId) {
      if (wanted.length > chunk / 2) {
        const rows = await db.dispositions.where(':id').between(keys[0]!, keys.at(-1)!, true, true).toArray();
        byId = new Map(rows.map((r) => [r.id, r]));
      } else {
        const rows = await db.dispositions.bulkGet(wanted);
        byId = new Map(wanted.map((id, i) => [id, rows[i]!]));
      }
    }
    if (wanted.length > 0) absorb(s, wanted, wanted.map((id) => byId!.get(id)), seqBefore, resetsBefore);
    after = keys.at(-1)!;
    if (keys.length < chunk) break;
    if (options.pause && !s.urgent) await Promise.race([options.pause(), new Promise<void>((wake) => (s.wake = wake))]);
    s.wake = undefined;
  }
  return s.resets === resetsAtStart;
}

/**
 * After a restore, reads every row once more (while idle, in the background: answers do not wait for
 * it) and puts right any summary that differs from its row, or whose row is gone. Finding one means a
 * change the stamps did not reveal (e.g. the system clock was set back): the views are told to ask again.
 */
async function verifySummaries(db: LeadQualifierDb, s: SummaryStore, options: PrefetchOptions): Promise<void> {
  const seqAtStart = changeSeq;
  const seen = new Set<string>();
  let missed = 0;
  const done = await walkRows(
    db,
    s,
    options,
    (keys, rows) =>
      keys.filter((id) => {
        seen.add(id);
        const stamp = rows!.get(id)!.storedAt ?? 0;
        const differs = s.rows.get(id)?.storedAt !== stamp && !s.stale.has(id);
        if (differs) missed++;
        return differs;
      }),
    true,
  );
  if (!done) return;
  for (const id of [...s.rows.keys()]) {
    if (seen.has(id) || (s.stale.get(id) ?? 0) > seqAtStart) continue;
    putSummary(s, id, undefined);
    missed++;
  }
  if (s.lastLoad) s.lastLoad = { ...s.lastLoad, missed };
  if (missed > 0) {
    announce(db.name, []);
  }
  await sortAhead(s, options);
}

/** Sorts the summaries by every column while idle, so the first sort by a column waits for nothing. */
async function sortAhead(s: SummaryStore, options: PrefetchOptions): Promise<void> {
  const resetsAtStart = s.resets;
  for (const key of SORT_KEYS) {
    if (options.signal?.aborted || s.resets !== resetsAtStart || !s.complete) return;
    if (s.orders.has(key)) continue;
    // A task of its own each (not just a microtask): whoever awaits the read-ahead goes first.
    await (options.pause?.() ?? new Promise((resolve) => setTimeout(resolve, 0)));
    if (s.complete && s.resets === resetsAtStart) sortedSummaries(s, key);
  }
}

// ---------------------------------------------------------------------------------------------------
// Saved summaries.
//
// Reading every row takes seconds at 100,000 rows (on disk, in Chromium); until then filters wait. So
// the summaries are also saved (`saveSummaries`, in the `caches` table, column by column: see
// ./columns.ts) and the next dashboard starts from them, plus the rows written since. The store stamps
// every write to a disposition with `storedAt` (db.ts), indexed: the rows stamped since the save (less a
// margin for slow transactions) are one index range. Then, in the background, every row is read once
// more and compared by stamp (`verifySummaries`), so anything the stamps missed (a row deleted, a system
// clock set back) is put right within seconds, and the views are told.

const SUMMARY_CACHE_KEY = 'dashboard-summaries';
/**
 * How long before a save a write may have been stamped and still not be in it (a transaction still
 * running). Kept short, since every row in it is read again on restore (after a bulk import that is
 * most of them); a slower write is still found by the check after the restore (`verifySummaries`).
 */
const STAMP_MARGIN_MS = 2_000;
/** Bumped whenever `SummarySource` changes: summaries saved in another format are not used. */
const SUMMARY_CACHE_FORMAT = 2;
const SOURCE_KEYS = [
  'id', 'leadKey', 'repId', 'outcome', 'reasonCode', 'decidedAt', 'day', 'updatedAt', 'source', 'campaign', 'score', 'scoreBand',
  'frameworkId', 'slaState', 'rev', 'mqlAt', 'firstContactAt', 'previousOutcomes', 'text', 'storedAt', 'configVersion', 'override',
] as const;
type SourceKey = (typeof SOURCE_KEYS)[number];

/**
 * Saves the summaries of every row, when they are complete and up to date (returns false otherwise).
 * The dashboard calls it once every row is summarised, and now and then after changes: a summary saved
 * a little while ago is still useful, since only the rows changed since are read again.
 */
export async function saveSummaries(store: Store, options: { pause?: () => Promise<void> } = {}): Promise<boolean> {
  const db = tablesOf(store);
  const s = storeOf(db);
  if (!s.complete) return false;
  await refreshStale(db, s);
  if (!s.complete || s.stale.size > 0) return false;
  const version = s.version;
  const resetsBefore = s.resets;
  if (s.savedVersion === version) return true;
  const savedAt = new Date().toISOString();
  // In decision order, the dashboard's default: restored, it needs no sorting. A copy of the order is the
  // state saved (summaries are replaced on change, never edited), encoded column by column from the
  // summaries themselves, with a pause between columns so the page never stalls on it.
  const order = sortedSummaries(s, 'decidedAt').slice();
  const at = (i: number) => order[i]!;
  const getters: Record<SourceKey, (i: number) => string | number | undefined> = {
    id: (i) => at(i).id,
    leadKey: (i) => at(i).kpi.leadId,
    repId: (i) => at(i).repId,
    outcome: (i) => at(i).outcome,
    reasonCode: (i) => at(i).reasonCode,
    decidedAt: (i) => at(i).decidedAt,
    day: (i) => at(i).day,
    updatedAt: (i) => at(i).updatedAt,
    source: (i) => at(i).source,
    campaign: (i) => at(i).campaign,
    score: (i) => at(i).score,
    scoreBand: (i) => at(i).scoreBand,
    frameworkId: (i) => at(i).frameworkId,
    slaState: (i) => at(i).slaState,
    rev: (i) => at(i).rev,
    mqlAt: (i) => at(i).kpi.mqlAt,
    firstContactAt: (i) => at(i).kpi.firstContactAt,
    previousOutcomes: (i) => at(i).kpi.previousOutcomes?.join(','),
    text: (i) => at(i).text,
    storedAt: (i) => at(i).storedAt,
    configVersion: (i) => at(i).configVersion,
    // A number column (columns hold strings or numbers): 1 for an override, 0 otherwise.
    override: (i) => (at(i).override ? 1 : 0),
  };
  const columns = {} as Record<SourceKey, EncodedColumn>;
  for (const key of SOURCE_KEYS) {
    await options.pause?.();
    // Dropped meanwhile (a bulk change): not worth saving. Changed row by row: the copy is still a
    // consistent past state, and the stamps tell the next restore which rows to read again.
    if (s.resets !== resetsBefore) return false;
    columns[key] = encodeColumnsOf(order.length, { [key]: getters[key] } as Record<SourceKey, (i: number) => string | number | undefined>).columns[key];
  }
  await options.pause?.();
  if (s.resets !== resetsBefore) return false;
  await putCache(db, { key: SUMMARY_CACHE_KEY, format: SUMMARY_CACHE_FORMAT, savedAt, value: { length: order.length, columns } });
  s.savedVersion = version;
  return true;
}

/**
 * Writes a cache record straight to IndexedDB: Dexie's API would deep-copy a value this size on the
 * page's thread (hundreds of ms at 100,000 rows), and nothing watches this table.
 */
async function putCache(db: LeadQualifierDb, record: CacheRecord): Promise<void> {
  if (!db.isOpen()) await db.open();
  await new Promise<void>((resolve, reject) => {
    const tx = db.backendDB().transaction('caches', 'readwrite');
    tx.objectStore('caches').put(record);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('The cache could not be written.'));
    tx.onabort = () => reject(tx.error ?? new Error('The cache write was aborted.'));
  });
}

/** Forgets the saved summaries (the next dashboard reads every row again). */
export async function clearSavedSummaries(store: Store): Promise<void> {
  const db = tablesOf(store);
  await db.caches.delete(SUMMARY_CACHE_KEY);
}

/**
 * Fills the summaries from the saved ones and the rows changed since; false when there is nothing
 * usable saved (or most rows changed since), and the caller reads every row instead.
 */
async function restoreSummaries(db: LeadQualifierDb, s: SummaryStore, started: number): Promise<boolean> {
  const resetsBefore = s.resets;
  const seqBefore = changeSeq;
  const saved = await db.caches.get(SUMMARY_CACHE_KEY);
  if (!saved || saved.format !== SUMMARY_CACHE_FORMAT || !isEncodedRows(saved.value, SOURCE_KEYS)) return false;
  const from = Date.parse(saved.savedAt);
  // A clock now behind the save's: stamps can no longer be compared with it.
  if (!(from <= Date.now())) return false;
  // Every write the saved summaries may lack was stamped after this (a write is stamped when it is
  // made, and the summaries had taken in every write committed and announced by the time saving began).
  const changedRows = await db.dispositions.where('storedAt').aboveOrEqual(from - STAMP_MARGIN_MS).toArray();
  if (s.resets !== resetsBefore) return false;

  const encoded = saved.value;
  const column = <T>(key: SourceKey) => decodeColumn(encoded.columns[key], encoded.length) as T[];
  const outcomeLists = new Map<string, Outcome[]>();
  const outcomesOf = (joined: string | undefined) => {
    if (joined === undefined) return undefined as unknown as Outcome[];
    let list = outcomeLists.get(joined);
    if (!list) outcomeLists.set(joined, (list = joined ? (joined.split(',') as Outcome[]) : []));
    return list;
  };
  const [id, leadKey, repId, outcome, reasonCode, decidedAt, day, updatedAt, source, campaign, frameworkId, slaState, mqlAt, firstContactAt, previousOutcomes, text] = (
    ['id', 'leadKey', 'repId', 'outcome', 'reasonCode', 'decidedAt', 'day', 'updatedAt', 'source', 'campaign', 'frameworkId', 'slaState', 'mqlAt', 'firstContactAt', 'previousOutcomes', 'text'] as const
  ).map((k) => column<string>(k));
  const [score, scoreBand, rev, storedAt, configVersion, override] = (['score', 'scoreBand', 'rev', 'storedAt', 'configVersion', 'override'] as const).map((k) => column<number>(k));
  // Saved in decision order (see `saveSummaries`): that sorted order comes back for free.
  const byDecision: RowSummary[] = [];
  for (let j = 0; j < encoded.length; j++) {
    // Changed since this restore began: read again (it is in `stale`).
    if ((s.stale.get(id![j]!) ?? 0) > seqBefore) continue;
    const summary = summariseSource(s, {
      id: id![j]!,
      leadKey: leadKey![j]!,
      repId: repId![j]!,
      outcome: outcome![j] as Outcome,
      reasonCode: reasonCode![j]!,
      decidedAt: decidedAt![j]!,
      day: day![j]!,
      updatedAt: updatedAt![j]!,
      source: source![j]!,
      campaign: campaign![j]!,
      score: score![j]!,
      scoreBand: scoreBand![j]!,
      frameworkId: frameworkId![j]!,
      slaState: slaState![j] as DispositionRecord['slaState'],
      rev: rev![j]!,
      mqlAt: mqlAt![j],
      firstContactAt: firstContactAt![j],
      previousOutcomes: outcomesOf(previousOutcomes![j]),
      text: text![j]!,
      storedAt: storedAt![j]!,
      configVersion: configVersion![j],
      override: override![j] === 1,
    });
    s.rows.set(summary.id, summary);
    byDecision.push(summary);
  }
  s.version++;
  s.orders.clear();
  if (isSorted(byDecision, compareSummaries('decidedAt'))) s.orders.set('decidedAt', byDecision);
  const changed = changedRows.filter((row) => s.rows.get(row.id)?.storedAt !== row.storedAt);
  absorb(
    s,
    changed.map((r) => r.id),
    changed,
    seqBefore,
    resetsBefore,
  );
  if (s.resets !== resetsBefore) return false;
  s.complete = true;
  if (changed.length === 0) s.savedVersion = s.version;
  s.lastLoad = { restored: s.rows.size - changed.length, read: changed.length, ms: performance.now() - started };
  return true;
}

/** Resolves when the background work after the read-ahead (checking restored summaries, sorting ahead) is over. */
export async function summariesVerified(store: Store): Promise<void> {
  const db = tablesOf(store);
  await summaryStores.get(db)?.verifying;
}

/**
 * The config versions the rows were decided under, ascending, with `NO_CONFIG_VERSION` (0) first when
 * some rows have none (the column is not indexed). From the summaries when every row is summarised, or
 * soon will be (the read-ahead is joined and hurried: quick from saved summaries); a pass over them takes
 * a few ms at 100,000 rows. This never starts the read-ahead itself (the page decides when every row is
 * read): without one, the column is read straight from the table, in primary-key chunks.
 */
export async function configVersionsPresent(store: Store): Promise<number[]> {
  const db = tablesOf(store);
  const s = storeOf(db);
  // A page opening starts its read-ahead in the same commit as the query that asks this: let it.
  if (!s.complete && !s.loading) await new Promise((resolve) => setTimeout(resolve, 0));
  if (!s.complete && s.loading) {
    s.urgent = true;
    s.wake?.();
    await s.loading.catch(() => {});
  }
  const versions = new Set<number>();
  if (s.complete) {
    await refreshStale(db, s);
    if (s.complete) {
      for (const r of s.rows.values()) versions.add(r.configVersion ?? NO_CONFIG_VERSION);
      return [...versions].sort((a, b) => a - b);
    }
  }
  let after: string | undefined;
  for (;;) {
    const range = after === undefined ? db.dispositions.toCollection() : db.dispositions.where(':id').above(after);
    const rows = await range.limit(READ_CHUNK).toArray();
    for (const r of rows) versions.add(r.configVersion ?? NO_CONFIG_VERSION);
    if (rows.length < READ_CHUNK) break;
    after = rows.at(-1)!.id;
  }
  return [...versions].sort((a, b) => a - b);
}

/** How many rows are summarised (for a progress hint), and whether all of them are. */
export function summaryStatus(store: Store): { rows: number; complete: boolean; lastLoad?: SummaryLoad } {
  const db = tablesOf(store);
  const s = summaryStores.get(db);
  return { rows: s?.rows.size ?? 0, complete: s?.complete ?? false, lastLoad: s?.lastLoad };
}

/**
 * A dashboard row as the KPI engine counts it. The store has no separate SAL stage, so a lead counts as
 * sales-accepted from the rep's first logged contact: the rep took it on (the usual SAL definition),
 * whatever the decision after the call.
 */
export function toKpiRow(
  row: Pick<DispositionRecord, 'id' | 'leadKey' | 'repId' | 'mqlAt' | 'firstContactAt' | 'decidedAt' | 'outcome' | 'previousOutcomes' | 'reasonCode' | 'score' | 'source' | 'campaign'>,
): KpiRow {
  return {
    dispositionId: row.id,
    leadId: row.leadKey,
    rep: row.repId,
    mqlAt: row.mqlAt,
    salAt: row.firstContactAt,
    firstContactAt: row.firstContactAt,
    decidedAt: row.decidedAt,
    outcome: row.outcome,
    previousOutcomes: row.previousOutcomes,
    reasonCode: row.reasonCode || undefined,
    score: row.score,
    source: row.source,
    campaign: row.campaign,
  };
}
