import Dexie, { type IndexableType, type ObservabilitySet } from 'dexie';
import { z } from 'zod';
import { verifyChain, type ChainCheck, type Outcome } from '../domain/dispositions';
import { checkImportedChain, reviewKey } from '../domain/note-format';
import type { ScoredLead } from '../domain/feedback';
import type { KpiRow } from '../domain/kpis';
import { backgroundStrings as t } from '../i18n/background';
import { decodeColumn, encodeColumnsOf, isEncodedRows, type EncodedColumn } from './columns';
import type { LeadQualifierDb } from './db';
import type { CacheRecord, DispositionRecord, RevisionRecord, ReviewRecord } from './records';

/**
 * The manager dashboard's reads over the local store, fast at 100,000 dispositions.
 *
 * A filtered, sorted page (`matchDispositions`) is answered in one of two ways:
 *
 * From memory, once every row is summarised (`prefetchSummaries`, run while the dashboard is idle): a
 * summary holds each row's filter and sort columns, KPI fields and search text; the sorted orders are kept
 * and patched row by row as Dexie reports changes (in this page, or in the background worker through
 * Dexie's cross-context broadcast). Filter, sort, count and search are one pass over 100,000 summaries.
 *
 * From the indexes until then (right after opening, or after a bulk change such as an import):
 * 1. Every filter on an indexed column becomes one key range on the best index for it: with a date range,
 *    rep, outcome and reason code use their compound index with the decision date (`[repId+decidedAt]`…),
 *    which answers both at once, in date order; the other columns use their own index.
 * 2. Each range is read as primary keys only (`getAllKeys`: no row is cloned), and the key lists are
 *    intersected in JS starting from the smallest (the most selective index drives).
 * 3. The order comes from the driving index when it already is the wanted one, from sorting the few rows
 *    in JS when the match is small, or else from the sort column's index read once as keys.
 * 4. Only what no index answers (search in notes, "changed after the first decision") reads rows, and
 *    only the rows left after step 2.
 * Key lists and matches are cached until the table changes, so paging reads nothing but the page.
 *
 * Either way the count is the length of the id list and a page is one `bulkGet` of its ids. Cursors with
 * JS filters or large offsets are avoided on purpose: they cost a round trip per row. Measured figures:
 * `scripts/bench-dashboard.ts`.
 */

export interface DispositionFilters {
  repId?: string;
  outcome?: Outcome;
  reasonCode?: string;
  /** First decision on or after this UTC day (YYYY-MM-DD). */
  from?: string;
  /** First decision on or before this UTC day (YYYY-MM-DD). */
  to?: string;
  /** '' selects rows with no source. */
  source?: string;
  /** '' selects rows with no campaign. */
  campaign?: string;
  /** Lower bound of the band: 0, 20, 40, 60, 80. */
  scoreBand?: number;
  frameworkId?: string;
  slaState?: DispositionRecord['slaState'];
  /** Words that must all appear in the latest note, the lead's name or the company (any case). */
  search?: string;
  /** Only dispositions changed after their first decision (more than one revision). */
  revisedOnly?: boolean;
}

export const SORT_KEYS = ['decidedAt', 'updatedAt', 'score', 'repId', 'outcome', 'reasonCode', 'source', 'campaign', 'slaState'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface DispositionSort {
  key: SortKey;
  direction: 'asc' | 'desc';
}
export const DEFAULT_SORT: DispositionSort = { key: 'decidedAt', direction: 'desc' };

export interface PageRequest {
  offset: number;
  limit: number;
}

/** How a match was answered: for tests and the bench, and to explain a slow filter. */
export interface QueryPlan {
  /** The index ranges read (cache keys), most selective first; the first one drove the match. */
  indexes: string[];
  /** How many of those came from the cache. */
  cached: number;
  /** `memory`: answered from the row summaries; the others from the indexes. */
  order: 'memory' | 'driver' | 'js' | 'index';
  /** Rows read to apply filters no index answers. */
  rowsScanned: number;
}

export interface DispositionMatch {
  /** Matching ids, in the requested order. */
  ids: string[];
  total: number;
  /** Every disposition in the store, filtered or not. */
  all: number;
  plan: QueryPlan;
}

/** Removes empty values, so `{ repId: undefined }` and `{}` are the same filter (and the same cache key). */
export function normaliseFilters(filters: DispositionFilters): DispositionFilters {
  const out: DispositionFilters = {};
  for (const [k, v] of Object.entries(filters) as [keyof DispositionFilters, unknown][]) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'string' && v === '' && k !== 'source' && k !== 'campaign') continue;
    if (k === 'search' && typeof v === 'string' && searchTerms(v).length === 0) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

export function searchTerms(search: string | undefined): string[] {
  return (search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

export function hasFilters(filters: DispositionFilters): boolean {
  return Object.keys(normaliseFilters(filters)).length > 0;
}

// ---------------------------------------------------------------------------------------------------
// Caches.
//
// 1. Key lists and whole matches of the index path, dropped whenever the dispositions table changes.
// 2. Row summaries: every filter and sort column of each row, its KPI fields and its search text, kept
//    in memory and updated row by row from Dexie's change events. Reading every row is the one slow thing
//    here (seconds at 100,000 rows in Chromium), so it is done once, ahead, while the page is idle; once
//    every row is summarised, filters, sorts, counts, search and KPIs are answered from memory.

/** What the dashboard keeps of one row in memory (about half a kilobyte). */
export type RowSummary = Pick<
  DispositionRecord,
  'id' | 'repId' | 'outcome' | 'reasonCode' | 'decidedAt' | 'day' | 'updatedAt' | 'source' | 'campaign' | 'score' | 'scoreBand' | 'frameworkId' | 'slaState' | 'rev'
> & { kpi: KpiRow; text: string; storedAt: number };

interface QueryCache {
  generation: number;
  /** The table's row count at this generation (counting is a walk over the table in Chromium). */
  count?: Promise<number>;
  keys: Map<string, Promise<string[]>>;
  matches: Map<string, Promise<Omit<DispositionMatch, 'all'>>>;
}

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

/** Enough for the sort orders and a handful of recent filters; each list is at most one string per row. */
const MAX_CACHED_LISTS = 24;
const MAX_CACHED_MATCHES = 8;
/** More changed rows than this in one transaction: read everything again. */
const MAX_DIRTY_KEYS = 2000;

type Dirty = 'all' | string[];

const generations = new Map<string, number>();
const changeListeners = new Set<(dbName: string, dirty: Dirty) => void>();
const caches = new WeakMap<LeadQualifierDb, QueryCache>();
const summaryStores = new WeakMap<LeadQualifierDb, SummaryStore>();
let listening = false;
let changeSeq = 0;

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
function announce(name: string, dirty: Dirty) {
  generations.set(name, (generations.get(name) ?? 0) + 1);
  for (const listener of changeListeners) listener(name, dirty);
}

function listen() {
  if (listening) return;
  listening = true;
  Dexie.on('storagemutated', onStorageMutated);
}

/** Increases whenever the dispositions table changed (anywhere Dexie can see: this page or the worker). */
export function dispositionsGeneration(db: LeadQualifierDb): number {
  listen();
  return generations.get(db.name) ?? 0;
}

/** Calls back after each change to the dispositions table; returns the unsubscribe function. */
export function onDispositionsChanged(db: LeadQualifierDb, callback: () => void): () => void {
  listen();
  if (!generations.has(db.name)) generations.set(db.name, 0);
  const listener = (name: string) => {
    if (name === db.name) callback();
  };
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

function cacheOf(db: LeadQualifierDb): QueryCache {
  const generation = dispositionsGeneration(db);
  let cache = caches.get(db);
  if (!cache || cache.generation !== generation) {
    cache = { generation, keys: new Map(), matches: new Map() };
    caches.set(db, cache);
  }
  return cache;
}

function storeOf(db: LeadQualifierDb): SummaryStore {
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

function resetStore(s: SummaryStore) {
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
    kpi,
    text: src.text,
    storedAt: src.storedAt,
  };
}

function compareSummaries(key: SortKey) {
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
async function refreshStale(db: LeadQualifierDb, s: SummaryStore): Promise<number> {
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
function sortedSummaries(s: SummaryStore, key: SortKey): RowSummary[] {
  let order = s.orders.get(key);
  if (!order) {
    order = [...s.rows.values()].sort(compareSummaries(key));
    s.orders.set(key, order);
  }
  return order;
}

/** The filters as a list of checks: only those in use are run, once per row. */
function predicate(f: DispositionFilters): (r: RowSummary) => boolean {
  const checks: ((r: RowSummary) => boolean)[] = [];
  const { repId, outcome, reasonCode, from, to, source, campaign, scoreBand, frameworkId, slaState } = f;
  if (repId !== undefined) checks.push((r) => r.repId === repId);
  if (outcome !== undefined) checks.push((r) => r.outcome === outcome);
  if (reasonCode !== undefined) checks.push((r) => r.reasonCode === reasonCode);
  if (from !== undefined) checks.push((r) => r.day >= from);
  if (to !== undefined) checks.push((r) => r.day <= to);
  if (source !== undefined) checks.push((r) => r.source === source);
  if (campaign !== undefined) checks.push((r) => r.campaign === campaign);
  if (scoreBand !== undefined) checks.push((r) => r.scoreBand === scoreBand);
  if (frameworkId !== undefined) checks.push((r) => r.frameworkId === frameworkId);
  if (slaState !== undefined) checks.push((r) => r.slaState === slaState);
  if (f.revisedOnly) checks.push((r) => r.rev > 1);
  for (const term of searchTerms(f.search)) checks.push((r) => r.text.includes(term));
  return (r) => {
    for (const check of checks) if (!check(r)) return false;
    return true;
  };
}

/** How often, at most, the table is checked for writes the summaries were not told about (in the background). */
const CHECK_MS = 10_000;

/**
 * The match from memory, when every row is summarised; undefined when the store must be asked.
 * Nothing here counts the table: IndexedDB counts by walking every row (over 100 ms at 100,000 rows in
 * Chromium), so the summaries' own count is used; `checkLatest` looks for missed writes in the background.
 */
async function memoryMatch(db: LeadQualifierDb, f: DispositionFilters, sort: DispositionSort): Promise<{ rows: () => RowSummary[]; rowsScanned: number; all: number } | undefined> {
  const s = storeOf(db);
  if (!s.complete && s.loading) {
    // The read-ahead is running (the dashboard starts it on opening): waiting for it, unpaused, is
    // quicker than the indexes (from saved summaries it takes a fraction of a second; reading every row
    // takes seconds, and so do the indexes on disk for anything but the simplest filters).
    s.urgent = true;
    s.wake?.();
    await s.loading.catch(() => {});
  }
  if (!s.complete) return undefined;
  const rowsScanned = await refreshStale(db, s);
  if (!s.complete) return undefined;
  checkLatest(db, s);
  const rows = () => {
    const keep = predicate(f);
    const order = sortedSummaries(s, sort.key);
    const out: RowSummary[] = [];
    // One pass over the kept order, in the wanted direction: no copies of 100,000-row arrays.
    if (sort.direction === 'asc') {
      for (const r of order) if (keep(r)) out.push(r);
    } else {
      for (let i = order.length - 1; i >= 0; i--) if (keep(order[i]!)) out.push(order[i]!);
    }
    return out;
  };
  return { rows, rowsScanned, all: s.rows.size };
}

/**
 * Looks for writes whose change event never came (at most every `CHECK_MS`, without holding up the
 * answer): every write to a disposition gets a new `storedAt` stamp (db.ts), so rows stamped after the
 * newest stamp summarised are one index range, empty when nothing was missed. Missed rows are read and
 * the change listeners told, so every view asks again. (Not a count of the table: IndexedDB counts by
 * walking every row, over 100 ms at 100,000 rows, and holds up other reads meanwhile.)
 */
function checkLatest(db: LeadQualifierDb, s: SummaryStore) {
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

/** The table's row count, counted once per change to the table. */
function countOf(db: LeadQualifierDb): Promise<number> {
  const cache = cacheOf(db);
  if (!cache.count) {
    const counting = db.dispositions.count();
    cache.count = counting;
    counting.catch(() => {
      if (cache.count === counting) cache.count = undefined;
    });
  }
  return cache.count;
}

function lru<V>(map: Map<string, V>, key: string, make: () => V, max: number): { value: V; hit: boolean } {
  const hit = map.get(key);
  if (hit !== undefined) {
    // Least recently used goes first when the cache is full.
    map.delete(key);
    map.set(key, hit);
    return { value: hit, hit: true };
  }
  const value = make();
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
  return { value, hit: false };
}

function cachedKeys(cache: QueryCache, key: string, read: () => Promise<IndexableType[]>): { list: Promise<string[]>; hit: boolean } {
  const { value, hit } = lru(
    cache.keys,
    key,
    () => {
      const list = read().then((keys) => keys as string[]);
      list.catch(() => cache.keys.delete(key));
      return list;
    },
    MAX_CACHED_LISTS,
  );
  return { list: value, hit };
}

// ---------------------------------------------------------------------------------------------------
// Matching.

interface IndexCriterion {
  key: string;
  /** Whether the keys come back in decision-date order. */
  byDecidedAt: boolean;
  read: () => Promise<IndexableType[]>;
}

function criteriaFor(db: LeadQualifierDb, f: DispositionFilters): IndexCriterion[] | 'none match' {
  const t = db.dispositions;
  if (f.from && f.to && f.from > f.to) return 'none match';
  if (f.reasonCode && f.outcome && f.outcome !== 'reject') return 'none match';
  const dated = Boolean(f.from || f.to);
  // Decision times are ISO strings starting with their UTC day, so a day range is a string range.
  const lo: IndexableType = f.from ?? Dexie.minKey;
  const hi: IndexableType = f.to ? `${f.to}\uffff` : Dexie.maxKey;
  const range = `${f.from ?? ''}..${f.to ?? ''}`;
  const list: IndexCriterion[] = [];
  const equals = (field: string, value: string | number) =>
    list.push({ key: `${field}=${JSON.stringify(value)}`, byDecidedAt: false, read: () => t.where(field).equals(value).primaryKeys() });
  // With a date range, rep, outcome and reason use their compound index with the decision date: one read
  // answers both, already in date order. Without one, the plain index is cheaper to read.
  const withDate = (field: 'repId' | 'outcome' | 'reasonCode', value: string) =>
    dated
      ? list.push({
          key: `[${field}+decidedAt]=${JSON.stringify(value)} ${range}`,
          byDecidedAt: true,
          read: () => t.where(`[${field}+decidedAt]`).between([value, lo], [value, hi], true, true).primaryKeys(),
        })
      : equals(field, value);

  if (f.repId !== undefined) withDate('repId', f.repId);
  // A reason code implies a rejection: its index alone answers both filters.
  if (f.reasonCode !== undefined) withDate('reasonCode', f.reasonCode);
  else if (f.outcome !== undefined) withDate('outcome', f.outcome);
  if (dated && list.length === 0) {
    list.push({ key: `decidedAt ${range}`, byDecidedAt: true, read: () => t.where('decidedAt').between(lo, hi, true, true).primaryKeys() });
  }
  if (f.source !== undefined) equals('source', f.source);
  if (f.campaign !== undefined) equals('campaign', f.campaign);
  if (f.scoreBand !== undefined) equals('scoreBand', f.scoreBand);
  if (f.frameworkId !== undefined) equals('frameworkId', f.frameworkId);
  if (f.slaState !== undefined) equals('slaState', f.slaState);
  return list;
}

/** Below this many matches, sorting the rows in JS is cheaper than reading a whole sort index. */
const SMALL_MATCH = 1000;
const READ_CHUNK = 5000;

async function readRows(db: LeadQualifierDb, ids: readonly string[]): Promise<DispositionRecord[]> {
  const out: DispositionRecord[] = [];
  for (let i = 0; i < ids.length; i += READ_CHUNK) {
    const rows = await db.dispositions.bulkGet(ids.slice(i, i + READ_CHUNK) as string[]);
    for (const r of rows) if (r) out.push(r);
  }
  return out;
}

/**
 * The ids of the dispositions that pass the filters, in the requested order, and how many there are.
 * From memory once every row is summarised; from the indexes until then. Not meant for `liveQuery` (from
 * memory it may read nothing): ask again when `dispositionsGeneration` changes.
 */
export async function matchDispositions(
  db: LeadQualifierDb,
  filters: DispositionFilters,
  sort: DispositionSort = DEFAULT_SORT,
): Promise<DispositionMatch> {
  listen();
  const f = normaliseFilters(filters);
  const key = `${JSON.stringify(f)} ${sort.key} ${sort.direction}`;
  const memory = await memoryMatch(db, f, sort);
  if (memory) {
    // The same filter again on unchanged rows (the next page): the ids from last time.
    const s = storeOf(db);
    const known = s.matches.get(key);
    const hit = known !== undefined && known.version === s.version;
    const ids = hit ? known.ids : memory.rows().map((r) => r.id);
    s.matches.delete(key);
    s.matches.set(key, { version: s.version, ids });
    if (s.matches.size > MAX_CACHED_MATCHES) s.matches.delete(s.matches.keys().next().value!);
    return { ids: ids.slice(), total: ids.length, all: memory.all, plan: { indexes: [], cached: hit ? 1 : 0, order: 'memory', rowsScanned: memory.rowsScanned } };
  }
  const all = await countOf(db);
  // Taken after an await, so a change that has just been committed has already dropped the cache.
  const cache = cacheOf(db);
  const { value, hit } = lru(cache.matches, key, () => computeMatch(db, cache, f, sort), MAX_CACHED_MATCHES);
  value.catch(() => cache.matches.delete(key));
  const match = await value;
  return { ...match, ids: match.ids.slice(), all, plan: hit ? { ...match.plan, cached: match.plan.indexes.length, rowsScanned: 0 } : match.plan };
}

async function computeMatch(db: LeadQualifierDb, cache: QueryCache, f: DispositionFilters, sort: DispositionSort): Promise<Omit<DispositionMatch, 'all'>> {
  const plan: QueryPlan = { indexes: [], cached: 0, order: 'index', rowsScanned: 0 };
  const criteria = criteriaFor(db, f);
  if (criteria === 'none match') return { ids: [], total: 0, plan };

  let ids: string[];
  if (criteria.length === 0) {
    ids = await sortOrder(db, cache, sort.key, plan);
  } else {
    const lists = await Promise.all(
      criteria.map(async (c) => {
        const { list, hit } = cachedKeys(cache, c.key, c.read);
        if (hit) plan.cached++;
        return { c, keys: await list };
      }),
    );
    // The most selective index drives; each other list only removes ids from it.
    lists.sort((a, b) => a.keys.length - b.keys.length);
    plan.indexes = lists.map((l) => l.c.key);
    let matched = lists[0]!.keys;
    for (const other of lists.slice(1)) {
      if (matched.length === 0) break;
      const keep = new Set(other.keys);
      matched = matched.filter((id) => keep.has(id));
    }
    if (sort.key === 'decidedAt' && lists[0]!.c.byDecidedAt) {
      plan.order = 'driver';
      ids = matched;
    } else if (matched.length <= SMALL_MATCH && !cache.keys.has(orderKey(sort.key))) {
      plan.order = 'js';
      const summaries = await summariesFor(db, matched);
      plan.rowsScanned += summaries.read;
      ids = summaries.rows.sort(compareSummaries(sort.key)).map((r) => r.id);
    } else {
      const keep = new Set(matched);
      ids = (await sortOrder(db, cache, sort.key, plan)).filter((id) => keep.has(id));
    }
  }

  if (searchTerms(f.search).length > 0 || f.revisedOnly) {
    const summaries = await summariesFor(db, ids);
    plan.rowsScanned += summaries.read;
    const keep = predicate(f);
    const passed = new Set(summaries.rows.filter(keep).map((r) => r.id));
    ids = ids.filter((id) => passed.has(id));
  }
  // A copy: the lists may be the cache's own.
  ids = sort.direction === 'desc' ? ids.slice().reverse() : ids.slice();
  return { ids, total: ids.length, plan };
}

/** The summaries of the given rows, reading those not summarised (or changed) since; and how many were read. */
async function summariesFor(db: LeadQualifierDb, ids: readonly string[]): Promise<{ rows: RowSummary[]; read: number }> {
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
export function prefetchSummaries(db: LeadQualifierDb, options: PrefetchOptions = {}): Promise<void> {
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
const SUMMARY_CACHE_FORMAT = 1;
const SOURCE_KEYS = [
  'id', 'leadKey', 'repId', 'outcome', 'reasonCode', 'decidedAt', 'day', 'updatedAt', 'source', 'campaign', 'score', 'scoreBand',
  'frameworkId', 'slaState', 'rev', 'mqlAt', 'firstContactAt', 'previousOutcomes', 'text', 'storedAt',
] as const;
type SourceKey = (typeof SOURCE_KEYS)[number];

/**
 * Saves the summaries of every row, when they are complete and up to date (returns false otherwise).
 * The dashboard calls it once every row is summarised, and now and then after changes: a summary saved
 * a little while ago is still useful, since only the rows changed since are read again.
 */
export async function saveSummaries(db: LeadQualifierDb, options: { pause?: () => Promise<void> } = {}): Promise<boolean> {
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
export async function clearSavedSummaries(db: LeadQualifierDb): Promise<void> {
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
  const [score, scoreBand, rev, storedAt] = (['score', 'scoreBand', 'rev', 'storedAt'] as const).map((k) => column<number>(k));
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
export async function summariesVerified(db: LeadQualifierDb): Promise<void> {
  await summaryStores.get(db)?.verifying;
}

/** How many rows are summarised (for a progress hint), and whether all of them are. */
export function summaryStatus(db: LeadQualifierDb): { rows: number; complete: boolean; lastLoad?: SummaryLoad } {
  const s = summaryStores.get(db);
  return { rows: s?.rows.size ?? 0, complete: s?.complete ?? false, lastLoad: s?.lastLoad };
}

/**
 * Forgets cached key lists and matches, as a change to the table would. For benches and tests that
 * measure cold reads; `keepSortOrders` keeps the per-column orders (a manager changing filters, not the
 * data); `keepSummaries` keeps the rows summarised in memory (and their sorted orders).
 */
export function dropQueryCache(db: LeadQualifierDb, options: { keepSortOrders?: boolean; keepSummaries?: boolean } = {}): void {
  const cache = caches.get(db);
  if (cache) {
    for (const key of [...cache.keys.keys()]) if (!options.keepSortOrders || !key.startsWith('order:')) cache.keys.delete(key);
    cache.matches.clear();
  }
  const s = summaryStores.get(db);
  if (s) {
    s.matches.clear();
    if (!options.keepSummaries) resetStore(s);
  }
}

const orderKey = (key: SortKey) => `order:${key}`;

/** Every id in the order of one column (ascending, ties by id), read as keys and cached. */
async function sortOrder(db: LeadQualifierDb, cache: QueryCache, key: SortKey, plan: QueryPlan): Promise<string[]> {
  const { list, hit } = cachedKeys(cache, orderKey(key), () => db.dispositions.orderBy(key).primaryKeys());
  if (hit) plan.cached++;
  plan.indexes.push(orderKey(key));
  return list;
}

/** Rows by id, position for position (undefined where a row was deleted meanwhile): one page of a list. */
export function dispositionsByIds(db: LeadQualifierDb, ids: readonly string[]): Promise<(DispositionRecord | undefined)[]> {
  return db.dispositions.bulkGet(ids as string[]);
}

/**
 * One page of the filtered, sorted table and the total. A first page of an unfiltered table is read
 * straight from the sort index; everything else goes through `matchDispositions`.
 */
export async function queryDispositions(
  db: LeadQualifierDb,
  filters: DispositionFilters,
  sort: DispositionSort = DEFAULT_SORT,
  page: PageRequest = { offset: 0, limit: 100 },
): Promise<{ rows: DispositionRecord[]; total: number }> {
  const offset = Math.max(0, Math.floor(page.offset));
  const limit = Math.max(0, Math.floor(page.limit));
  const cache = cacheOf(db);
  if (!hasFilters(filters) && offset < 1000 && !storeOf(db).complete && !storeOf(db).loading && !cache.keys.has(orderKey(sort.key))) {
    // Walking an index for a few hundred rows beats reading all 100,000 keys for the first screen (once
    // every row is summarised, or soon will be, memory is quicker still: no count of the table).
    const ordered = db.dispositions.orderBy(sort.key);
    const [rows, total] = await Promise.all([(sort.direction === 'desc' ? ordered.reverse() : ordered).offset(offset).limit(limit).toArray(), countOf(db)]);
    return { rows, total };
  }
  const match = await matchDispositions(db, filters, sort);
  return { rows: await readRows(db, match.ids.slice(offset, offset + limit)), total: match.total };
}

// ---------------------------------------------------------------------------------------------------
// KPIs.

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

/** The filtered dispositions' full rows (for exports), in decision order. */
export async function filteredRows(db: LeadQualifierDb, filters: DispositionFilters): Promise<DispositionRecord[]> {
  const match = await matchDispositions(db, filters, { key: 'decidedAt', direction: 'asc' });
  // The whole table in one `getAll` is cheaper than fetching every id.
  return match.total === match.all ? db.dispositions.orderBy('decidedAt').toArray() : readRows(db, match.ids);
}

/**
 * The filtered dispositions as KPI rows, in decision order: for KPIs, charts and the feedback loop.
 * Served from the row summaries; the rows are shared with the cache, so treat them as read-only.
 */
export async function kpiRows(db: LeadQualifierDb, filters: DispositionFilters): Promise<KpiRow[]> {
  const f = normaliseFilters(filters);
  const memory = await memoryMatch(db, f, { key: 'decidedAt', direction: 'asc' });
  if (memory) return memory.rows().map((r) => r.kpi);
  const match = await matchDispositions(db, f, { key: 'decidedAt', direction: 'asc' });
  return (await summariesFor(db, match.ids)).rows.map((r) => r.kpi);
}

/**
 * Decided leads with the score lines frozen in their latest revision's snapshot, for the feedback loop's
 * proposals (only the sample `leadsToSample` picks: snapshots are the heaviest thing in the store).
 */
export async function scoredLeads(db: LeadQualifierDb, ids: readonly string[]): Promise<ScoredLead[]> {
  const rows = (await db.dispositions.bulkGet(ids as string[])).filter((r): r is DispositionRecord => r !== undefined);
  const revisions = await db.revisions.bulkGet(rows.map((r) => [r.id, r.rev] as [string, number]));
  const out: ScoredLead[] = [];
  rows.forEach((row, i) => {
    const revision = revisions[i];
    if (!revision) return;
    out.push({
      dispositionId: row.id,
      source: row.source,
      campaign: row.campaign,
      outcome: row.outcome,
      reasonCode: row.reasonCode || undefined,
      score: revision.snapshot.score.total,
      lines: revision.snapshot.score.lines,
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// One disposition's history.

export interface DispositionHistory {
  disposition: DispositionRecord | undefined;
  /** Oldest first. */
  revisions: RevisionRecord[];
  /** Oldest first. */
  reviews: ReviewRecord[];
  /** The hash chain's verdict; null when there are no revisions to check (imported from the CRM). */
  chain: ChainCheck | null;
  /** Where the dashboard row disagrees with its latest revision (edited outside the engine). */
  rowProblems: string[];
}

export async function history(db: LeadQualifierDb, dispositionId: string): Promise<DispositionHistory> {
  const [disposition, revisions, reviews] = await Promise.all([
    db.dispositions.get(dispositionId),
    db.revisions.where('[dispositionId+rev]').between([dispositionId, Dexie.minKey], [dispositionId, Dexie.maxKey]).toArray(),
    db.reviews.where('dispositionId').equals(dispositionId).toArray(),
  ]);
  reviews.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  // Verified as stored, never repaired: a gap or a changed revision is reported, not papered over.
  const imported = disposition?.origin === 'imported' ? disposition.imported : undefined;
  const chain = revisions.length
    ? verifyChain(revisions)
    : imported
      ? checkImportedChain(imported.blocks)
      : disposition?.origin === 'imported'
        ? null
        : { ok: false as const, rev: 1, problem: 'no revisions are stored for this decision' };
  return { disposition, revisions, reviews, chain, rowProblems: disposition && revisions.length ? rowProblems(disposition, revisions) : [] };
}

function rowProblems(row: DispositionRecord, revisions: readonly RevisionRecord[]): string[] {
  const last = revisions.at(-1)!;
  const d = last.decision;
  const expected: Partial<Record<keyof DispositionRecord, unknown>> = {
    rev: last.rev,
    outcome: d.outcome,
    reasonCode: d.outcome === 'reject' ? d.reasonCode : '',
    repId: last.author.id,
    score: last.snapshot.score.total,
    decidedAt: revisions[0]!.at,
  };
  return Object.entries(expected)
    .filter(([k, v]) => row[k as keyof DispositionRecord] !== v)
    .map(([k]) => k);
}

// ---------------------------------------------------------------------------------------------------
// Reviews of rejections.

export const reviewSchema = z.object({
  id: z.string().min(1).max(100),
  dispositionId: z.string().min(1).max(200),
  reviewerId: z.string().min(1).max(200),
  reviewerName: z.string().min(1).max(200),
  verdict: z.enum(['agree', 'disagree']),
  comment: z.string().max(2000),
  at: z.iso.datetime({ offset: true }),
});

export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

/** Stores a manager's verdict on a decision. Reviews are appended, never edited: each one is history. */
export async function saveReview(db: LeadQualifierDb, review: ReviewRecord): Promise<ReviewRecord> {
  const parsed = reviewSchema.safeParse(review);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReviewError(t.review.invalid(issue.path.join('.') || t.review.wholeReview, issue.message));
  }
  if (parsed.data.verdict === 'disagree' && !parsed.data.comment.trim()) {
    throw new ReviewError(t.review.disagreeNeedsComment);
  }
  return db.transaction('rw', [db.reviews, db.dispositions, db.outbox, db.leads], async () => {
    const disposition = await db.dispositions.get(parsed.data.dispositionId);
    if (!disposition) throw new ReviewError(t.review.decisionGone);
    await db.reviews.put(parsed.data);
    // The review also goes to the CRM as its own note, queued in this same transaction. Decisions
    // imported from the CRM have no record reference here: their reviews stay on this device.
    const ref = (await db.outbox.where('dispositionId').equals(disposition.id).first())?.ref ?? (await db.leads.get(disposition.leadKey))?.ref;
    if (ref) {
      const now = new Date().toISOString();
      await db.outbox.put({ key: reviewKey(parsed.data), dispositionId: disposition.id, rev: disposition.rev, crm: ref.crm, ref, reviewId: parsed.data.id, state: 'pending', attempts: 0, nextAt: 0, unsure: false, createdAt: now, updatedAt: now });
    }
    return parsed.data;
  });
}

export interface RejectionForReview {
  disposition: DispositionRecord;
  /** Oldest first. */
  reviews: ReviewRecord[];
}

/** The latest rejections (by when they were last changed), newest first, with their reviews so far. */
export async function lastRejections(db: LeadQualifierDb, limit = 50): Promise<RejectionForReview[]> {
  // Reviews are read first, before anything else is awaited: under liveQuery, reads issued after awaiting
  // a cached (non-Dexie) promise may go unobserved, and a new review must show at once. The table is small.
  const [allReviews, match] = await Promise.all([db.reviews.toArray(), matchDispositions(db, { outcome: 'reject' }, { key: 'updatedAt', direction: 'desc' })]);
  const rows = await readRows(db, match.ids.slice(0, limit));
  const wanted = new Set(rows.map((r) => r.id));
  const reviews = allReviews.filter((r) => wanted.has(r.dispositionId));
  return rows.map((disposition) => ({
    disposition,
    reviews: reviews.filter((r) => r.dispositionId === disposition.id).sort((a, b) => a.at.localeCompare(b.at)),
  }));
}

// ---------------------------------------------------------------------------------------------------
// Filter choices.

export interface FilterOptions {
  reps: { id: string; name: string }[];
  sources: string[];
  campaigns: string[];
  reasonCodes: string[];
  frameworkIds: string[];
}

/** The values present in the store, for the filter drop-downs (labels come from the team config). */
export async function filterOptions(db: LeadQualifierDb): Promise<FilterOptions> {
  const t = db.dispositions;
  const strings = (keys: IndexableType[]) => (keys as string[]).filter((k) => typeof k === 'string');
  const [repIds, sources, campaigns, reasonCodes, frameworkIds] = await Promise.all([
    t.orderBy('repId').uniqueKeys(),
    t.orderBy('source').uniqueKeys(),
    t.orderBy('campaign').uniqueKeys(),
    t.orderBy('reasonCode').uniqueKeys(),
    t.orderBy('frameworkId').uniqueKeys(),
  ]);
  // The latest row of each rep names them as they are called now.
  const reps = await Promise.all(
    strings(repIds).map(async (id) => ({ id, name: (await t.where('[repId+decidedAt]').between([id, Dexie.minKey], [id, Dexie.maxKey]).last())?.repName || id })),
  );
  reps.sort((a, b) => a.name.localeCompare(b.name));
  return {
    reps,
    sources: strings(sources),
    campaigns: strings(campaigns),
    reasonCodes: strings(reasonCodes).filter(Boolean),
    frameworkIds: strings(frameworkIds),
  };
}
