// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import { computeKpis, type KpiRow } from '../domain/kpis';
import { CalibrationView } from './CalibrationView';
import { axeViolations, NOW, renderInDashboard, seededDb } from './testing';

afterEach(cleanup);

/** Twenty leads over exactly two weeks, two reps: scores 40, 43 … 97. */
const rows: KpiRow[] = Array.from({ length: 20 }, (_, i) => ({
  leadId: `l${i}`,
  dispositionId: `d${i}`,
  rep: i % 2 ? 'rep-ana' : 'rep-ben',
  outcome: i % 3 === 0 ? 'accept' : 'reject',
  score: 40 + i * 3,
  decidedAt: new Date(Date.parse('2026-11-01T00:00:00Z') + (i / 19) * 14 * 86_400_000).toISOString(),
}));

async function show() {
  const db = await seededDb(0);
  const kpis = computeKpis(rows, defaultConfig().sla, NOW);
  const view = renderInDashboard(<CalibrationView rows={rows} kpis={kpis} />, { db });
  return { ...view, user: userEvent.setup() };
}

describe('CalibrationView', () => {
  it('shows acceptance by score band and the threshold that fits the team’s capacity', async () => {
    const { user, container } = await show();
    const bands = screen.getByRole('table', { name: 'Acceptance rate by score band' });
    expect(within(bands).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['0–1900—', '20–3900—', '40–597343%', '60–797229%', '80–1006233%']);
    expect(screen.getByText('Over the 2 weeks of decisions matching the filters.')).toBeTruthy();
    // Two reps (from the data) × 10 a week = 20 a week; 20 leads over 2 weeks is 10 a week: spare capacity.
    expect((screen.getByLabelText('Reps working leads') as HTMLInputElement).value).toBe('2');
    expect(screen.getByText('Suggested threshold: 40')).toBeTruthy();
    // One rep at 3 a week: at most 6 of the 20 may pass; scores ≥ 82 are 6 (82, 85 … 97).
    await user.clear(screen.getByLabelText('Reps working leads'));
    await user.type(screen.getByLabelText('Reps working leads'), '1');
    await user.clear(screen.getByLabelText('Leads per rep per week'));
    await user.type(screen.getByLabelText('Leads per rep per week'), '3');
    await waitFor(() => expect(screen.getByText('Suggested threshold: 80')).toBeTruthy());
    expect(screen.getByText(/^80 is the lowest threshold that fits capacity: 3 leads a week would pass/)).toBeTruthy();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows the effect of moving the threshold', async () => {
    const { user } = await show();
    const input = screen.getByLabelText('Try a threshold');
    await user.clear(input);
    await user.type(input, '70');
    // At the current 65: 67, 70 … 97 = 11 leads over two weeks; at 70, 10 of them.
    await waitFor(() => expect(screen.getByText(/^Moving from 65 to 70:/)).toBeTruthy());
    expect(screen.getByText(/^Moving from 65 to 70:/).textContent).toBe('Moving from 65 to 70: 11 (5.5 a week) → 10 (5 a week) leads would have passed (−1).');
    await user.clear(input);
    await user.type(input, '90');
    await waitFor(() => expect(screen.getByText(/^Moving from 65 to 90:/).textContent).toBe('Moving from 65 to 90: 11 (5.5 a week) → 3 (1.5 a week) leads would have passed (−8).'));
  });

  it('says what is wrong with impossible inputs instead of failing', async () => {
    const { user } = await show();
    await user.clear(screen.getByLabelText('Reps working leads'));
    await user.type(screen.getByLabelText('Reps working leads'), '0');
    await waitFor(() => expect(screen.getByText('Check the numbers: reps must be a positive number, got 0')).toBeTruthy());
  });
});
