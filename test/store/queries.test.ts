// Dexie's change events need a global indexedDB: fake-indexeddb's, set before Dexie loads.
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../src/domain/defaults';
import { validateDecision, verifyChain } from '../../src/domain/dispositions';
import { computeKpis } from '../../src/domain/kpis';
import type { LeadQualifierDb } from '../../src/store/db';
import { history, lastRejections } from '../../src/store/audit';
import { dispositionsGeneration, onDispositionsChanged } from '../../src/store/changes';
import { filterOptions, SORT_KEYS, type DispositionFilters, type DispositionSort } from '../../src/store/filters';
import { kpiRows } from '../../src/store/kpi-rows';
import { dropQueryCache, matchDispositions, queryDispositions } from '../../src/store/match';
import { ReviewError, saveReview } from '../../src/store/reviews';
import { prefetchSummaries, summaryStatus, summaryStores } from '../../src/store/summaries';
import type { DispositionRecord, ReviewRecord } from '../../src/store/records';
import { makeSeeder, SEED_REPS, seedDispositions } from '../../src/demo/seed-dispositions';
import { freshDb } from '../support/db';
import { WAIT } from '../support/timeouts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const N = 600;

/** What the filters mean, written the slow way over every row: the queries must agree with it. */
function bruteForce(rows: readonly DispositionRecord[], f: DispositionFilters, sort: DispositionSort): string[] {
  const terms = (f.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const kept = rows.filter(
    (r) =>
      (f.repId === undefined || r.repId === f.repId) &&
      (f.outcome === undefined || r.outcome === f.outcome) &&
      (f.reasonCode === undefined || r.reasonCode === f.reasonCode) &&
      (f.from === undefined || r.day >= f.from) &&
      (f.to === undefined || r.day <= f.to) &&
      (f.source === undefined || r.source === f.source) &&
      (f.campaign === undefined || r.campaign === f.campaign) &&
      (f.scoreBand === undefined || r.scoreBand === f.scoreBand) &&
      (f.frameworkId === undefined || r.frameworkId === f.frameworkId) &&
      (f.slaState === undefined || r.slaState === f.slaState) &&
      (!f.revisedOnly || r.rev > 1) &&
      terms.every((t) => `${r.noteSearch} ${r.leadName} ${r.company}`.toLowerCase().includes(t)),
  );
  const key = sort.key;
  kept.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = kept.map((r) => r.id);
  return sort.direction === 'desc' ? ids.reverse() : ids;
}

let db: LeadQualifierDb;
let rows: DispositionRecord[];

beforeAll(async () => {
  db = freshDb('queries-test');
  const result = await seedDispositions(db, N, { seed: 42, now: NOW, chunkSize: 250 });
  expect(result.dispositions).toBe(N);
  rows = await db.dispositions.toArray();
});

describe('seeded dispositions', () => {
  it('are stored with hash-chained revisions that verify, and decisions valid on their own day', async () => {
    expect(rows).toHaveLength(N);
    const revisions = await db.revisions.toArray();
    expect(revisions).toHaveLength(rows.reduce((sum, r) => sum + r.rev, 0));
    const config = defaultConfig();
    for (const row of rows) {
      const chain = revisions.filter((r) => r.dispositionId === row.id).sort((a, b) => a.rev - b.rev);
      expect(verifyChain(chain)).toEqual({ ok: true });
      for (const r of chain) expect(validateDecision(r.decision, config, r.at.slice(0, 10)).ok).toBe(true);
      expect(chain.at(-1)!.decision.outcome).toBe(row.outcome);
      expect(chain[0]!.at).toBe(row.decidedAt);
    }
  });

  it('cover what the dashboard must show: several reps, sources, campaigns and reasons, SLA breaches, changed decisions', () => {
    const distinct = (pick: (r: DispositionRecord) => string) => new Set(rows.map(pick)).size;
    expect(distinct((r) => r.repId)).toBe(SEED_REPS.length);
    expect(distinct((r) => r.source)).toBeGreaterThanOrEqual(6);
    expect(distinct((r) => r.campaign)).toBeGreaterThanOrEqual(6);
    expect(distinct((r) => r.reasonCode)).toBeGreaterThanOrEqual(8);
    expect(rows.filter((r) => r.slaState === 'breached').length).toBeGreaterThan(10);
    expect(rows.some((r) => r.outcome === 'reject' && r.previousOutcomes.includes('accept'))).toBe(true); // SQL disqualified later
    expect(rows.every((r) => r.decidedAt < new Date(NOW).toISOString() && r.updatedAt < new Date(NOW).toISOString())).toBe(true);
  });

  it('are the same for the same seed, and different for another', () => {
    const a = makeSeeder({ seed: 5, now: NOW }).build(3);
    const b = makeSeeder({ seed: 5, now: NOW }).build(3);
    const c = makeSeeder({ seed: 6, now: NOW }).build(3);
    expect(a).toEqual(b);
    expect(c.row.id).not.toBe(a.row.id);
    expect(c.revisions[0]!.hash).not.toBe(a.revisions[0]!.hash);
  });
});

describe('matchDispositions and queryDispositions', () => {
  const day = (daysAgo: number) => new Date(NOW - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const cases: [string, DispositionFilters][] = [
    ['no filter', {}],
    ['rep', { repId: 'rep-ben' }],
    ['outcome', { outcome: 'reject' }],
    ['reason', { reasonCode: 'not_icp' }],
    ['reason and outcome reject', { reasonCode: 'not_icp', outcome: 'reject' }],
    ['date range', { from: day(60), to: day(20) }],
    ['rep in a date range', { repId: 'rep-ana', from: day(90) }],
    ['outcome until a day', { outcome: 'accept', to: day(30) }],
    ['source and campaign', { source: 'Trade show', campaign: 'SaaStr Booth' }],
    ['score band and framework', { scoreBand: 40, frameworkId: 'bant' }],
    ['SLA breached', { slaState: 'breached' }],
    ['no campaign', { campaign: '' }],
    ['five filters', { repId: 'rep-dev', outcome: 'reject', source: 'Webinar', from: day(170), slaState: 'on_track' }],
    ['search', { search: 'Budget' }],
    ['search two words and a rep', { search: 'budget frozen', repId: 'rep-finn' }],
    ['changed decisions', { revisedOnly: true }],
    ['empty strings are no filter', { repId: '', search: '   ' }],
  ];

  it.each(cases)('%s: the same ids, in the same order, as filtering every row by hand (from the indexes and from memory)', async (_name, filters) => {
    for (const sort of [
      { key: 'decidedAt', direction: 'desc' },
      { key: 'decidedAt', direction: 'asc' },
      { key: 'score', direction: 'desc' },
      { key: 'repId', direction: 'asc' },
    ] as DispositionSort[]) {
      const expected = bruteForce(rows, { ...filters, repId: filters.repId || undefined, search: filters.search?.trim() || undefined }, sort);
      dropQueryCache(db);
      const cold = await matchDispositions(db, filters, sort);
      const cached = await matchDispositions(db, filters, sort);
      expect(cold.plan.order).not.toBe('memory');
      expect(cold.ids).toEqual(expected);
      expect(cached.ids).toEqual(expected);
      expect(cold.total).toBe(expected.length);
      expect(cold.all).toBe(N);
      await prefetchSummaries(db);
      const memory = await matchDispositions(db, filters, sort);
      expect(memory.plan.order).toBe('memory');
      expect(memory.ids).toEqual(expected);
    }
  });

  it('sorts on every sortable column, both ways', async () => {
    for (const key of SORT_KEYS) {
      for (const direction of ['asc', 'desc'] as const) {
        expect((await matchDispositions(db, { outcome: 'reject' }, { key, direction })).ids).toEqual(bruteForce(rows, { outcome: 'reject' }, { key, direction }));
      }
    }
  });

  it('finds nothing for contradictory filters without reading anything', async () => {
    expect((await matchDispositions(db, { reasonCode: 'not_icp', outcome: 'accept' })).total).toBe(0);
    expect((await matchDispositions(db, { from: '2026-10-10', to: '2026-10-01' })).total).toBe(0);
  });

  it('drives the match with an index and counts without reading rows outside the match', async () => {
    dropQueryCache(db);
    const byRep = await matchDispositions(db, { repId: 'rep-ben', outcome: 'reject' });
    expect(byRep.plan.indexes).toEqual(['repId="rep-ben"', 'outcome="reject"']); // the smaller list drives
    // A small match is sorted by reading just its rows; once the sort column's order has been read (the
    // unfiltered table needs it), matches are sorted by it without reading rows.
    expect(byRep.plan).toMatchObject({ order: 'js', rowsScanned: byRep.total });
    await matchDispositions(db, {}, { key: 'score', direction: 'asc' });
    const sorted = await matchDispositions(db, { frameworkId: 'bant' }, { key: 'score', direction: 'asc' });
    expect(sorted.plan).toMatchObject({ indexes: ['frameworkId="bant"', 'order:score'], order: 'index', rowsScanned: 0 });
    // With a date range, the compound index answers rep and dates at once, already in date order.
    const dated = await matchDispositions(db, { repId: 'rep-ben', from: '2026-09-01' });
    expect(dated.plan).toMatchObject({ indexes: ['[repId+decidedAt]="rep-ben" 2026-09-01..'], order: 'driver', rowsScanned: 0 });
    // The same filter again is answered from the cache.
    expect((await matchDispositions(db, { repId: 'rep-ben', from: '2026-09-01' })).plan.cached).toBe(1);
  });

  it('pages through the match: pages put together are the whole match, the total is the count', async () => {
    const filters: DispositionFilters = { outcome: 'accept' };
    const all = bruteForce(rows, filters, { key: 'decidedAt', direction: 'desc' });
    const seen: string[] = [];
    for (let offset = 0; offset < all.length + 50; offset += 50) {
      const page = await queryDispositions(db, filters, undefined, { offset, limit: 50 });
      expect(page.total).toBe(all.length);
      seen.push(...page.rows.map((r) => r.id));
    }
    expect(seen).toEqual(all);
    // The first page of the unfiltered table is read straight from the index: same answer.
    dropQueryCache(db);
    const first = await queryDispositions(db, {}, { key: 'score', direction: 'desc' }, { offset: 0, limit: 20 });
    expect(first.rows.map((r) => r.id)).toEqual(bruteForce(rows, {}, { key: 'score', direction: 'desc' }).slice(0, 20));
    expect(first.total).toBe(N);
  });

  it('sees changes at once: a new revision of a row drops the cached lists and that row’s search text', async () => {
    const target = rows.find((r) => r.outcome === 'accept' && r.repId === 'rep-gia')!;
    const before = await matchDispositions(db, { repId: 'rep-gia', outcome: 'reject', search: 'zebra' });
    expect(before.ids).not.toContain(target.id);
    const generation = dispositionsGeneration(db);
    await db.dispositions.put({ ...target, outcome: 'reject', reasonCode: 'no_need', noteSearch: 'a zebra crossing', rev: target.rev + 1 });
    expect(dispositionsGeneration(db)).toBeGreaterThan(generation);
    const after = await matchDispositions(db, { repId: 'rep-gia', outcome: 'reject', search: 'zebra' });
    expect(after.ids).toEqual([target.id]);
    await db.dispositions.put(target);
  });

  it('reads every row once ahead; then answers from memory, re-reading only rows changed since', async () => {
    dropQueryCache(db);
    expect(summaryStatus(db)).toMatchObject({ rows: 0, complete: false });
    await prefetchSummaries(db, { chunk: 128 });
    expect(summaryStatus(db)).toMatchObject({ rows: N, complete: true, lastLoad: { restored: 0, read: N } });
    const search = await matchDispositions(db, { search: 'budget' });
    expect(search.plan).toMatchObject({ order: 'memory', rowsScanned: 0 });
    expect(search.ids).toEqual(bruteForce(rows, { search: 'budget' }, { key: 'decidedAt', direction: 'desc' }));

    // One row changed (a new revision saved in the panel): only that row is read again.
    const changed = rows.find((r) => !r.noteSearch.includes('budget'))!;
    const edited = { ...changed, noteSearch: 'budget found after all', score: 99 };
    await db.dispositions.put(edited);
    const again = await matchDispositions(db, { search: 'budget' }, { key: 'score', direction: 'desc' });
    expect(again.plan).toMatchObject({ order: 'memory', rowsScanned: 1 });
    // Found now, and moved to its new place in the kept sorted order.
    const editedRows = rows.map((r) => (r.id === changed.id ? edited : r));
    expect(again.ids).toEqual(bruteForce(editedRows, { search: 'budget' }, { key: 'score', direction: 'desc' }));
    expect(again.ids.indexOf(changed.id)).toBeLessThan(5);
    // A row added and one deleted elsewhere.
    await db.dispositions.put({ ...changed, id: 'added-elsewhere', repId: 'rep-new' });
    await db.dispositions.delete(rows[0]!.id);
    const byRep = await matchDispositions(db, { repId: 'rep-new' });
    expect(byRep).toMatchObject({ ids: ['added-elsewhere'], all: N, plan: { order: 'memory' } });
    expect((await matchDispositions(db, {})).ids).not.toContain(rows[0]!.id);

    // A bulk change (an import) drops the summaries: answers come from the indexes until read again.
    await db.dispositions.bulkPut([...rows.slice(0, 60), changed]);
    await db.dispositions.delete('added-elsewhere');
    expect(summaryStatus(db).complete).toBe(false);
    const afterBulk = await matchDispositions(db, { search: 'budget' });
    expect(afterBulk.plan.order).not.toBe('memory');
    expect(afterBulk.ids).toEqual(bruteForce(rows, { search: 'budget' }, { key: 'decidedAt', direction: 'desc' }));
  });

  it('waits for a running read-ahead (which stops pausing) rather than asking the indexes', async () => {
    dropQueryCache(db);
    let pauses = 0;
    const ahead = prefetchSummaries(db, {
      chunk: 100,
      pause: () => {
        pauses++;
        return new Promise(() => {}); // an idle moment that never comes
      },
    });
    await vi.waitFor(() => expect(pauses).toBe(1), WAIT);
    expect(summaryStatus(db)).toMatchObject({ rows: 100, complete: false });
    const match = await matchDispositions(db, { search: 'budget' });
    expect(match.plan.order).toBe('memory');
    expect(match.ids).toEqual(bruteForce(rows, { search: 'budget' }, { key: 'decidedAt', direction: 'desc' }));
    await ahead; // done, though the idle moment it paused for never came
    expect(summaryStatus(db)).toMatchObject({ rows: N, complete: true });
  });

  it('follows changes through the generation: a new disposition is counted on the next ask', async () => {
    await prefetchSummaries(db);
    const before = await matchDispositions(db, { repId: 'rep-hugo' });
    expect(before.plan.order).toBe('memory');
    const generation = dispositionsGeneration(db);
    const changed = vi.fn();
    const off = onDispositionsChanged(db, changed);
    await db.dispositions.put({ ...rows.find((r) => r.repId === 'rep-hugo')!, id: 'live-extra' });
    await vi.waitFor(() => expect(changed).toHaveBeenCalled(), WAIT);
    off();
    expect(dispositionsGeneration(db)).toBeGreaterThan(generation);
    const after = await matchDispositions(db, { repId: 'rep-hugo' });
    expect(after.total).toBe(before.total + 1);
    expect(after.all).toBe(before.all + 1);
    expect(after.plan).toMatchObject({ order: 'memory', rowsScanned: 1 });
    await db.dispositions.delete('live-extra');
    await vi.waitFor(async () => expect((await matchDispositions(db, {})).all).toBe(N), WAIT);
  });

  it('notices a write it was never told about, by its stamp, in the background, and asks again', async () => {
    await prefetchSummaries(db);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 60_000);
      await matchDispositions(db, {}); // the check runs now, and finds nothing newer
      await summaryStores.get(db)?.checking; // over before the write below, however slow the machine
      // Written past Dexie (straight to IndexedDB), as by a context whose change event was lost: stamped
      // like every write, but nothing tells the summaries.
      const extra = { ...rows[0]!, id: 'unannounced', repId: 'rep-unannounced', storedAt: Date.now() + 1 };
      await new Promise<void>((resolve, reject) => {
        const tx = db.backendDB().transaction('dispositions', 'readwrite');
        tx.objectStore('dispositions').put(extra);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      const changed = vi.fn();
      const off = onDispositionsChanged(db, changed);
      expect((await matchDispositions(db, {})).all).toBe(N); // within 10 s of the last check: not checked
      expect(changed).not.toHaveBeenCalled();
      vi.setSystemTime(Date.now() + 11_000);
      const stale = await matchDispositions(db, {}); // answered at once from memory; the check starts
      expect(stale.all).toBe(N);
      await vi.waitFor(() => expect(changed).toHaveBeenCalled(), WAIT);
      off();
      expect(summaryStatus(db).complete).toBe(true); // put right row by row, not dropped
      const again = await matchDispositions(db, { repId: 'rep-unannounced' });
      expect(again).toMatchObject({ ids: ['unannounced'], all: N + 1, plan: { order: 'memory' } });
    } finally {
      vi.useRealTimers();
      await db.dispositions.delete('unannounced');
    }
    await prefetchSummaries(db);
    expect((await matchDispositions(db, {})).all).toBe(N);
  });
});

describe('history', () => {
  it('gives the revisions oldest first, the reviews, and a verified chain', async () => {
    const revised = rows.find((r) => r.rev > 1)!;
    const h = await history(db, revised.id);
    expect(h.disposition?.id).toBe(revised.id);
    expect(h.revisions.map((r) => r.rev)).toEqual(Array.from({ length: revised.rev }, (_, i) => i + 1));
    expect(h.chain).toEqual({ ok: true });
    expect(h.rowProblems).toEqual([]);
  });

  it('flags a tampered revision and leaves it as it was stored', async () => {
    const target = rows.find((r) => r.rev > 1 && r.id !== 'live-extra')!;
    const stored = await db.revisions.get([target.id, 1]);
    const tampered = { ...stored!, decision: { ...stored!.decision, note: 'Rewritten later to look better.' } };
    await db.revisions.put(tampered);
    const h = await history(db, target.id);
    expect(h.chain).toEqual({ ok: false, rev: 1, problem: 'content changed after it was saved' });
    expect((await db.revisions.get([target.id, 1]))!.decision.note).toBe('Rewritten later to look better.'); // never repaired
    await db.revisions.put(stored!);
  });

  it('flags a missing revision and a dashboard row edited without a revision', async () => {
    const target = rows.filter((r) => r.rev > 1).at(-1)!;
    const first = await db.revisions.get([target.id, 1]);
    await db.revisions.delete([target.id, 1]);
    expect((await history(db, target.id)).chain).toEqual({ ok: false, rev: 2, problem: 'expected revision 1, found 2' });
    await db.revisions.put(first!);

    await db.dispositions.update(target.id, { outcome: target.outcome === 'accept' ? 'recycle' : 'accept', score: target.score + 1 });
    expect((await history(db, target.id)).rowProblems.sort()).toEqual(['outcome', 'score']);
    await db.dispositions.put(target);
  });
});

describe('reviews', () => {
  const review = (r: Partial<ReviewRecord>): ReviewRecord => ({
    id: `rv-${Math.random()}`,
    dispositionId: rows.find((x) => x.outcome === 'reject')!.id,
    reviewerId: 'mgr-1',
    reviewerName: 'Morgan Manager',
    verdict: 'agree',
    comment: '',
    at: '2026-11-20T13:00:00.000Z',
    ...r,
  });

  it('are stored and shown in the decision’s history, oldest first', async () => {
    const a = await saveReview(db, review({ id: 'rv-a', verdict: 'disagree', comment: 'The note shows budget exists.', at: '2026-11-20T14:00:00.000Z' }));
    await saveReview(db, review({ id: 'rv-b', at: '2026-11-20T13:00:00.000Z' }));
    expect(await db.reviews.get('rv-a')).toEqual(a);
    expect((await history(db, a.dispositionId)).reviews.map((r) => r.id)).toEqual(['rv-b', 'rv-a']);
  });

  it('refuse a disagreement without a comment, an unknown verdict and an unknown decision', async () => {
    await expect(saveReview(db, review({ verdict: 'disagree', comment: ' ' }))).rejects.toThrow(ReviewError);
    await expect(saveReview(db, review({ verdict: 'maybe' as 'agree' }))).rejects.toThrow(/verdict/);
    await expect(saveReview(db, review({ dispositionId: 'nope' }))).rejects.toThrow('This decision is no longer stored on this device.');
  });

  it('lastRejections lists the 50 latest rejections, newest change first, with their reviews', async () => {
    const list = await lastRejections(db, 50);
    const expected = rows
      .filter((r) => r.outcome === 'reject')
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? 1 : -1))
      .slice(0, 50)
      .map((r) => r.id);
    expect(list.map((x) => x.disposition.id)).toEqual(expected);
    const reviewed = rows.find((r) => r.id === expected[0])!;
    await saveReview(db, review({ id: 'rv-latest', dispositionId: reviewed.id }));
    expect((await lastRejections(db, 50))[0]!.reviews.map((r) => r.id)).toEqual(['rv-latest']);
  });
});

describe('kpiRows and filterOptions', () => {
  it('gives one KPI row per filtered disposition, as computeKpis counts them', async () => {
    const kpi = await kpiRows(db, { repId: 'rep-ana' });
    const mine = rows.filter((r) => r.repId === 'rep-ana');
    expect(kpi).toHaveLength(mine.length);
    const k = computeKpis(kpi, defaultConfig().sla, NOW);
    expect(k.counts.accepted).toBe(mine.filter((r) => r.outcome === 'accept').length);
    expect(k.counts.rejected).toBe(mine.filter((r) => r.outcome === 'reject').length);
    expect(k.sqlsDisqualifiedAfterFirstCall.count).toBe(mine.filter((r) => r.outcome === 'reject' && r.previousOutcomes.includes('accept')).length);
    // The whole table comes back too (read in one go).
    expect(await kpiRows(db, {})).toHaveLength(N);
  });

  it('lists the reps (by their current name), sources, campaigns, reason codes and frameworks in the store', async () => {
    const options = await filterOptions(db);
    expect(options.reps.map((r) => r.name)).toEqual(SEED_REPS.map((r) => r.name).sort((a, b) => a.localeCompare(b)));
    expect(options.sources).toEqual([...new Set(rows.map((r) => r.source))].sort());
    expect(options.campaigns).toContain('SaaStr Booth');
    expect(options.reasonCodes).not.toContain('');
    expect(options.reasonCodes).toContain('not_icp');
    expect(options.frameworkIds).toContain('bant');
  });
});
