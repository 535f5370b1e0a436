// Dexie's change events need a global indexedDB: fake-indexeddb's, set before Dexie loads.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LeadQualifierDb } from '../../src/store/db';
import { onDispositionsChanged } from '../../src/store/changes';
import type { DispositionFilters } from '../../src/store/filters';
import { kpiRows } from '../../src/store/kpi-rows';
import { dropQueryCache, matchDispositions } from '../../src/store/match';
import {
  clearSavedSummaries,
  prefetchSummaries,
  saveSummaries,
  summariesVerified,
  summaryStatus,
  toKpiRow,
} from '../../src/store/summaries';
import type { DispositionRecord } from '../../src/store/records';
import { seedDispositions } from '../../src/demo/seed-dispositions';
import { freshDb } from '../support/db';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const N = 400;
let db: LeadQualifierDb;

beforeAll(async () => {
  db = freshDb('saved-summaries-test');
  await seedDispositions(db, N, { seed: 7, now: NOW, chunkSize: 200 });
});
afterAll(() => db.close());

/** A dashboard opened anew: nothing in memory, then the read-ahead (and its check, when restored). */
async function reopen() {
  dropQueryCache(db);
  await prefetchSummaries(db);
  await summariesVerified(db);
  return summaryStatus(db);
}

const FILTERS: DispositionFilters[] = [{}, { outcome: 'reject' }, { repId: 'rep-ana' }, { search: 'budget' }, { scoreBand: 40, source: 'Webinar' }, { revisedOnly: true }];

/** What the memory answers must be: computed from the rows as stored now. */
async function expectAnswersMatchTable() {
  const rows = (await db.dispositions.toArray()).sort((a, b) => (a.decidedAt < b.decidedAt ? -1 : a.decidedAt > b.decidedAt ? 1 : a.id < b.id ? -1 : 1));
  expect(await kpiRows(db, {})).toEqual(rows.map(toKpiRow));
  for (const f of FILTERS) {
    const fromMemory = await matchDispositions(db, f);
    expect(fromMemory.plan.order).toBe('memory');
    const fromIndexes = await (async () => {
      dropQueryCache(db, { keepSummaries: false });
      return matchDispositions(db, f);
    })();
    expect(fromMemory.ids, JSON.stringify(f)).toEqual(fromIndexes.ids);
    await prefetchSummaries(db);
    await summariesVerified(db);
  }
  return rows;
}

describe('saved summaries', () => {
  it('are used by the next dashboard instead of reading every row, and give the same answers', async () => {
    expect((await reopen()).lastLoad).toMatchObject({ restored: 0, read: N });
    expect(await saveSummaries(db)).toBe(true);
    const status = await reopen();
    expect(status).toMatchObject({ complete: true, rows: N, lastLoad: { restored: N, read: 0, missed: 0 } });
    await expectAnswersMatchTable();
  });

  it('read again only the rows written since they were saved; the check that follows drops removed rows', async () => {
    await reopen();
    expect(await saveSummaries(db)).toBe(true);
    const [a, b, c] = (await db.dispositions.limit(3).toArray()) as [DispositionRecord, DispositionRecord, DispositionRecord];
    await db.dispositions.put({ ...a, outcome: 'reject', reasonCode: 'not_icp', noteSearch: 'changed after the save' });
    await db.dispositions.update(b.id, { score: 99, scoreBand: 80 });
    await db.dispositions.delete(c.id);
    await db.dispositions.put({ ...c, id: 'added-after-save' });
    const status = await reopen();
    // a, b and the new row were read; c's removal has no stamp, so the check after the restore found it.
    expect(status).toMatchObject({ complete: true, rows: N, lastLoad: { restored: N - 2, read: 3, missed: 1 } });
    const rows = await expectAnswersMatchTable();
    expect(rows.find((r) => r.id === a.id)?.outcome).toBe('reject');
    expect((await matchDispositions(db, { search: 'changed after the save' })).ids).toEqual([a.id]);
    expect((await matchDispositions(db, {})).ids).not.toContain(c.id);
  });

  it('are put right by the check when a write hides behind an old stamp (the clock was set back), and the views are told', async () => {
    await reopen();
    expect(await saveSummaries(db)).toBe(true);
    const target = (await db.dispositions.limit(1).toArray())[0]!;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() - 3_600_000);
      await db.dispositions.put({ ...target, noteSearch: 'written while the clock was an hour behind' });
    } finally {
      vi.useRealTimers();
    }
    const changed = vi.fn();
    const off = onDispositionsChanged(db, changed);
    dropQueryCache(db);
    await prefetchSummaries(db);
    // Restored without it: its stamp is older than the save.
    expect(summaryStatus(db).lastLoad).toMatchObject({ read: 0 });
    await summariesVerified(db);
    expect(summaryStatus(db).lastLoad).toMatchObject({ missed: 1 });
    expect(changed).toHaveBeenCalled();
    off();
    expect((await matchDispositions(db, { search: 'an hour behind' })).ids).toEqual([target.id]);
    await expectAnswersMatchTable();
  });

  it('are not used when they are of another format, malformed, or mostly out of date', async () => {
    await reopen();
    await saveSummaries(db);
    const saved = (await db.caches.toArray())[0]!;
    await db.caches.put({ ...saved, format: saved.format + 1 });
    expect((await reopen()).lastLoad).toMatchObject({ restored: 0, read: N });
    await db.caches.put({ ...saved, value: { length: N, columns: { id: 'not columns' } } });
    expect((await reopen()).lastLoad).toMatchObject({ restored: 0, read: N });
    await expectAnswersMatchTable();

    await db.caches.put(saved);
    // Every row rewritten as it was: every stamp changes, so nothing saved can be trusted.
    await db.dispositions.bulkPut(await db.dispositions.toArray());
    expect((await reopen()).lastLoad).toMatchObject({ restored: 0, read: N });
    await expectAnswersMatchTable();

    await clearSavedSummaries(db);
    expect((await reopen()).lastLoad).toMatchObject({ restored: 0, read: N });
  });

  it('are not saved while incomplete', async () => {
    dropQueryCache(db);
    expect(await saveSummaries(db)).toBe(false);
  });
});
