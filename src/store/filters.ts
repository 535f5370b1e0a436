import Dexie, { type IndexableType } from 'dexie';
import type { Outcome } from '../domain/dispositions';
import type { DispositionRecord } from './records';
import { configVersionsPresent } from './summaries';
import { tablesOf, type Store } from './store';

/** What a dashboard query asks for (filters, sort, page), and the values the filters can take in the store. */

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
  /** Only decisions against the engine's recommendation (`override` on the row; rows without it are not overrides). */
  overrideOnly?: boolean;
  /**
   * The team config version the latest revision was made under; `NO_CONFIG_VERSION` (0) selects rows
   * decided before versions were recorded (no `configVersion`). Config versions start at 1.
   */
  configVersion?: number;
}

/** The `configVersion` filter's value for rows without a recorded version. */
export const NO_CONFIG_VERSION = 0;

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

/** Removes empty values, so `{ repId: undefined }` and `{}` are the same filter (and the same cache key). */
export function normaliseFilters(filters: DispositionFilters): DispositionFilters {
  const out: DispositionFilters = {};
  for (const [k, v] of Object.entries(filters) as [keyof DispositionFilters, unknown][]) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'string' && v === '' && k !== 'source' && k !== 'campaign') continue;
    if (k === 'search' && typeof v === 'string' && searchTerms(v).length === 0) continue;
    if (k === 'configVersion' && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) continue;
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

export interface FilterOptions {
  reps: { id: string; name: string }[];
  sources: string[];
  campaigns: string[];
  reasonCodes: string[];
  frameworkIds: string[];
  /**
   * Config versions the rows were decided under, ascending; `NO_CONFIG_VERSION` first when some rows have
   * none. Always given by `filterOptions` (optional for views that build options of their own).
   */
  configVersions?: number[];
}

/**
 * The values present in the store, for the filter drop-downs (labels come from the team config). Indexed
 * columns come from their index's keys; config versions (not indexed) from the row summaries, joining
 * their read-ahead when it runs, else from the table (`configVersionsPresent` in ./summaries.ts).
 */
export async function filterOptions(store: Store): Promise<FilterOptions> {
  const db = tablesOf(store);
  const t = db.dispositions;
  const strings = (keys: IndexableType[]) => (keys as string[]).filter((k) => typeof k === 'string');
  const [repIds, sources, campaigns, reasonCodes, frameworkIds, configVersions] = await Promise.all([
    t.orderBy('repId').uniqueKeys(),
    t.orderBy('source').uniqueKeys(),
    t.orderBy('campaign').uniqueKeys(),
    t.orderBy('reasonCode').uniqueKeys(),
    t.orderBy('frameworkId').uniqueKeys(),
    configVersionsPresent(db),
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
    configVersions,
  };
}
