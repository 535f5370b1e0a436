// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, overview, queueItem, renderOptions } from './testing';

afterEach(cleanup);

const queued = () =>
  overview({
    queue: {
      counts: { pending: 2, failed: 1, done: 5 },
      items: [
        queueItem({ key: 'lqaaa1', leadName: 'Ada Park', rev: 1, state: 'pending', attempts: 0, nextAt: 0 }),
        queueItem({ key: 'lqbbb2', leadName: 'Bo Okafor', rev: 2, state: 'pending', attempts: 2, nextAt: NOW + 90_000, lastError: 'Will retry: HubSpot answered 429 (429)' }),
        queueItem({ key: 'lqccc3', leadName: 'Cy Lund', rev: 1, state: 'failed', attempts: 1, lastError: 'Property values were not valid: hs_lead_status' }),
        queueItem({ key: 'lqddd4', leadName: 'Di Mora', rev: 3, state: 'done', attempts: 1 }),
      ],
    },
  });

const region = () => screen.findByRole('region', { name: 'Sync queue' });

describe('sync queue', () => {
  it('shows the counts and each item’s lead, CRM, revision, state, attempts, next try and last error', async () => {
    renderOptions({ overview: queued() });
    const queue = await region();
    const counts = Object.fromEntries(within(queue).getAllByRole('term').map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
    expect(counts).toEqual({ 'Waiting to sync': '2', 'Needs attention': '1', Synced: '5' });

    const table = within(queue).getByRole('table', { name: 'Recent decisions and their sync to the CRM' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Ada Park', 'HubSpot', '1', 'Waiting to sync', '0', 'Now', '—', ''],
      ['Bo Okafor', 'HubSpot', '2', 'Retrying', '2', '20 Nov 2026, 12:01', 'Will retry: HubSpot answered 429 (429)', ''],
      ['Cy Lund', 'HubSpot', '1', 'Needs attention', '1', '—', 'Property values were not valid: hs_lead_status', 'Retry'],
      ['Di Mora', 'HubSpot', '3', 'Synced', '1', '—', '—', ''],
    ]);
  });

  it('retries one failed item by its key', async () => {
    const { bg } = renderOptions({ overview: queued() });
    const user = userEvent.setup();
    const queue = await region();
    // One Retry per failed item (only Cy Lund's failed), named by lead and revision.
    expect(within(queue).getAllByRole('button', { name: /^Retry .+, revision \d+$/ }).map((b) => b.getAttribute('aria-label'))).toEqual(['Retry Cy Lund, revision 1']);
    await user.click(within(queue).getByRole('button', { name: 'Retry Cy Lund, revision 1' }));
    expect(await within(queue).findByText('1 decision queued again.')).toBeTruthy();
    expect(bg.sent('options.retry')).toEqual([{ key: 'lqccc3' }]);
  });

  it('retries all failed items, and syncs now', async () => {
    const { bg } = renderOptions({ overview: queued(), handlers: { 'options.retry': () => ({ requeued: 3 }) } });
    const user = userEvent.setup();
    const queue = await region();
    await user.click(within(queue).getByRole('button', { name: 'Retry all failed' }));
    expect(await within(queue).findByText('3 decisions queued again.')).toBeTruthy();
    expect(bg.sent('options.retry')).toEqual([{}]);

    await user.click(within(queue).getByRole('button', { name: 'Sync now' }));
    expect(await within(queue).findByText('Sync started.')).toBeTruthy();
    expect(bg.sent('options.syncNow')).toEqual([{}]);
  });

  it('offers no retry when nothing failed, and says when the queue is empty', async () => {
    renderOptions();
    const queue = await region();
    expect(within(queue).queryByRole('button', { name: /Retry/ })).toBeNull();
    expect(within(queue).getByText('Nothing has been synced yet.')).toBeTruthy();
  });

  it('reads the queue again every few seconds, showing new states', async () => {
    const { bg } = renderOptions({ overview: queued(), props: { refreshMs: 40 } });
    const queue = await region();
    expect(within(queue).getByText('Cy Lund')).toBeTruthy();
    bg.state.overview = overview({ queue: { counts: { pending: 0, failed: 0, done: 6 }, items: [queueItem({ key: 'lqccc3', leadName: 'Cy Lund', state: 'done', attempts: 2 })] } });
    await waitFor(() => expect(within(queue).getByRole('row', { name: /Cy Lund/ }).textContent).toContain('Synced'));
    expect(bg.calls.filter((c) => c.type === 'options.getOverview').length).toBeGreaterThan(1);
  });
});
