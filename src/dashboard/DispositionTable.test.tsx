// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LeadQualifierDb } from '../store/db';
import type { DispositionRecord } from '../store/records';
import { axeViolations, renderDashboard, seededDb } from './testing';

afterEach(cleanup);

const RECOMMENDED: Record<string, string> = { sql: 'SQL', nurture: 'Nurture', disqualify: 'Disqualify' };
const DECIDED: Record<string, string> = { accept: 'Accept as SQL', reject: 'Reject', recycle: 'Recycle' };

let db: LeadQualifierDb;
let rows: DispositionRecord[];
beforeAll(async () => {
  db = await seededDb(150, 5);
  const seeded = await db.dispositions.toArray();
  // Seeded rows carry what the engine recommended and whether the rep overrode it; the config version
  // is set here: half under version 2, the rest as rows saved before versions were recorded.
  await db.dispositions.bulkPut(seeded.map((r, i) => (i % 2 === 0 ? { ...r, configVersion: 2 } : r)));
  rows = await db.dispositions.toArray();
});

const count = () => screen.getAllByRole('status').find((s) => s.classList.contains('lqd-count'))!.textContent;
const table = () => screen.getByRole('table', { name: 'Decisions' });
const rowButtons = () => within(table()).queryAllByRole('button').filter((b) => b.hasAttribute('data-row'));
const newestFirst = (xs: DispositionRecord[]) => [...xs].sort((a, b) => (a.decidedAt < b.decidedAt ? 1 : a.decidedAt > b.decidedAt ? -1 : a.id < b.id ? 1 : -1));

async function ready() {
  const view = renderDashboard(db);
  await waitFor(() => expect(count()).toBe('150 decisions'));
  await waitFor(() => expect(rowButtons().length).toBeGreaterThan(5));
  return { user: userEvent.setup(), ...view };
}

describe('decisions table: overrides and config versions', () => {
  it('marks an override in the outcome cell, named by what was recommended and what was decided', async () => {
    const { container } = await ready();
    const overrides = rows.filter((r) => r.override);
    expect(overrides.length).toBeGreaterThan(3);
    let marked = 0;
    for (const button of rowButtons()) {
      const row = newestFirst(rows)[Number(button.getAttribute('data-row'))]!;
      expect(button.textContent).toBe(row.leadName);
      const marker = within(button.closest('tr')!).queryByRole('img');
      if (row.override) {
        expect(marker?.getAttribute('aria-label')).toBe(`Override: recommended ${RECOMMENDED[row.recommended!]}, decided ${DECIDED[row.outcome]}`);
        expect(marker!.textContent!.trim()).toBe('Override');
        marked++;
      } else expect(marker).toBeNull();
    }
    expect(marked).toBeGreaterThan(0);
    expect(await axeViolations(container)).toEqual([]);
  });

  it('filters to the overrides, and by the config version (rows without one as "before versions were recorded")', async () => {
    const { user } = await ready();
    await user.click(screen.getByRole('checkbox', { name: 'Only overrides: decided against the recommendation' }));
    const overrides = rows.filter((r) => r.override);
    await waitFor(() => expect(count()).toBe(`${overrides.length} of 150 decisions`));
    await waitFor(() => expect(rowButtons()[0]!.textContent).toBe(newestFirst(overrides)[0]!.leadName));
    for (const button of rowButtons()) expect(within(button.closest('tr')!).getByRole('img').getAttribute('aria-label')).toMatch(/^Override: recommended /);

    await screen.findByRole('option', { name: 'Version 2' });
    await user.selectOptions(screen.getByLabelText('Config version'), 'Version 2');
    await waitFor(() => expect(count()).toBe(`${overrides.filter((r) => r.configVersion === 2).length} of 150 decisions`));
    await user.click(screen.getByRole('checkbox', { name: 'Only overrides: decided against the recommendation' }));
    await user.selectOptions(screen.getByLabelText('Config version'), 'Before versions were recorded');
    await waitFor(() => expect(count()).toBe(`${rows.filter((r) => r.configVersion === undefined).length} of 150 decisions`));
  });
});
