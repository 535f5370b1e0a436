// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LeadQualifierDb } from '../store/db';
import type { DispositionRecord } from '../store/records';
import { renderDashboard, seededDb } from './testing';

afterEach(cleanup);

let db: LeadQualifierDb;
let rows: DispositionRecord[];
beforeAll(async () => {
  db = await seededDb(400);
  rows = await db.dispositions.toArray();
});

const count = () => screen.getAllByRole('status').find((s) => s.classList.contains('lqd-count'))!.textContent;
const table = () => screen.getByRole('table', { name: 'Decisions' });
/** The lead buttons of the rendered rows, top to bottom. */
const rowButtons = () => within(table()).queryAllByRole('button').filter((b) => b.hasAttribute('data-row'));
const newestFirst = (xs: DispositionRecord[]) => [...xs].sort((a, b) => (a.decidedAt < b.decidedAt ? 1 : a.decidedAt > b.decidedAt ? -1 : a.id < b.id ? 1 : -1));

async function ready() {
  renderDashboard(db);
  await waitFor(() => expect(count()).toBe('400 decisions'));
  await waitFor(() => expect(rowButtons().length).toBeGreaterThan(5));
  return userEvent.setup();
}

describe('decisions table', () => {
  it('lists the newest decision first, with outcome, reason and SLA in words', async () => {
    await ready();
    const newest = newestFirst(rows)[0]!;
    expect(rowButtons()[0]!.textContent).toBe(newest.leadName);
    const first = rowButtons()[0]!.closest('tr')!;
    expect(first.getAttribute('aria-rowindex')).toBe('2');
    expect(within(first).getByText(newest.repName)).toBeTruthy();
    expect(first.textContent).toContain({ accept: 'Accepted', reject: 'Rejected', recycle: 'Recycled' }[newest.outcome]);
    expect(within(table()).getByRole('columnheader', { name: /Decided/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('filters by labelled controls and announces the new count', async () => {
    const user = await ready();
    await screen.findByRole('option', { name: 'Ben Okoro' });
    await user.selectOptions(screen.getByLabelText('Rep'), 'Ben Okoro');
    const ben = rows.filter((r) => r.repId === 'rep-ben');
    await waitFor(() => expect(count()).toBe(`${ben.length} of 400 decisions`));
    await user.selectOptions(screen.getByLabelText('Outcome'), 'Rejected');
    const benRejected = ben.filter((r) => r.outcome === 'reject');
    await waitFor(() => expect(count()).toBe(`${benRejected.length} of 400 decisions`));
    await waitFor(() => expect(rowButtons()[0]!.textContent).toBe(newestFirst(benRejected)[0]!.leadName));

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(count()).toBe('400 decisions'));
    expect((screen.getByLabelText('Rep') as HTMLSelectElement).value).toBe('');
  });

  it('keeps the previous rows and says "Updating…" while a new filter is answered', async () => {
    const user = await ready();
    const cleo = rows.filter((r) => r.repId === 'rep-cleo');
    expect(cleo.length).toBeGreaterThan(0);
    await screen.findByRole('option', { name: 'Cleo Varga' });
    // Hold the store: a write transaction kept busy blocks every read of the table until released.
    let released = false;
    const held = new Promise<void>((resolve) => {
      const tx = db.backendDB().transaction('dispositions', 'readwrite');
      const spin = () => {
        tx.objectStore('dispositions').get('none').onsuccess = () => (released ? resolve() : spin());
      };
      spin();
    });
    try {
      // A filter not asked for before in this file (answers are cached until the table changes).
      await user.selectOptions(screen.getByLabelText('Rep'), 'Cleo Varga');
      await waitFor(() => expect(count()).toBe('400 decisions · Updating…'));
      expect(screen.getAllByRole('status').find((el) => el.classList.contains('lqd-count'))!.getAttribute('aria-busy')).toBe('true');
      expect(rowButtons().length).toBeGreaterThan(5); // the previous rows stay until the answer comes
    } finally {
      released = true;
      await held;
    }
    await waitFor(() => expect(count()).toBe(`${cleo.length} of 400 decisions`));
    expect(screen.getAllByRole('status').find((el) => el.classList.contains('lqd-count'))!.getAttribute('aria-busy')).toBe('false');
  });

  it('searches notes after a pause in typing', async () => {
    const user = await ready();
    await user.type(screen.getByLabelText('Search notes, leads and companies'), 'Budget frozen');
    const expected = rows.filter((r) => `${r.noteSearch} ${r.leadName} ${r.company}`.toLowerCase().includes('budget') && `${r.noteSearch} ${r.leadName} ${r.company}`.toLowerCase().includes('frozen'));
    expect(expected.length).toBeGreaterThan(0);
    await waitFor(() => expect(count()).toBe(`${expected.length} of 400 decisions`));
  });

  it('tells when filters match nothing', async () => {
    const user = await ready();
    await user.type(screen.getByLabelText('Search notes, leads and companies'), 'no such words anywhere');
    expect(await screen.findByText('No decision matches these filters.')).toBeTruthy();
  });

  it('sorts by a column header, and says so with aria-sort', async () => {
    const user = await ready();
    await user.click(within(table()).getByRole('button', { name: 'Score' }));
    await waitFor(() => expect(within(table()).getByRole('columnheader', { name: /Score/ }).getAttribute('aria-sort')).toBe('descending'));
    const top = Math.max(...rows.map((r) => r.score));
    await waitFor(() => expect(rowButtons()[0]!.closest('tr')!.querySelector('.lqd-num')!.textContent).toBe(String(top)));
    await user.click(within(table()).getByRole('button', { name: 'Score' }));
    await waitFor(() => expect(within(table()).getByRole('columnheader', { name: /Score/ }).getAttribute('aria-sort')).toBe('ascending'));
  });

  it('moves between rows with the arrow keys and opens one with Enter; Back returns focus to that row', async () => {
    const user = await ready();
    rowButtons()[0]!.focus();
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement).toBe(rowButtons()[1]));
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement?.getAttribute('data-row')).toBe('2'));
    await user.keyboard('{ArrowUp}');
    await waitFor(() => expect(document.activeElement?.getAttribute('data-row')).toBe('1'));
    const second = newestFirst(rows)[1]!;
    await user.keyboard('{Enter}');
    const heading = await screen.findByRole('heading', { level: 2, name: second.leadName });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.queryByRole('table', { name: 'Decisions' })).toBeNull(); // hidden while the detail shows

    await user.click(screen.getByRole('button', { name: 'Back to the decisions' }));
    await waitFor(() => expect(document.activeElement?.getAttribute('data-row')).toBe('1'));
  });

  it('shows a decision saved elsewhere without a reload (live from the store)', async () => {
    await ready();
    const copy = { ...newestFirst(rows)[0]!, id: 'live-new', leadName: 'Zed Newcomer', decidedAt: '2026-11-20T11:59:00.000Z', day: '2026-11-20' };
    await db.dispositions.put(copy);
    await waitFor(() => expect(count()).toBe('401 decisions'));
    await waitFor(() => expect(rowButtons()[0]!.textContent).toBe('Zed Newcomer'));
    await db.dispositions.delete('live-new');
  });
});
