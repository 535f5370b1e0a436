import Dexie, { type IndexableType } from 'dexie';
import { dispositionsGeneration, listen } from './changes';
import type { LeadQualifierDb } from './db';
import { DEFAULT_SORT, hasFilters, NO_CONFIG_VERSION, normaliseFilters, searchTerms, type DispositionFilters, type DispositionSort, type PageRequest, type SortKey } from './filters';
import type { DispositionRecord } from './records';
import {
  checkLatest,
  compareSummaries,
  READ_CHUNK,
  refreshStale,
  resetStore,
  sortedSummaries,
  storeOf,
  summariesFor,
  summaryStores,
  type RowSummary,
} from './summaries';
import { tablesOf, type Store } from './store';

/**
 * The dashboard's filtered, sorted table of dispositions (`matchDispositions`, `queryDispositions`), fast
 * at 100,000 rows, answered in one of two ways:
 *
 * From memory, once every row is summarised (./summaries.ts): filter, sort, count and search are one pass
 * over the summaries, in a sorted order kept there.
 *
 * From the indexes until then (right after opening, or after a bulk change such as an import):
 * 1. Every filter on an indexed column becomes one key range on the best index for it: with a date range,
 *    rep, outcome and reason code use their compound index with the decision date (`[repId+decidedAt]`…),
 *    which answers both at once, in date order; the other columns use their own index.
 * 2. Each range is read as primary keys only (`getAllKeys`: no row is cloned), and the key lists are
 *    intersected in JS starting from the smallest (the most selective index drives).
 * 3. The order comes from the driving index when it already is the wanted one, from sorting the few rows
 *    in JS when the match is small, or else from the sort column's index read once as keys.
 * 4. Only what no index answers (search in notes, "changed after the first decision", "against the
 *    recommendation", the config version) reads rows, as their summaries, and only the rows left after
 *    step 2.
 * Key lists and matches are cached until the table changes (./changes.ts), so paging reads nothing but
 * the page.
 *
 * Either way the count is the length of the id list and a page is one `bulkGet` of its ids. Cursors with
 * JS filters or large offsets are avoided on purpose: they cost a round trip per row. Measured figures:
 * `scripts/bench-dashboard.ts`.
 */

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

interface QueryCache {
  generation: number;
  /** The table's row count at this generation (counting is a walk over the table in Chromium). */
  count?: Promise<number>;
  keys: Map<string, Promise<string[]>>;
  matches: Map<string, Promise<Omit<DispositionMatch, 'all'>>>;
}

/** Enough for the sort orders and a handful of recent filters; each list is at most one string per row. */
const MAX_CACHED_LISTS = 24;
const MAX_CACHED_MATCHES = 8;

/** Key lists and whole matches of the index path, per database, dropped whenever its dispositions change. */
const caches = new WeakMap<LeadQualifierDb, QueryCache>();

function cacheOf(db: LeadQualifierDb): QueryCache {
  const generation = dispositionsGeneration(db);
  let cache = caches.get(db);
  if (!cache || cache.generation !== generation) {
    cache = { generation, keys: new Map(), matches: new Map() };
    caches.set(db, cache);
  }
  return cache;
}

/** Filters no index answers: applied to the rows' summaries, after the indexed ones (see step 4). */
function needsSummaries(f: DispositionFilters): boolean {
  return searchTerms(f.search).length > 0 || Boolean(f.revisedOnly) || Boolean(f.overrideOnly) || f.configVersion !== undefined;
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
  if (f.overrideOnly) checks.push((r) => r.override);
  if (f.configVersion !== undefined) {
    const version = f.configVersion;
    checks.push((r) => (r.configVersion ?? NO_CONFIG_VERSION) === version);
  }
  for (const term of searchTerms(f.search)) checks.push((r) => r.text.includes(term));
  return (r) => {
    for (const check of checks) if (!check(r)) return false;
    return true;
  };
}

/**
 * The match from memory, when every row is summarised; undefined when the store must be asked.
 * Nothing here counts the table: IndexedDB counts by walking every row (over 100 ms at 100,000 rows in
 * Chromium), so the summaries' own count is used; `checkLatest` looks for missed writes in the background.
 */
export async function memoryMatch(store: Store, f: DispositionFilters, sort: DispositionSort): Promise<{ rows: () => RowSummary[]; rowsScanned: number; all: number } | undefined> {
  const db = tablesOf(store);
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

export async function readRows(store: Store, ids: readonly string[]): Promise<DispositionRecord[]> {
  const db = tablesOf(store);
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
  store: Store,
  filters: DispositionFilters,
  sort: DispositionSort = DEFAULT_SORT,
): Promise<DispositionMatch> {
  const db = tablesOf(store);
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

  if (needsSummaries(f)) {
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

/**
 * Forgets cached key lists and matches, as a change to the table would. For benches and tests that
 * measure cold reads; `keepSortOrders` keeps the per-column orders (a manager changing filters, not the
 * data); `keepSummaries` keeps the rows summarised in memory (and their sorted orders).
 */
export function dropQueryCache(store: Store, options: { keepSortOrders?: boolean; keepSummaries?: boolean } = {}): void {
  const db = tablesOf(store);
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
export function dispositionsByIds(store: Store, ids: readonly string[]): Promise<(DispositionRecord | undefined)[]> {
  const db = tablesOf(store);
  return db.dispositions.bulkGet(ids as string[]);
}

/**
 * One page of the filtered, sorted table and the total. A first page of an unfiltered table is read
 * straight from the sort index; everything else goes through `matchDispositions`.
 */
export async function queryDispositions(
  store: Store,
  filters: DispositionFilters,
  sort: DispositionSort = DEFAULT_SORT,
  page: PageRequest = { offset: 0, limit: 100 },
): Promise<{ rows: DispositionRecord[]; total: number }> {
  const db = tablesOf(store);
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
