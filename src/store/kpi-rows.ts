import type { ScoredLead } from '../domain/feedback';
import type { KpiRow } from '../domain/kpis';
import { normaliseFilters, type DispositionFilters } from './filters';
import { matchDispositions, memoryMatch, readRows } from './match';
import type { DispositionRecord } from './records';
import { summariesFor } from './summaries';
import { tablesOf, type Store } from './store';

/**
 * The filtered dispositions as KPI rows (KPIs, charts, the feedback loop), as full rows (exports), and
 * with their frozen score lines (the feedback loop's proposals). A KPI row is made by `toKpiRow`, in
 * ./summaries.ts, since every summary holds one.
 */

/** The filtered dispositions' full rows (for exports), in decision order. */
export async function filteredRows(store: Store, filters: DispositionFilters): Promise<DispositionRecord[]> {
  const db = tablesOf(store);
  const match = await matchDispositions(db, filters, { key: 'decidedAt', direction: 'asc' });
  // The whole table in one `getAll` is cheaper than fetching every id.
  return match.total === match.all ? db.dispositions.orderBy('decidedAt').toArray() : readRows(db, match.ids);
}

/**
 * The filtered dispositions as KPI rows, in decision order: for KPIs, charts and the feedback loop.
 * Served from the row summaries; the rows are shared with the cache, so treat them as read-only.
 */
export async function kpiRows(store: Store, filters: DispositionFilters): Promise<KpiRow[]> {
  const db = tablesOf(store);
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
export async function scoredLeads(store: Store, ids: readonly string[]): Promise<ScoredLead[]> {
  const db = tablesOf(store);
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
