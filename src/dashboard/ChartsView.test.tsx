// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import { computeKpis, type KpiRow } from '../domain/kpis';
import { funnelData, OTHER_REASONS, reasonsOverTime } from './chart-data';
import { ChartsView } from './ChartsView';
import { axeViolations, NOW, renderDashboard, renderInDashboard, seededDb } from './testing';

afterEach(cleanup);

const row = (i: number, r: Partial<KpiRow>): KpiRow => ({ leadId: `l${i}`, dispositionId: `d${i}`, rep: 'rep-ana', mqlAt: '2026-09-01T09:00:00Z', ...r });
const rows: KpiRow[] = [
  row(1, { outcome: 'accept', score: 85, salAt: '2026-09-01T10:00:00Z', decidedAt: '2026-09-02T10:00:00Z' }),
  row(2, { outcome: 'reject', reasonCode: 'not_icp', score: 45, salAt: '2026-09-01T10:00:00Z', decidedAt: '2026-09-03T10:00:00Z' }),
  row(3, { outcome: 'reject', reasonCode: 'not_icp', score: 30, decidedAt: '2026-10-03T10:00:00Z' }),
  row(4, { outcome: 'reject', reasonCode: 'bad_timing', score: 50, decidedAt: '2026-10-04T10:00:00Z' }),
  row(5, { outcome: 'recycle', score: 62, decidedAt: '2026-10-05T10:00:00Z' }),
];

describe('chart data', () => {
  it('shapes the funnel and the reasons per month, folding rare reasons into "other"', () => {
    const k = computeKpis(rows, defaultConfig().sla, NOW);
    expect(funnelData(k)).toEqual([
      { stage: 'mqls', value: 5 },
      { stage: 'sals', value: 2 },
      { stage: 'sqls', value: 1 },
    ]);
    expect(reasonsOverTime(rows)).toEqual({
      reasons: ['not_icp', 'bad_timing'],
      points: [
        { month: '2026-09', not_icp: 1, bad_timing: 0 },
        { month: '2026-10', not_icp: 1, bad_timing: 1 },
      ],
    });
    expect(reasonsOverTime(rows, 1).points[1]).toEqual({ month: '2026-10', not_icp: 1, [OTHER_REASONS]: 1 });
  });
});

describe('ChartsView', () => {
  it('gives every chart a caption, a one-sentence summary as its text alternative, and its data as a table', async () => {
    const db = await seededDb(0);
    const kpis = computeKpis(rows, defaultConfig().sla, NOW);
    renderInDashboard(<ChartsView kpis={kpis} rows={rows} options={{ reps: [{ id: 'rep-ana', name: 'Ana Souza' }], sources: [], campaigns: [], reasonCodes: [], frameworkIds: [] }} />, { db });
    const figures = screen.getAllByRole('figure');
    expect(figures.map((f) => f.getAttribute('aria-labelledby') && within(f).getByRole('heading').textContent)).toEqual(['Funnel', 'Rejection reasons over time', 'Acceptance rate by score band', 'SLA breaches by rep']);

    const funnel = screen.getByRole('figure', { name: 'Funnel' });
    expect(within(funnel).getByRole('img').getAttribute('aria-label')).toBe('5 MQLs, 2 sales-accepted, 1 accepted as SQL.');
    expect(within(funnel).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['MQLs5', 'SALs2', 'SQLs1']);

    const reasons = screen.getByRole('figure', { name: 'Rejection reasons over time' });
    expect(within(reasons).getByRole('img').getAttribute('aria-label')).toBe('2 months shown; the most frequent reason overall is Not ICP fit.');
    expect(within(reasons).getAllByRole('columnheader').map((c) => c.textContent)).toEqual(['Month', 'Not ICP fit', 'Bad timing']);

    const bands = screen.getByRole('figure', { name: 'Acceptance rate by score band' });
    expect(within(bands).getByRole('img').getAttribute('aria-label')).toBe('Highest acceptance in band 80–100 (100%), lowest in band 20–39 (0%).');
    expect(within(bands).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['0–1900—', '20–39100%', '40–59200%', '60–79100%', '80–10011100%']);

    const breaches = screen.getByRole('figure', { name: 'SLA breaches by rep' });
    expect(within(breaches).getByRole('img').getAttribute('aria-label')).toMatch(/^\d+ breaches in all; most: Ana Souza \(\d+\)\.$|^No SLA breaches\.$/);
  });

  it('loads in the app (recharts on demand) and has no axe violations', async () => {
    const db = await seededDb(80);
    const { container } = renderDashboard(db, { initialView: 'charts' });
    expect(await screen.findByRole('figure', { name: 'Funnel' })).toBeTruthy();
    expect(await axeViolations(container)).toEqual([]);
  });
});
