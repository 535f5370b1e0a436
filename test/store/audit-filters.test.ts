// Dexie's change events need a global indexedDB: fake-indexeddb's, set before Dexie loads.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadQualifierDb } from '../../src/store/db';
import { filterOptions, NO_CONFIG_VERSION, normaliseFilters, type DispositionFilters, type DispositionSort } from '../../src/store/filters';
import { kpiRows } from '../../src/store/kpi-rows';
import { dropQueryCache, matchDispositions } from '../../src/store/match';
import { prefetchSummaries, saveSummaries, summariesVerified, summaryStatus } from '../../src/store/summaries';
import type { DispositionRecord } from '../../src/store/records';
import { seedDispositions } from '../../src/demo/seed-dispositions';
import { freshDb } from '../support/db';

/**
 * The audit filters no index answers: "only overrides" and the config version a decision was made
 * under. Rows written before either was recorded have neither field and must behave (not an override;
 * "before versions were recorded").
 */

const NOW = Date.parse('2026-11-20T12:00:00Z');
const N = 300;
let db: LeadQualifierDb;
let rows: DispositionRecord[];

beforeAll(async () => {
  db = freshDb('audit-filters-test');
  await seedDispositions(db, N, { seed: 3, now: NOW, chunkSize: 150 });
  const seeded = await db.dispositions.toArray();
  // A third under version 1, a third under version 2, a third as old rows without the new fields at all.
  await db.dispositions.bulkPut(
    seeded.map((r, i) => {
      if (i % 3 === 0) return { ...r, configVersion: 1 };
      if (i % 3 === 1) return { ...r, configVersion: 2 };
      const { configVersion: _v, recommended: _r, override: _o, ...old } = r;
      return old;
    }),
  );
  rows = await db.dispositions.toArray();
});
afterAll(() => db.close());

function expected(f: DispositionFilters, sort: DispositionSort): string[] {
  const kept = rows.filter(
    (r) =>
      (f.repId === undefined || r.repId === f.repId) &&
      (f.outcome === undefined || r.outcome === f.outcome) &&
      (!f.revisedOnly || r.rev > 1) &&
      (!f.overrideOnly || r.override === true) &&
      (f.configVersion === undefined || (r.configVersion ?? NO_CONFIG_VERSION) === f.configVersion),
  );
  const key = sort.key;
  kept.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = kept.map((r) => r.id);
  return sort.direction === 'desc' ? ids.reverse() : ids;
}

const CASES: [string, DispositionFilters][] = [
  ['only overrides', { overrideOnly: true }],
  ['config version 2', { configVersion: 2 }],
  ['before versions were recorded', { configVersion: NO_CONFIG_VERSION }],
  ['a version nobody used', { configVersion: 7 }],
  ['overrides of one rep under version 1', { overrideOnly: true, configVersion: 1, repId: 'rep-ana' }],
  ['overrides among rejections, changed later', { overrideOnly: true, outcome: 'reject', revisedOnly: true }],
];

describe('override and config version filters', () => {
  it('have something to find: overrides and rows of each kind', () => {
    expect(rows.filter((r) => r.override).length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.override === false).length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.configVersion === undefined && r.override === undefined).length).toBe(N / 3);
  });

  it.each(CASES)('%s: the same ids from the indexes and from memory as filtering by hand', async (_name, filters) => {
    for (const sort of [
      { key: 'decidedAt', direction: 'desc' },
      { key: 'score', direction: 'asc' },
    ] as DispositionSort[]) {
      const want = expected(filters, sort);
      dropQueryCache(db);
      const cold = await matchDispositions(db, filters, sort);
      expect(cold.plan.order).not.toBe('memory');
      expect(cold.ids).toEqual(want);
      await prefetchSummaries(db);
      const memory = await matchDispositions(db, filters, sort);
      expect(memory.plan.order).toBe('memory');
      expect(memory.ids).toEqual(want);
      expect((await kpiRows(db, filters)).length).toBe(want.length);
    }
  });

  it('are part of the cache key, and "off" is no filter', async () => {
    expect(normaliseFilters({ overrideOnly: false, configVersion: undefined })).toEqual({});
    expect(normaliseFilters({ configVersion: NO_CONFIG_VERSION })).toEqual({ configVersion: 0 });
    expect(normaliseFilters({ configVersion: Number.NaN })).toEqual({});
    await prefetchSummaries(db);
    const all = await matchDispositions(db, {});
    const overrides = await matchDispositions(db, { overrideOnly: true });
    const v1 = await matchDispositions(db, { configVersion: 1 });
    expect(overrides.total).toBeLessThan(all.total);
    expect(v1.total).toBe(N / 3);
    expect((await matchDispositions(db, { overrideOnly: false })).total).toBe(all.total);
  });

  it('follow a row as it changes (a new revision under another version, no longer an override)', async () => {
    await prefetchSummaries(db);
    const target = rows.find((r) => r.override === true && r.configVersion === 1)!;
    expect((await matchDispositions(db, { overrideOnly: true, configVersion: 1 })).ids).toContain(target.id);
    await db.dispositions.put({ ...target, configVersion: 3, override: false });
    expect((await matchDispositions(db, { overrideOnly: true, configVersion: 1 })).ids).not.toContain(target.id);
    expect((await matchDispositions(db, { configVersion: 3 })).ids).toEqual([target.id]);
    expect((await filterOptions(db)).configVersions).toEqual([NO_CONFIG_VERSION, 1, 2, 3]);
    await db.dispositions.put(target);
  });

  it('survive saving and restoring the summaries (the saved format carries both fields)', async () => {
    dropQueryCache(db);
    await prefetchSummaries(db);
    expect(await saveSummaries(db)).toBe(true);
    dropQueryCache(db);
    await prefetchSummaries(db);
    await summariesVerified(db);
    expect(summaryStatus(db).lastLoad).toMatchObject({ restored: N, read: 0, missed: 0 });
    for (const [, filters] of CASES) {
      const answer = await matchDispositions(db, filters);
      expect(answer.plan.order).toBe('memory');
      expect(answer.ids, JSON.stringify(filters)).toEqual(expected(filters, { key: 'decidedAt', direction: 'desc' }));
    }
  });

  it('offer the versions present, "before versions were recorded" first, whether or not the rows are summarised yet', async () => {
    dropQueryCache(db);
    expect(summaryStatus(db).complete).toBe(false);
    // No read-ahead running: read from the table, without starting one (the page decides when).
    expect((await filterOptions(db)).configVersions).toEqual([NO_CONFIG_VERSION, 1, 2]);
    expect(summaryStatus(db)).toMatchObject({ complete: false, rows: 0 });
    // One running: joined, and the answer comes from the summaries.
    const loading = prefetchSummaries(db, { pause: () => new Promise((resolve) => setTimeout(resolve, 5)), chunk: 50 });
    expect((await filterOptions(db)).configVersions).toEqual([NO_CONFIG_VERSION, 1, 2]);
    expect(summaryStatus(db).complete).toBe(true);
    await loading;
    expect((await filterOptions(db)).configVersions).toEqual([NO_CONFIG_VERSION, 1, 2]);
    const empty = freshDb('audit-filters-empty');
    expect((await filterOptions(empty)).configVersions).toEqual([]);
    empty.close();
  });
});
