// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import { computeKpis, type KpiRow } from '../domain/kpis';
import { KpiView } from './KpiView';
import { axeViolations, NOW, renderDashboard, renderInDashboard, seededDb } from './testing';

afterEach(cleanup);

const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();
/** Ten MQLs, all contacted (SALs): 3 accepted, 1 of them later… no: 5 rejected (1 after an acceptance), 2 recycled. */
function rows(): KpiRow[] {
  const base = (i: number, r: Partial<KpiRow>): KpiRow => ({ leadId: `l${i}`, dispositionId: `d${i}`, rep: i % 2 ? 'rep-ana' : 'rep-ben', mqlAt: at(100), salAt: at(99), firstContactAt: at(99), decidedAt: at(98), score: 50, ...r });
  return [
    base(1, { outcome: 'accept', score: 85 }),
    base(2, { outcome: 'accept', score: 70 }),
    base(3, { outcome: 'accept', score: 65 }),
    base(4, { outcome: 'reject', reasonCode: 'not_icp' }),
    base(5, { outcome: 'reject', reasonCode: 'not_icp' }),
    base(6, { outcome: 'reject', reasonCode: 'bad_timing' }),
    base(7, { outcome: 'reject', reasonCode: 'no_budget', previousOutcomes: ['accept'] }),
    base(8, { outcome: 'reject', reasonCode: 'not_icp', firstContactAt: at(95), salAt: at(95) }), // 5 h after the MQL: late
    base(9, { outcome: 'recycle' }),
    base(10, { outcome: 'recycle', decidedAt: at(60) }), // decided 39 h after contact: late
  ];
}

describe('KpiView', () => {
  it('shows each measure with the typical range beside it, and a verdict in words', async () => {
    const db = await seededDb(0);
    const kpis = computeKpis(rows(), defaultConfig().sla, NOW);
    renderInDashboard(<KpiView kpis={kpis} rows={10} loading={false} options={{ reps: [{ id: 'rep-ana', name: 'Ana Souza' }, { id: 'rep-ben', name: 'Ben Okoro' }], sources: [], campaigns: [], reasonCodes: [], frameworkIds: [] }} />, { db });
    const table = screen.getByRole('table', { name: 'Key figures with typical ranges' });
    const line = (name: string) => [...within(table).getByRole('rowheader', { name: new RegExp(`^${name}`) }).closest('tr')!.querySelectorAll('td')].map((td) => td.textContent);
    expect(line('MQL → SQL')).toEqual(['30%', '13%–27%', 'Above typical']);
    expect(line('MQL → SAL')).toEqual(['100%', '—', '—']);
    expect(line('Acceptance rate')).toEqual(['30%', '—', '—']);
    expect(line('Recycle rate')).toEqual(['20%', '—', '—']);
    // 1 of the 4 leads ever accepted was disqualified later: 25 %, above the 15–20 % the guides allow.
    expect(line('SQLs disqualified after the first call')).toEqual(['25% (1)', '15%–20%', 'Above typical']);
    expect(line('Speed-to-lead, median')).toEqual(['1 h', '—', '—']);
    expect(line('SLA breaches')[0]).toBe('2 (1 speed-to-lead, 1 disposition)');

    const reasons = screen.getByRole('table', { name: 'Rejection reasons by share' });
    expect(within(reasons).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['Not ICP fit360%', 'Bad timing120%', 'No budget120%']);
    const breaches = screen.getByRole('table', { name: 'SLA breaches per rep' });
    expect(within(breaches).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['Ben Okoro', 'Ana Souza']);
  });

  it('exports the KPIs as CSV from the KPIs section of the app', async () => {
    const db = await seededDb(120);
    const { downloads, container } = renderDashboard(db, { initialView: 'kpis' });
    await screen.findByRole('table', { name: 'Key figures with typical ranges' });
    expect(screen.getByText(/^Over 120 decisions matching the filters\./)).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export KPIs (CSV)' }));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.name).toBe('kpis-2026-11-20.csv');
    expect(downloads[0]!.text.split('\r\n')[0]).toBe('\uFEFFMeasure,Value,Typical low,Typical high,Compared with typical');
    expect(downloads[0]!.text).toContain('MQL → SQL,');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('follows the filters', async () => {
    const db = await seededDb(120);
    renderDashboard(db, { initialView: 'kpis' });
    await screen.findByText(/^Over 120 decisions/);
    const ana = (await db.dispositions.where('repId').equals('rep-ana').count()).toString();
    await screen.findByRole('option', { name: 'Ana Souza' });
    await userEvent.setup().selectOptions(screen.getByLabelText('Rep'), 'Ana Souza');
    await waitFor(() => expect(screen.getByText(new RegExp(`^Over ${ana} decisions`))).toBeTruthy());
  });
});
