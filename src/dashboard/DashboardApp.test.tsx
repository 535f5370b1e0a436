// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispositionsGeneration } from '../store/changes';
import { summaryStatus } from '../store/summaries';
import { SETTINGS } from '../store/settings';
import { axeViolations, renderDashboard, seededDb } from './testing';

afterEach(cleanup);

describe('DashboardApp', () => {
  it('opens on the decisions: a heading, the sections, a live count and a table of all of them', async () => {
    const db = await seededDb(300);
    renderDashboard(db);
    expect(await screen.findByRole('heading', { level: 1, name: 'Team dashboard' })).toBeTruthy();
    const nav = await screen.findByRole('navigation', { name: 'Dashboard sections' });
    expect(within(nav).getAllByRole('button').map((b) => b.textContent)).toEqual(['Decisions', 'KPIs', 'Charts', 'Calibration', 'Feedback to marketing', 'Review rejections', 'Export']);
    expect(within(nav).getByRole('button', { name: 'Decisions' }).getAttribute('aria-current')).toBe('page');
    // The count is a status message, so screen readers hear it change with the filters.
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('300 decisions'));
    const table = screen.getByRole('table', { name: 'Decisions' });
    expect(table.getAttribute('aria-rowcount')).toBe('301');
    // Virtualised: a screenful of rows exists, not 300.
    await waitFor(() => expect(within(table).getAllByRole('row').filter((r) => r.getAttribute('data-index') !== null).length).toBeGreaterThan(5));
    expect(within(table).getAllByRole('row').length).toBeLessThan(60);
  });

  it('summarises every row ahead, saves the summaries for the next opening, and saves again when the page is hidden', async () => {
    const db = await seededDb(120);
    renderDashboard(db, { prefetch: true });
    await waitFor(() => expect(summaryStatus(db)).toMatchObject({ complete: true, rows: 120, lastLoad: { restored: 0, read: 120 } }));
    // Every row was read: saved at the next idle moment.
    await waitFor(async () => expect(await db.caches.get('dashboard-summaries')).toBeTruthy());
    const first = (await db.caches.get('dashboard-summaries'))!;
    const row = (await db.dispositions.limit(1).toArray())[0]!;
    const generation = dispositionsGeneration(db);
    await db.dispositions.put({ ...row, noteSearch: 'changed while the dashboard is open' });
    await waitFor(() => expect(dispositionsGeneration(db)).toBeGreaterThan(generation)); // the summaries heard of it
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      // Saved again, with the change (not told apart by the clock: both saves may fall in one millisecond).
      await waitFor(async () => expect((await db.caches.get('dashboard-summaries'))!.value).not.toEqual(first.value));
    } finally {
      visibility.mockRestore();
    }
  });

  it('moves focus to the section heading when another section is chosen', async () => {
    const db = await seededDb(50);
    renderDashboard(db);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'KPIs' }));
    const heading = screen.getByRole('heading', { level: 2, name: 'KPIs' });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByRole('button', { name: 'KPIs' }).getAttribute('aria-current')).toBe('page');
  });

  it('says when the stored configuration is invalid, and works on with the defaults', async () => {
    const db = await seededDb(20);
    await db.settings.put({ key: SETTINGS.config, value: { schemaVersion: 1, frameworks: [] } });
    renderDashboard(db);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Configuration problem: The saved configuration is not valid \(/);
    await waitFor(() => expect(screen.getByText('20 decisions')).toBeTruthy());
  });

  it('shows a storage failure in words, with a way to try again', async () => {
    const db = await seededDb(0);
    db.close({ disableAutoOpen: true });
    renderDashboard(db);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Storage problem: The extension’s storage is being upgraded in another window. Close other extension tabs (dashboard, options) and try again; nothing is lost.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('has no "Import from CRM" control until the import provides one; then runs it and reports', async () => {
    const db = await seededDb(10);
    renderDashboard(db);
    await screen.findByText('10 decisions');
    expect(screen.queryByRole('button', { name: 'Import from CRM' })).toBeNull();
    cleanup();

    const onImport = vi.fn(async () => ({ newDecisions: 3, newRevisions: 1, unchanged: 4, refused: 1, reviews: 0, unreadable: 2, refusedNotes: [{ crm: 'Demo CRM', noteId: 'N-9', dispositionId: 'd', rev: 1, why: ['signed by Alice (999), but demo says Ben (102) created the note'] }] }));
    renderDashboard(db, { importFromCrm: { onImport } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Import from CRM' }));
    expect(onImport).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('3 new decisions, 1 new revision of a known one, 0 new reviews, 4 unchanged, 1 refused, 2 notes unreadable.')).toBeTruthy();
    expect(screen.getByText('Why 1 note was refused')).toBeTruthy();
    expect(screen.getByText('Demo CRM note N-9 (revision 1): signed by Alice (999), but demo says Ben (102) created the note')).toBeTruthy();
  });

  it('tells an empty store apart from filters that match nothing', async () => {
    renderDashboard(await seededDb(0));
    expect(await screen.findByText(/No decisions are stored on this device yet/)).toBeTruthy();
  });

  it('has no axe violations in the decisions section', async () => {
    const db = await seededDb(40);
    const { container } = renderDashboard(db);
    await screen.findByText('40 decisions');
    await waitFor(() => expect(screen.getAllByRole('row').length).toBeGreaterThan(5));
    expect(await axeViolations(container)).toEqual([]);
  });
});
